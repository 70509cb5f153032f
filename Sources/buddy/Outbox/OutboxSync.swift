import Postgres
import Recording
import WorkoutStore

/// The command-line tool's offline outbox, `$XDG_STATE_HOME/exercise-buddy/outbox` (default
/// `~/.local/state/…`), and its upload: by `buddy sync`, and quietly by the commands that call
/// ``uploadQuietly(_:)`` (see `buddy sync --help`).
enum OutboxSync {
  /// The outbox `record` writes to when the database is unreachable.
  static var outbox: Outbox { Outbox(directory: Paths.stateDirectory + "/outbox") }

  /// Uploads what can be uploaded over `connection` (which acts for nobody afterwards); an
  /// entry written before entries kept their token may go up with the session file's token.
  static func run(_ connection: PostgresConnection) throws -> OutboxUpload.Report {
    try OutboxUpload(outbox: outbox, currentToken: SessionFile.load()).run(connection)
  }

  /// Uploads without a word unless something was uploaded or refused; never fails the calling
  /// command.
  static func uploadQuietly(_ connection: PostgresConnection) {
    guard !outbox.pendingFiles().isEmpty, let report = try? run(connection) else { return }
    if report.uploaded > 0 {
      Terminal.note(
        "uploaded \(report.uploaded) workout\(report.uploaded == 1 ? "" : "s") saved offline")
    }
    for rejection in report.rejected {
      Terminal.note(
        "an offline workout was refused and set aside (\(rejection.file)): \(rejection.reason)")
    }
  }
}
