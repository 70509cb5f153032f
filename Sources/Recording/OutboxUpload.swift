internal import Foundation
import Postgres
import RepCounting
import WorkoutStore

/// Uploads an ``Outbox``'s entries whose session the database confirms, each under its own
/// user: the connection acts for the entry's own session token while it uploads it, so
/// row-level security puts the workout under that session's user or refuses it.
///
/// Each file is removed only after its commit; uploading twice stores one row. An entry whose
/// values the database refuses is moved aside with its reason, so it never blocks the others;
/// any other error (connection lost, a read-only server during a failover) is thrown and leaves
/// the remaining entries pending.
public struct OutboxUpload {
  /// What one upload did.
  public struct Report: Sendable, Equatable {
    /// An entry moved to `rejected/`, and why.
    public struct Rejection: Sendable, Equatable {
      /// The entry's new path.
      public var file: String
      public var reason: String

      /// Makes a rejection.
      public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
      }
    }

    public var uploaded = 0
    /// Entries recorded before (same id or same input): their files are removed too.
    public var alreadyStored = 0
    /// Entries whose session is unknown, expired or revoked: kept until it is confirmed.
    public var waiting = 0
    public var unreadable = 0
    /// Entries the server refused for their data (SQLSTATE classes 22 and 23) or that fail the
    /// workout checks: moved to `rejected/` with the reason.
    public var rejected: [Rejection] = []

    /// An empty report.
    public init() {}
  }

  private let outbox: Outbox
  private let currentToken: SessionToken?

  /// Uploads `outbox`; `currentToken` (the session logged in here, if any) is used only for
  /// entries written before entries kept their own token, when its SHA-256 is theirs.
  public init(outbox: Outbox, currentToken: SessionToken?) {
    self.outbox = outbox
    self.currentToken = currentToken
  }

  /// Uploads what can be uploaded over `connection`; the connection acts for nobody afterwards.
  public func run(_ connection: PostgresConnection) throws -> Report {
    var report = Report()
    let accounts = AccountStore(connection: connection)
    defer { try? accounts.use(nil) }
    for path in outbox.pendingFiles() {
      guard let entry = outbox.load(path) else {
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
        outbox.remove(path)
      } catch let error as WorkoutError {
        let reason = "\(error)"
        report.rejected.append(
          .init(file: try outbox.setAside(path, reason: reason), reason: reason))
      } catch let error as PostgresError where Self.isDataError(error) {
        report.rejected.append(
          .init(file: try outbox.setAside(path, reason: error.message), reason: error.message))
      }
    }
    return report
  }

  /// Whether the server refused the values themselves (data exception or integrity violation),
  /// so retrying the same entry can never succeed.
  public static func isDataError(_ error: PostgresError) -> Bool {
    guard let state = error.sqlState else { return false }
    return state.hasPrefix("22") || state.hasPrefix("23")
  }

  /// The session token an entry is uploaded with: its own, or for an entry written before the
  /// token was kept, the current token when its digest is the one the entry recorded.
  private func token(of entry: Outbox.Entry) -> SessionToken? {
    if let hex = entry.token { return SessionToken(hex: hex) }
    guard let digest = entry.tokenSHA256?.lowercased(), let currentToken,
      SHA256.hex(currentToken.digest) == digest
    else { return nil }
    return currentToken
  }
}
