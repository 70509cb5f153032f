import Foundation

/// What an edited workout's `details` keep about its edits: when it was last edited, and the
/// values it had before the first edit (later edits keep those). Written by
/// `WorkoutRepository.edit` in the same statement that changes the row; the keys are
/// `edited_at` and `original` beside whatever the details already held.
public struct EditRecord: Codable, Sendable, Equatable {
  /// The workout's values before its first edit, named as its columns are.
  public struct Original: Codable, Sendable, Equatable {
    public var exerciseType: String
    public var reps: Int
    public var durationSeconds: Int
    public var caloriesBurned: Double?
    public var createdAt: Date

    /// Makes the values of a workout.
    public init(
      exerciseType: String, reps: Int, durationSeconds: Int, caloriesBurned: Double?,
      createdAt: Date
    ) {
      self.exerciseType = exerciseType
      self.reps = reps
      self.durationSeconds = durationSeconds
      self.caloriesBurned = caloriesBurned
      self.createdAt = createdAt
    }

    private enum CodingKeys: String, CodingKey {
      case exerciseType = "exercise_type"
      case reps = "reps_count"
      case durationSeconds = "duration_seconds"
      case caloriesBurned = "calories_burned"
      case createdAt = "created_at"
    }
  }

  /// When the workout was last edited.
  public var editedAt: Date
  /// The values before the first edit.
  public var original: Original

  private enum CodingKeys: String, CodingKey {
    case editedAt = "edited_at"
    case original
  }

  /// The edit record in a workout's `details` JSON text; nil when the workout was never edited
  /// (or the text is no JSON object holding one).
  public init?(details: String?) {
    guard let details else { return nil }
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    guard let record = try? decoder.decode(Self.self, from: Data(details.utf8)) else {
      return nil
    }
    self = record
  }

  /// SQL for an instant as the record stores it: ISO 8601 in UTC to the second.
  static func isoSQL(_ expression: String) -> String {
    "to_char(\(expression) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
  }
}

extension Workout {
  /// The record of this workout's edits, if it was edited.
  public var editRecord: EditRecord? { EditRecord(details: details) }
}
