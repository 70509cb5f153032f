import Foundation
import WorkoutStore

/// How workouts are printed in every format, with times in the user's zone.
struct WorkoutPresentation {
  let time: LocalTime

  /// The stable snake_case columns of CSV and JSON output.
  static let columns = [
    "id", "exercise_type", "reps_count", "duration_seconds", "calories_burned", "created_at",
  ]

  func fields(_ workout: Workout) -> [(String, JSON.Value)] {
    [
      ("id", .string(workout.id.uuidString.lowercased())),
      ("exercise_type", .string(workout.exerciseType)), ("reps_count", .integer(workout.reps)),
      ("duration_seconds", .integer(workout.durationSeconds)),
      (
        "calories_burned", workout.caloriesBurned.map { .number(($0 * 10).rounded() / 10) } ?? .null
      ),
      ("created_at", .string(time.iso(workout.createdAt))),
    ]
  }

  func json(_ workout: Workout) -> String { JSON.text(.object(fields(workout))) }

  func csv(_ workout: Workout) -> String {
    CSV.record([
      workout.id.uuidString.lowercased(), workout.exerciseType, String(workout.reps),
      String(workout.durationSeconds),
      workout.caloriesBurned.map { String(($0 * 10).rounded() / 10) } ?? "",
      time.iso(workout.createdAt),
    ])
  }

  static let tableHeader = "ID        WHEN              EXERCISE    REPS  DURATION    KCAL"

  func tableRow(_ workout: Workout) -> String {
    let id = String(workout.id.uuidString.lowercased().prefix(8))
    let kcal = workout.caloriesBurned.map { String(format: "%.1f", $0) } ?? "-"
    return "\(id)  \(time.minute(workout.createdAt))  \(pad(workout.exerciseType, 10))  "
      + "\(pad(String(workout.reps), 4, right: true))  \(pad(DurationText.clock(workout.durationSeconds), 8, right: true))"
      + "  \(pad(kcal, 6, right: true))"
  }

  private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let padding = String(repeating: " ", count: max(0, width - text.count))
    return right ? padding + text : text + padding
  }
}
