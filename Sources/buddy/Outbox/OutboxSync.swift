import Foundation
import Postgres
import RepCounting
import WorkoutStore

/// Uploads offline entries whose session the database confirms, each under its own user: the
/// connection acts for the entry's own session token while it uploads it, so row-level security
/// puts the workout under that session's user or refuses it.
enum OutboxSync {
  /// What one sync did.
  struct Report {
    var uploaded = 0
    var alreadyStored = 0
    /// Entries whose session is unknown, expired or revoked: kept until it is confirmed.
    var waiting = 0
    var unreadable = 0
    /// Entries the server refused for their data (SQLSTATE classes 22 and 23) or that fail the
    /// workout checks: moved to `rejected/` with the reason, so they never block the others.
    var rejected: [(file: String, reason: String)] = []
  }

  /// Uploads what can be uploaded over `connection`; each file is removed only after its commit.
  /// The connection acts for nobody afterwards.
  static func run(_ connection: PostgresConnection) throws -> Report {
    var report = Report()
    let accounts = AccountStore(connection: connection)
    defer { try? accounts.use(nil) }
    for path in Outbox.pendingFiles() {
      guard let entry = Outbox.load(path) else {
        if FileManager.default.fileExists(atPath: path) { report.unreadable += 1 }
        continue
      }
      guard let token = token(of: entry) else {
        report.waiting += 1
        continue
      }
      try accounts.use(token)
      guard let userID = try accounts.currentUserID() else {
        report.waiting += 1
        continue
      }
      var workout = entry.workout
      do {
        // `record` checks the values first (WorkoutError, caught below).
        if entry.caloriesPending {
          let weight = try ProfileStore(connection: connection, userID: userID).settings()
            .weightKg
          workout.caloriesBurned = CalorieModel.kilocalories(
            exercise: workout.exerciseType, reps: workout.reps,
            seconds: Double(workout.durationSeconds),
            bodyMassKg: weight ?? CalorieModel.defaultBodyMassKg)
        }
        switch try WorkoutRepository(connection: connection, userID: userID).record(workout) {
        case .saved: report.uploaded += 1
        case .alreadyRecorded: report.alreadyStored += 1
        }
        unlink(path)
      } catch let error as WorkoutError {
        report.rejected.append((try setAside(path, reason: "\(error)"), "\(error)"))
      } catch let error as PostgresError where Self.isDataError(error) {
        report.rejected.append((try setAside(path, reason: error.message), error.message))
      }
      // Any other error (connection lost, a read-only server during a failover) propagates:
      // the entry stays pending for the next sync.
    }
    return report
  }

  /// Whether the server refused the values themselves (data exception or integrity violation),
  /// so retrying the same entry can never succeed.
  static func isDataError(_ error: PostgresError) -> Bool {
    guard let state = error.sqlState else { return false }
    return state.hasPrefix("22") || state.hasPrefix("23")
  }

  /// Moves a refused entry to `rejected/` beside the outbox, with a `.reason` file; returns the
  /// new path.
  private static func setAside(_ path: String, reason: String) throws -> String {
    let directory = Outbox.directory + "/rejected"
    try FileSystem.makeDirectory(directory, mode: 0o700)
    let name = (path as NSString).lastPathComponent
    let target = directory + "/" + name
    guard rename(path, target) == 0 else {
      throw CLIError(
        .unexpected, "cannot move \(path) to \(directory): \(String(cString: strerror(errno)))")
    }
    try FileSystem.writeAtomically(
      reason.split(whereSeparator: \.isNewline).joined(separator: " ") + "\n",
      to: target + ".reason", mode: 0o600)
    return target
  }

  /// Syncs without a word unless something was uploaded; never fails the calling command.
  static func runQuietly(_ connection: PostgresConnection) {
    guard !Outbox.pendingFiles().isEmpty, let report = try? run(connection) else { return }
    if report.uploaded > 0 {
      Terminal.note(
        "uploaded \(report.uploaded) workout\(report.uploaded == 1 ? "" : "s") saved offline")
    }
    for (file, reason) in report.rejected {
      Terminal.note("an offline workout was refused and set aside (\(file)): \(reason)")
    }
  }

  /// The session token an entry is uploaded with: its own, or for an entry written before the
  /// token was kept, the session file's token when its digest is the one the entry recorded.
  private static func token(of entry: Outbox.Entry) -> SessionToken? {
    if let hex = entry.token { return SessionToken(hex: hex) }
    guard let digest = entry.tokenSHA256?.lowercased(), let current = SessionFile.load(),
      SHA256.hex(current.digest) == digest
    else { return nil }
    return current
  }
}
