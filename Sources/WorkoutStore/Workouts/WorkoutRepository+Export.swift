import Foundation
import Postgres

extension WorkoutRepository {
  /// Rows read per query while exporting.
  public static let exportPageSize = 500

  /// Calls `body` with each of the user's workouts that `filter` selects (its exercise and
  /// days; limit and page are ignored), oldest first, read in keyset pages of `pageSize` inside
  /// one read-only REPEATABLE READ transaction, so the export is one consistent snapshot and
  /// memory stays flat on any number of rows.
  public func export(
    _ filter: HistoryFilter, pageSize: Int = exportPageSize, _ body: (StoredWorkout) throws -> Void
  ) throws {
    let size = min(max(pageSize, 1), 100_000)
    try connection.transaction(.repeatableRead) {
      try connection.query("SET TRANSACTION READ ONLY")
      var after: (Date, UUID)?
      while true {
        let page = try exportPage(filter, after: after, limit: size)
        for workout in page { try body(workout) }
        guard page.count == size, let last = page.last else { return }
        after = (last.createdAt, last.id)
      }
    }
  }

  /// Up to `limit` of the user's workouts that `filter` selects, oldest first, after the
  /// workout at (`createdAt`, `id`) `after` when given.
  public func exportPage(_ filter: HistoryFilter, after: (Date, UUID)?, limit: Int) throws
    -> [StoredWorkout]
  {
    var parameters: [(any PostgresEncodable)?] = [userID]
    func bind(_ value: any PostgresEncodable) -> String {
      parameters.append(value)
      return "$\(parameters.count)"
    }
    var conditions = ["user_id = $1"]
    if let exercise = filter.exerciseType {
      conditions.append("exercise_type = \(bind(exercise.name))")
    }
    if filter.since != nil || filter.until != nil {
      let zone = bind(filter.timeZone)
      if let since = filter.since {
        conditions.append(
          "created_at >= (\(bind(since.description))::date::timestamp AT TIME ZONE \(zone))")
      }
      if let until = filter.until {
        conditions.append(
          "created_at < ((\(bind(until.description))::date + 1)::timestamp AT TIME ZONE \(zone))")
      }
    }
    if let after {
      conditions.append(
        "(created_at, id) > (\(bind(after.0))::timestamptz, \(bind(after.1))::uuid)")
    }
    let sql = """
      SELECT \(StoredWorkout.columns) FROM workouts
      WHERE \(conditions.joined(separator: " AND "))
      ORDER BY created_at, id
      LIMIT \(bind(max(limit, 0)))
      """
    return try connection.query(sql, parameters).all.map(StoredWorkout.init)
  }

  /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
  public func inTransaction<T>(_ body: () throws -> T) throws -> T {
    try connection.transaction(.readCommitted, body)
  }

  /// Stores workouts read from an export file in one statement; call it inside
  /// ``inTransaction(_:)`` so that a file is stored whole or not at all. Every workout must
  /// carry a source digest. One is skipped when this user already holds its digest, when it
  /// repeats an earlier one in `workouts`, or when it equals in every value (exercise, reps,
  /// duration, calories, time, details) a workout of this user that has no digest: the row a
  /// manual entry was exported from. Returns, per input, whether it was inserted (with a new id).
  public func restore(_ workouts: [NewWorkout]) throws -> [Bool] {
    guard !workouts.isEmpty else { return [] }
    var parameters: [(any PostgresEncodable)?] = [userID]
    func bind(_ value: (any PostgresEncodable)?) -> String {
      parameters.append(value)
      return "$\(parameters.count)"
    }
    var rows: [String] = []
    for (index, workout) in workouts.enumerated() {
      try workout.validate()
      guard workout.sourceDigest != nil else {
        throw WorkoutError.invalidValue("a restored workout needs a source digest")
      }
      rows.append(
        "(\(index), \(bind(workout.exerciseType.name))::text, \(bind(workout.reps))::int8, "
          + "\(bind(workout.durationSeconds))::int8, \(bind(workout.caloriesBurned))::float8, "
          + "\(bind(workout.createdAt))::timestamptz, "
          + "\(bind(workout.details.map(PostgresJSON.init)))::jsonb, "
          + "\(bind(workout.sourceDigest))::bytea)")
    }
    try skipDuplicateKeys(true)
    defer { try? skipDuplicateKeys(false) }
    let inserted = try connection.query(
      """
      WITH input (position, exercise_type, reps_count, duration_seconds, calories_burned,
        created_at, details, source_digest) AS (VALUES \(rows.joined(separator: ", ")))
      INSERT INTO workouts (user_id, exercise_type, reps_count, duration_seconds,
        calories_burned, created_at, details, source_digest)
      SELECT $1, i.exercise_type, i.reps_count, i.duration_seconds, i.calories_burned,
        i.created_at, i.details, i.source_digest
      FROM input i
      WHERE NOT EXISTS (
        SELECT 1 FROM workouts w
        WHERE w.user_id = $1 AND w.source_digest IS NULL AND w.exercise_type = i.exercise_type
          AND w.reps_count = i.reps_count AND w.duration_seconds = i.duration_seconds
          AND w.calories_burned IS NOT DISTINCT FROM i.calories_burned
          AND w.created_at = i.created_at AND w.details IS NOT DISTINCT FROM i.details)
      ORDER BY i.position
      ON CONFLICT DO NOTHING
      RETURNING source_digest
      """, parameters)
    var insertedDigests = Set(try inserted.all.map { try $0.decode(0, as: [UInt8].self) })
    return workouts.map { workout in
      // Set for every workout (checked above); the first of repeats in the batch is the stored one.
      guard let digest = workout.sourceDigest else { return false }
      return insertedDigests.remove(digest) != nil
    }
  }
}
