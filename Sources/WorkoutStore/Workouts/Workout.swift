import Foundation
import Postgres
import RepCounting

/// A stored workout.
public struct Workout: Sendable, Equatable {
  public var id: UUID
  /// The exercise's name as stored (a newer version may store one this binary does not know).
  public var exerciseType: String
  public var reps: Int
  public var durationSeconds: Int
  public var caloriesBurned: Double?
  public var createdAt: Date
  /// The `details` object as JSON text, if any.
  public var details: String?
}

/// A workout to store.
public struct NewWorkout: Sendable, Codable, Equatable {
  /// A client-chosen id (offline entries), so that uploading twice stores one row.
  public var id: UUID?
  public var exerciseType: Exercise
  public var reps: Int
  public var durationSeconds: Int
  public var caloriesBurned: Double?
  /// When the session happened.
  public var createdAt: Date
  /// A JSON object with per-rep events, source and engine details.
  public var details: String?
  /// SHA-256 of the input the workout was counted from; recording the same input twice is a no-op.
  public var sourceDigest: [UInt8]?

  public init(
    exerciseType: Exercise, reps: Int, durationSeconds: Int, caloriesBurned: Double?,
    createdAt: Date, details: String? = nil, sourceDigest: [UInt8]? = nil, id: UUID? = nil
  ) {
    self.id = id
    self.exerciseType = exerciseType
    self.reps = reps
    self.durationSeconds = durationSeconds
    self.caloriesBurned = caloriesBurned
    self.createdAt = createdAt
    self.details = details
    self.sourceDigest = sourceDigest
  }
}

/// What `record` did.
public enum RecordOutcome: Sendable, Equatable {
  /// Stored; `isPersonalRecord` when the reps beat every earlier workout of that exercise.
  case saved(Workout, isPersonalRecord: Bool)
  /// The same input was recorded before; nothing was written.
  case alreadyRecorded(Workout)
}

extension Workout {
  static let columns =
    "id, exercise_type, reps_count, duration_seconds, calories_burned, created_at, details"

  init(row: PostgresRow) throws {
    self.init(
      id: try row.decode(0), exerciseType: try row.decode(1), reps: try row.decode(2),
      durationSeconds: try row.decode(3), caloriesBurned: try row.decode(4),
      createdAt: try row.decode(5), details: try row.decode(6, as: PostgresJSON?.self)?.text)
  }
}
