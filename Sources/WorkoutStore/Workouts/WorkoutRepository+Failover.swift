import Foundation
import Postgres

/// What a write re-run after a failover needs to tell its own earlier commit from someone
/// else's row: the ids it chose itself are found again.
extension WorkoutRepository {
  /// Which of `ids` are stored as this user's workouts.
  public func storedIDs(_ ids: [UUID]) throws -> Set<UUID> {
    guard !ids.isEmpty else { return [] }
    let list = ids.map { $0.uuidString.lowercased() }.joined(separator: ",")
    return Set(
      try connection.query(
        "SELECT id FROM workouts WHERE user_id = $1 AND id = ANY(string_to_array($2, ',')::uuid[])",
        [userID, list]
      ).all.map { try $0.decode(0, as: UUID.self) })
  }

  /// Whether `workout` beats every other workout of its exercise this user has stored (the
  /// verdict `record` gives when it inserts the row), for a workout whose insert committed
  /// just before the connection broke.
  public func isPersonalRecord(_ workout: Workout) throws -> Bool {
    let best = try connection.query(
      "SELECT max(reps_count) FROM workouts WHERE user_id = $1 AND exercise_type = $2 AND id <> $3",
      [userID, workout.exerciseType, workout.id])[0].decode(0, as: Int?.self)
    return workout.reps > 0 && workout.reps > (best ?? 0)
  }
}
