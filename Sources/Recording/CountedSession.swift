public import Foundation
import RepCounting
import WorkoutStore

/// A session counted for storage: its summary, the SHA-256 of the input's bytes, the start
/// time the input declared and the ``WorkoutDetails`` to store with it. Shared by `record` and
/// `import`.
public struct CountedSession: Sendable {
  public var summary: SessionSummary
  /// SHA-256 of the input's bytes: recording the same input twice stores it once.
  public var digest: [UInt8]
  /// When the session began, if the input said so.
  public var startTime: Date?
  /// What is stored in the workout's `details`.
  public var details: WorkoutDetails
  /// The session's landmark stream, when it was counted to keep them (`--keep-landmarks`).
  public var landmarks: KeptLandmarks?

  /// A session counted from the input `sourceName` of kind `sourceKind` (`document`, `jsonl`,
  /// `jpeg-directory`, …) whose bytes hash to `digest`.
  public init(
    summary: SessionSummary, digest: [UInt8], startTime: Date?, sourceName: String,
    sourceKind: String
  ) {
    self.summary = summary
    self.digest = digest
    self.startTime = startTime
    details = WorkoutDetails(summary: summary, sourceName: sourceName, sourceKind: sourceKind)
  }

  /// The instant of a landmark document's `start_time` (ISO 8601 with an offset, e.g.
  /// `2026-11-20T07:30:00Z`); nil when absent or not in that form.
  public static func startTime(fromDocument text: String?) -> Date? {
    text.flatMap { ISO8601DateFormatter().date(from: $0) }
  }

  /// The workout to store: the active duration rounded to whole seconds, calories for
  /// `bodyMassKg` (``CalorieModel``), the input's start time else `fallbackTime`, the details
  /// and the digest.
  ///
  /// Throws ``RecordingError/Kind/noExercise`` for a session that showed no exercise, and
  /// ``RecordingError/Kind/durationOutOfRange`` when the active duration is negative or
  /// too large for an `Int` of seconds. The workout's other limits are `NewWorkout.validate()`'s.
  public func workout(bodyMassKg: Double, fallbackTime: Date) throws -> NewWorkout {
    guard let exercise = summary.exercise else {
      throw RecordingError(.noExercise, "\(details.source.name): no exercise was counted")
    }
    let seconds = summary.activeDuration
    guard seconds >= 0, let whole = Int(exactly: seconds.rounded()) else {
      throw RecordingError(.durationOutOfRange, "the active duration \(seconds) s is out of range")
    }
    return NewWorkout(
      exerciseType: exercise, reps: summary.reps, durationSeconds: whole,
      caloriesBurned: CalorieModel.kilocalories(
        exercise: exercise, reps: summary.reps, seconds: seconds, bodyMassKg: bodyMassKg),
      createdAt: startTime ?? fallbackTime, details: details.jsonText, sourceDigest: digest)
  }
}
