import Foundation
import WorkoutStore

extension WorkoutPresentation {
  /// One line: `push-up, 21 reps, 0:45, 6.1 kcal, 2026-11-20 07:30`.
  func summary(_ workout: Workout) -> String {
    summary(
      exercise: workout.exerciseType, reps: workout.reps, seconds: workout.durationSeconds,
      calories: workout.caloriesBurned, at: workout.createdAt)
  }

  /// The same line for a workout's values before its first edit.
  func summary(_ original: EditRecord.Original) -> String {
    summary(
      exercise: original.exerciseType, reps: original.reps, seconds: original.durationSeconds,
      calories: original.caloriesBurned, at: original.createdAt)
  }

  /// The values before the first edit, named as `fields(_:)` names a workout's.
  func originalFields(_ original: EditRecord.Original) -> [(String, JSON.Value)] {
    [
      ("exercise_type", .string(original.exerciseType)), ("reps_count", .integer(original.reps)),
      ("duration_seconds", .integer(original.durationSeconds)),
      (
        "calories_burned",
        original.caloriesBurned.map { .number(($0 * 10).rounded() / 10) } ?? .null
      ),
      ("created_at", .string(time.iso(original.createdAt))),
    ]
  }

  private func summary(
    exercise: String, reps: Int, seconds: Int, calories: Double?, at date: Date
  ) -> String {
    let kcal = calories.map { String(format: "%.1f kcal", $0) } ?? "- kcal"
    return "\(exercise), \(reps) rep\(reps == 1 ? "" : "s"), \(DurationText.clock(seconds)), "
      + "\(kcal), \(time.minute(date))"
  }
}
