import Foundation
import Postgres
import RepCounting

/// One user's workouts: record (idempotent by source digest), look up, delete, page through.
/// Every query is scoped to the user, so nobody sees another user's rows.
public struct WorkoutRepository {
  let connection: PostgresConnection
  let userID: UUID

  public init(connection: PostgresConnection, userID: UUID) {
    self.connection = connection
    self.userID = userID
  }

  /// Stores `workout` unless the same source was recorded before (then nothing is written),
  /// with its kept `landmarks` if any, in the same transaction.
  public func record(_ workout: NewWorkout, landmarks: KeptLandmarks? = nil) throws
    -> RecordOutcome
  {
    try landmarks?.validate()
    try workout.validate()
    return try connection.transaction {
      // Serialise this user's records so the personal-record verdict cannot race.
      try connection.query("SELECT pg_advisory_xact_lock(hashtext($1::uuid::text))", [userID])
      if let digest = workout.sourceDigest, let existing = try find(digest: digest) {
        return .alreadyRecorded(existing)
      }
      let best = try connection.query(
        "SELECT max(reps_count) FROM workouts WHERE user_id = $1 AND exercise_type = $2",
        [userID, workout.exerciseType.name])[0].decode(0, as: Int?.self)
      if let id = workout.id, let existing = try? self.workout(id.uuidString) {
        return .alreadyRecorded(existing)
      }
      let row = try connection.query(
        """
        INSERT INTO workouts (id, user_id, exercise_type, reps_count, duration_seconds,
          calories_burned, created_at, details, source_digest)
        VALUES (coalesce($9, gen_random_uuid()), $1, $2, $3, $4, $5, $6, $7, $8)
        RETURNING \(Workout.columns)
        """,
        [
          userID, workout.exerciseType.name, workout.reps, workout.durationSeconds,
          workout.caloriesBurned, workout.createdAt, workout.details.map(PostgresJSON.init),
          workout.sourceDigest, workout.id,
        ])[0]
      let saved = try Workout(row: row)
      if let landmarks {
        try LandmarkRepository(connection: connection, userID: userID)
          .insert(landmarks, workoutID: saved.id)
      }
      let isRecord = workout.reps > 0 && workout.reps > (best ?? 0)
      return .saved(saved, isPersonalRecord: isRecord)
    }
  }

  /// Stores many workouts in one statement inside one transaction; rows whose source digest (or
  /// id) is already stored are skipped, as are repeats within `workouts`. Returns, per input,
  /// whether it was inserted. Each row is one complete workout, so a crash keeps whole batches.
  public func importBatch(_ workouts: [NewWorkout]) throws -> [Bool] {
    guard !workouts.isEmpty else { return [] }
    for workout in workouts { try workout.validate() }
    var values: [String] = []
    var parameters: [(any PostgresEncodable)?] = [userID]
    for (index, workout) in workouts.enumerated() {
      let base = parameters.count
      values.append(
        "(\(index), coalesce($\(base + 8)::uuid, gen_random_uuid()), $1::uuid, $\(base + 1)::text, "
          + "$\(base + 2)::int8, $\(base + 3)::int8, $\(base + 4)::float8, $\(base + 5)::timestamptz, "
          + "$\(base + 6)::jsonb, $\(base + 7)::bytea)")
      parameters += [
        workout.exerciseType.name, workout.reps, workout.durationSeconds, workout.caloriesBurned,
        workout.createdAt, workout.details.map(PostgresJSON.init), workout.sourceDigest, workout.id,
      ]
    }
    let rows = try connection.transaction {
      try skipDuplicateKeys(true)
      return try connection.query(
        """
        WITH input (position, id, user_id, exercise_type, reps_count, duration_seconds,
          calories_burned, created_at, details, source_digest) AS (VALUES \(values.joined(separator: ", ")))
        INSERT INTO workouts (id, user_id, exercise_type, reps_count, duration_seconds,
          calories_burned, created_at, details, source_digest)
        SELECT id, user_id, exercise_type, reps_count, duration_seconds, calories_burned,
          created_at, details, source_digest
        FROM input ORDER BY position
        ON CONFLICT DO NOTHING
        RETURNING id, source_digest
        """, parameters)
    }
    let inserted = Set(try rows.all.map { try $0.decode(0, as: UUID.self) })
    // Inputs without an id get theirs from the database: match those by digest.
    let insertedDigests = Set(try rows.all.compactMap { try $0.decode(1, as: [UInt8]?.self) })
    var seen = Set<[UInt8]>()
    return workouts.map { workout in
      if let id = workout.id { return inserted.contains(id) }
      guard let digest = workout.sourceDigest else { return true }
      guard insertedDigests.contains(digest), !seen.contains(digest) else { return false }
      seen.insert(digest)
      return true
    }
  }

