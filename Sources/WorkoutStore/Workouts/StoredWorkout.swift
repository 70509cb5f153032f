import Foundation
import Postgres

/// A stored workout with everything the database keeps about it but its owner: what
/// `buddy export` writes.
public struct StoredWorkout: Sendable, Equatable {
  public var id: UUID
  /// The exercise's name as stored (a newer version may store one this binary does not know).
  public var exerciseType: String
  public var reps: Int
  public var durationSeconds: Int
  public var caloriesBurned: Double?
  public var createdAt: Date
  /// The `details` object as the database prints it, if any.
  public var details: String?
  /// SHA-256 of the input a counted workout came from, or of a restored manual entry's record.
  public var sourceDigest: [UInt8]?
}

extension StoredWorkout {
  static let columns =
    "id, exercise_type, reps_count, duration_seconds, calories_burned, created_at, details, "
    + "source_digest"

  init(row: PostgresRow) throws {
    self.init(
      id: try row.decode(0), exerciseType: try row.decode(1), reps: try row.decode(2),
      durationSeconds: try row.decode(3), caloriesBurned: try row.decode(4),
      createdAt: try row.decode(5), details: try row.decode(6, as: PostgresJSON?.self)?.text,
      sourceDigest: try row.decode(7))
  }
}
