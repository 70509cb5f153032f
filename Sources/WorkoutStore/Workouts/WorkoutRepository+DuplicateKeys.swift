import Postgres

extension WorkoutRepository {
  /// Until the end of the transaction (or until called with false), an insert whose workout id
  /// or source digest is already stored skips the row instead of failing with 23505: the
  /// `ON CONFLICT DO NOTHING` of a partitioned `workouts`, whose uniqueness of ids and digests
  /// lives in the `workout_keys` ledger (schema v8). Call it inside a transaction.
  func skipDuplicateKeys(_ skip: Bool) throws {
    try connection.query(
      "SELECT set_config('buddy.duplicate_keys', $1, true)", [skip ? "skip" : ""])
  }
}