  /// Which of `digests` this user has already recorded.
  public func recordedDigests(_ digests: [[UInt8]]) throws -> Set<[UInt8]> {
    guard !digests.isEmpty else { return [] }
    let list = digests.map(SHA256.hex).joined(separator: ",")
    return Set(
      try connection.query(
        "SELECT source_digest FROM workouts WHERE user_id = $1 AND source_digest = ANY("
          + "SELECT decode(unnest(string_to_array($2, ',')), 'hex'))", [userID, list]
      ).all.map { try $0.decode(0, as: [UInt8].self) })
  }

  /// The user's workout recorded from the input with this digest, if any.
  public func find(digest: [UInt8]) throws -> Workout? {
    try connection.query(
      "SELECT \(Workout.columns) FROM workouts WHERE user_id = $1 AND source_digest = $2",
      [userID, digest]
    ).first.map(Workout.init)
  }

  /// The user's workout with this full id, or the only one whose id starts with `reference`
  /// (at least 8 hex digits).
  public func workout(_ reference: String) throws -> Workout {
    let text = reference.lowercased()
    if let id = UUID(uuidString: text) {
      let rows = try connection.query(
        // The ledger's created_at for the id makes this read one partition.
        "SELECT \(Workout.columns) FROM workouts WHERE user_id = $1 AND id = $2 "
          + "AND created_at = buddy_api.workout_created_at($2)", [userID, id])
      guard let row = rows.first else { throw WorkoutError.notFound(reference) }
      return try Workout(row: row)
    }
    let hex = text.filter { $0 != "-" }
    guard hex.count >= 8, hex.allSatisfy(\.isHexDigit) else {
      throw WorkoutError.prefixTooShort(reference)
    }
    let rows = try connection.query(
      "SELECT \(Workout.columns) FROM workouts WHERE user_id = $1 "
        + "AND replace(id::text, '-', '') LIKE $2 || '%' ORDER BY created_at DESC LIMIT 10",
      [userID, hex])
    switch rows.count {
    case 0: throw WorkoutError.notFound(reference)
    case 1: return try Workout(row: rows[0])
    default:
      let candidates = try rows.all.map { try $0.decode(0, as: UUID.self).uuidString.lowercased() }
      throw WorkoutError.ambiguous(reference, candidates: candidates)
    }
  }

  /// Deletes the user's workout with this id.
  public func delete(_ id: UUID) throws {
    let deleted = try connection.query(
      "DELETE FROM workouts WHERE user_id = $1 AND id = $2", [userID, id]
    ).affectedRows
    guard deleted == 1 else { throw WorkoutError.notFound(id.uuidString.lowercased()) }
  }

  /// The user's workouts, newest first, filtered and paged.
  public func history(_ filter: HistoryFilter) throws -> [Workout] {
    var conditions = ["user_id = $1"]
    var parameters: [(any PostgresEncodable)?] = [userID]
    func bind(_ value: any PostgresEncodable) -> String {
      parameters.append(value)
      return "$\(parameters.count)"
    }
    var zone: String?
    func timeZone() -> String {
      if let zone { return zone }
      let placeholder = bind(filter.timeZone)
      zone = placeholder
      return placeholder
    }
    if let exercise = filter.exerciseType {
      conditions.append("exercise_type = \(bind(exercise.name))")
    }
    if let since = filter.since {
      let day = bind(since.description)
      conditions.append("created_at >= (\(day)::date::timestamp AT TIME ZONE \(timeZone()))")
    }
    if let until = filter.until {
      let day = bind(until.description)
      conditions.append("created_at < ((\(day)::date + 1)::timestamp AT TIME ZONE \(timeZone()))")
    }
    let (pageOffset, overflow) = max(filter.page - 1, 0).multipliedReportingOverflow(
      by: max(filter.limit, 0))
    guard !overflow else {
      throw WorkoutError.invalidValue("page \(filter.page) of \(filter.limit) is out of range")
    }
    var offset = pageOffset
    if let before = filter.beforeID {
      let anchor = bind(before)
      conditions.append(
        "(created_at, id) < (SELECT created_at, id FROM workouts WHERE user_id = $1 AND id = \(anchor))"
      )
      offset = 0
    }
    let sql = """
      SELECT \(Workout.columns) FROM workouts
      WHERE \(conditions.joined(separator: " AND "))
      ORDER BY created_at DESC, id DESC
      LIMIT \(bind(max(filter.limit, 0))) OFFSET \(bind(offset))
      """
    return try connection.query(sql, parameters).all.map(Workout.init)
  }
}
