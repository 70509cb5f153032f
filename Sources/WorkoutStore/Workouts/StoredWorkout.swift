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
  /// ``Workout``'s columns, then the source digest.
  static let columns = Workout.columns + ", source_digest"

  init(row: PostgresRow) throws {
    let workout = try Workout(row: row)
    self.init(
      id: workout.id, exerciseType: workout.exerciseType, reps: workout.reps,
      durationSeconds: workout.durationSeconds, caloriesBurned: workout.caloriesBurned,
      createdAt: workout.createdAt, details: workout.details, sourceDigest: try row.decode(7))
  }
}
