import Foundation
import Postgres
import RepCounting
import WorkoutStore

/// Uploads offline entries whose session the database confirms, each under its own user.
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
  static func run(_ connection: PostgresConnection) throws -> Report {
    var report = Report()
    let accounts = AccountStore(connection: connection)
    for path in Outbox.pendingFiles() {
      guard let entry = Outbox.load(path) else {
        if FileManager.default.fileExists(atPath: path) { report.unreadable += 1 }
        continue
      }
      guard let digest = hexBytes(entry.tokenSHA256),
        let userID = try accounts.userID(forTokenDigest: digest)
      else {
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

  private static func hexBytes(_ text: String) -> [UInt8]? {
    SessionToken(hex: text).map(\.bytes)
  }
}
