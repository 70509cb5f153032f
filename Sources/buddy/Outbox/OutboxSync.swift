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
      if entry.caloriesPending {
        let weight = try ProfileStore(connection: connection, userID: userID).settings().weightKg
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
    }
    return report
  }

  /// Syncs without a word unless something was uploaded; never fails the calling command.
  static func runQuietly(_ connection: PostgresConnection) {
    guard !Outbox.pendingFiles().isEmpty, let report = try? run(connection) else { return }
    if report.uploaded > 0 {
      Terminal.note(
        "uploaded \(report.uploaded) workout\(report.uploaded == 1 ? "" : "s") saved offline")
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
