import Foundation
import Logging
import Postgres
import Recording
import WorkoutStore

/// Read-your-writes across commands on a multi-host URL: after a command that connected for
/// writing, the primary's WAL position is kept in
/// `$XDG_STATE_HOME/exercise-buddy/last-write-lsn-<hash of the redacted URL>` (mode 0600), and
/// a later read that lands on a standby waits until the standby has replayed that far
/// (``ReplicaRead``).
enum LastWritePosition {
  /// The write connections of this process, asked for their WAL position once the command ends.
  nonisolated(unsafe) private static var writers: [(connection: PostgresConnection, url: String)] =
    []

  /// The file for the database at `url`: one per URL, named by a digest of the URL without its
  /// password.
  static func path(for url: String) -> String {
    let digest = SHA256.hex(SHA256.hash(Array(Redaction.redactingPasswords(url).utf8)))
    return Paths.stateDirectory + "/last-write-lsn-" + digest.prefix(16)
  }

  /// Remembers `connection`, a write connection to the multi-host `url`.
  static func track(_ connection: PostgresConnection, url: String) {
    writers.append((connection, url))
  }

  /// Stores the WAL position of every tracked write connection (called when the command ends,
  /// whether it succeeded or not: anything it committed counts). Failures are debug notes only:
  /// the next read then simply may not wait.
  static func recordTracked() {
    for writer in writers {
      do {
        let position = try writer.connection.currentWALInsertPosition()
        try PrivateFiles.makeDirectory(Paths.stateDirectory, mode: 0o700)
        try PrivateFiles.writeAtomically(
          position.description + "\n", to: path(for: writer.url), mode: 0o600)
        Log.database.debug("remembered the write position \(position)")
      } catch {
        Log.database.debug("could not remember the write position: \(error)")
      }
    }
    writers = []
  }

  /// The position last stored for `url`; nil when there is none, or (with a debug note) when the
  /// file does not hold one position in PostgreSQL's `X/Y` form (surrounding whitespace aside).
  static func load(for url: String) -> WALPosition? {
    let file = path(for: url)
    guard let handle = FileHandle(forReadingAtPath: file) else { return nil }
    defer { try? handle.close() }
    // A position is at most 17 characters; anything longer is not one.
    let data = (try? handle.read(upToCount: 64)) ?? Data()
    guard let text = String(data: data, encoding: .utf8), let position = WALPosition(text) else {
      Log.database.debug("ignoring \(file): it does not hold a WAL position")
      return nil
    }
    return position
  }
}
