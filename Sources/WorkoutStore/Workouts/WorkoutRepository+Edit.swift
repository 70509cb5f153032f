import Foundation
import Postgres
import RepCounting

extension WorkoutRepository {
  /// Changes the user's workout `id` as `edit` says and returns it as stored.
  ///
  /// The new values are checked as a new workout's are (`NewWorkout.validate()`); calories are
  /// computed again for a person of `bodyMassKg` (``CalorieModel``) when the exercise, the reps
  /// or the duration change. The first edit moves the workout's values into `details.original`
  /// (later edits keep them) and every edit sets `details.edited_at` (see ``EditRecord``). The
  /// source digest stays, so recording the same input again still saves nothing. The row is
  /// updated through row-level security, whose `WITH CHECK` keeps it the user's.
  public func edit(_ id: UUID, _ edit: WorkoutEdit, bodyMassKg: Double) throws -> Workout {
    guard !edit.isEmpty else { throw WorkoutError.invalidValue("nothing to change") }
    return try connection.transaction {
      let rows = try connection.query(
        "SELECT \(Workout.columns) FROM workouts WHERE user_id = $1 AND id = $2 FOR UPDATE",
        [userID, id])
      guard let row = rows.first else { throw WorkoutError.notFound(id.uuidString.lowercased()) }
      let current = try Workout(row: row)
      guard let exercise = edit.exercise ?? Exercise(name: current.exerciseType) else {
        throw WorkoutError.unknownExercise(current.exerciseType)
      }
      let reps = edit.reps ?? current.reps
      let seconds = edit.durationSeconds ?? current.durationSeconds
      let calories =
        edit.changesCalories
        ? CalorieModel.kilocalories(
          exercise: exercise, reps: reps, seconds: Double(seconds), bodyMassKg: bodyMassKg)
        : current.caloriesBurned
      let changed = NewWorkout(
        exerciseType: exercise, reps: reps, durationSeconds: seconds, caloriesBurned: calories,
        createdAt: edit.createdAt ?? current.createdAt)
      try changed.validate()
      let updated = try connection.query(
        """
        UPDATE workouts SET exercise_type = $3, reps_count = $4, duration_seconds = $5,
          calories_burned = $6, created_at = $7,
          details = CASE WHEN coalesce(details, '{}'::jsonb) ? 'original'
              THEN coalesce(details, '{}'::jsonb)
              ELSE coalesce(details, '{}'::jsonb) || jsonb_build_object('original',
                jsonb_build_object('exercise_type', exercise_type, 'reps_count', reps_count,
                  'duration_seconds', duration_seconds, 'calories_burned', calories_burned,
                  'created_at', \(EditRecord.isoSQL("created_at"))))
            END || jsonb_build_object('edited_at', \(EditRecord.isoSQL("now()")))
        WHERE user_id = $1 AND id = $2
        RETURNING \(Workout.columns)
        """,
        [
          userID, id, changed.exerciseType.name, changed.reps, changed.durationSeconds,
          changed.caloriesBurned, changed.createdAt,
        ])
      guard let saved = updated.first else {
        throw WorkoutError.notFound(id.uuidString.lowercased())
      }
      return try Workout(row: saved)
    }
  }
}
