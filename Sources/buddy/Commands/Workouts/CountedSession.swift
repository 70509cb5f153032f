import Foundation
import PoseInput
import RepCounting
import WorkoutStore

/// A landmark input counted for storage: its summary, the SHA-256 of its bytes (hashed while
/// they were parsed), its declared start time and the `details` object. Shared by `record` and
/// `import`.
struct CountedSession {
  var summary: SessionSummary
  var digest: [UInt8]
  var startTime: Date?
  var details: String

  /// Counts `input` with `runner`, reporting each repetition to `onEvent` as it becomes final.
  static func count(
    _ input: CountInput, runner: CountRunner, onEvent: (CountSession.Event) -> Void = { _ in }
  ) throws -> CountedSession {
    let hasher = SHA256()
    let counted = try runner.count(input, onEvent: onEvent) { hasher.update($0) }
    let summary = counted.summary
    let startTime = counted.startTime.flatMap { ISO8601DateFormatter().date(from: $0) }
    var fields: [(String, JSON.Value)] = []
    if case .object(let all) = CountReport.json(summary, file: input.label) {
      fields = all.filter { $0.0 != "file" }
    }
    let source: JSON.Value = .object([
      ("name", .string(input.label)), ("format", .string(counted.kind)),
    ])
    fields.insert(("source", source), at: 0)
    return CountedSession(
      summary: summary, digest: hasher.finalize(), startTime: startTime,
      details: JSON.text(.object(fields)))
  }

  /// The workout to store: active duration rounded to seconds, calories for `bodyMassKg`, the
  /// document's start time else `fallbackTime`. Throws a data error when the active duration
  /// is not a whole number of seconds an `Int` can hold.
  func workout(bodyMassKg: Double, fallbackTime: Date) throws -> NewWorkout {
    guard let exercise = summary.exercise else {
      throw CLIError(.dataError, "no exercise was counted")
    }
    let seconds = summary.activeDuration
    guard seconds >= 0, let whole = Int(exactly: seconds.rounded()) else {
      throw CLIError(.dataError, "the active duration \(seconds) s is out of range")
    }
    return NewWorkout(
      exerciseType: exercise, reps: summary.reps, durationSeconds: whole,
      caloriesBurned: CalorieModel.kilocalories(
        exercise: exercise, reps: summary.reps, seconds: seconds, bodyMassKg: bodyMassKg),
      createdAt: startTime ?? fallbackTime, details: details, sourceDigest: digest)
  }
}
