import Foundation
import Postgres
import RepCounting
import TestSupport
import Testing

@testable import WorkoutStore

/// `workouts` in monthly partitions (schema v8): the conversion of a populated v7 table, exact
/// idempotency across months through the `workout_keys` ledger, moves between months, the
/// DEFAULT partition, privileges and partition pruning.
@Suite("Monthly partitions of workouts", .enabled(if: TestDatabase.isAvailable))
struct WorkoutPartitionTests {
  private static func instant(_ text: String) -> Date {
    ISO8601DateFormatter().date(from: text) ?? .distantPast
  }

  private static func landmarks() throws -> KeptLandmarks {
    var writer = LandmarkPayloadWriter()
    for index in 0..<5 {
      try writer.append(
        PoseFrame(
          time: Double(index) / 30,
          landmarks: (0..<33).map { Landmark(x: 0.01 * Double($0), y: 0.4) })
      )
    }
    return KeptLandmarks(writer, framesPerSecond: 30, imageWidth: 640, imageHeight: 480)
  }

  private static func workout(
    _ time: String, digest: UInt8? = nil, reps: Int = 5, id: UUID? = nil
  ) -> NewWorkout {
    NewWorkout(
      exerciseType: .pushUp, reps: reps, durationSeconds: 60, caloriesBurned: 2,
      createdAt: instant(time), details: nil,
      sourceDigest: digest.map { [UInt8](repeating: $0, count: 32) }, id: id)
  }

  private static func count(_ connection: PostgresConnection, _ sql: String) throws -> Int {
    try connection.query(sql)[0].decode(0, as: Int.self)
  }

  /// The ledger holds exactly the rows of `workouts`, key for key.
  private static func expectLedgerExact(_ connection: PostgresConnection) throws {
    let mismatches = try count(
      connection,
      """
      SELECT count(*) FROM (
        (SELECT id, user_id, created_at, source_digest FROM workouts
         EXCEPT ALL SELECT id, user_id, created_at, source_digest FROM workout_keys)
        UNION ALL
        (SELECT id, user_id, created_at, source_digest FROM workout_keys
         EXCEPT ALL SELECT id, user_id, created_at, source_digest FROM workouts)) d
      """)
    #expect(mismatches == 0)
  }

  @Test func aPopulatedVersion7TableMovesIntoItsMonthsWithoutLoss() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let connection = try database.connect()
    try SchemaMigrator(connection: connection, migrations: Array(Migration.all.prefix(7)))
      .migrate()
    let user = try connection.query(
      "INSERT INTO users (email, username, hashed_password) VALUES ('v7@example.com', 'v7user', "
        + "'x') RETURNING id")[0].decode(0, as: UUID.self)
    // Several months, a month edge, a very old and a far future row, details and digests.
    try connection.query(
      """
      INSERT INTO workouts (user_id, exercise_type, reps_count, duration_seconds,
        calories_burned, created_at, details, source_digest)
      VALUES
        ($1, 'push-up', 10, 60, 1.5, '2025-01-15 10:00+00', '{"source": "manual"}', NULL),
        ($1, 'squat', 12, 61, NULL, '2025-03-31 23:59:59.999999+00', NULL, sha256('a')),
        ($1, 'jump-rope', 300, 180, 40, '2025-04-01 00:00+00', NULL, sha256('b')),
        ($1, 'push-up', 1, 1, NULL, '1971-06-01 00:00+00', NULL, NULL),
        ($1, 'push-up', 2, 2, NULL, '2090-12-31 23:00+00', NULL, sha256('c'))
      """, [user])
    let kept = try connection.query(
      "SELECT id FROM workouts WHERE created_at = '2025-01-15 10:00+00'")[0].decode(
        0, as: UUID.self)
    try LandmarkRepository(connection: connection, userID: user).insert(
      try Self.landmarks(), workoutID: kept)
    let snapshot =
      "SELECT string_agg(w::text, ',' ORDER BY w.created_at) FROM (SELECT id, user_id, "
      + "exercise_type, reps_count, duration_seconds, calories_burned, created_at, details, "
      + "source_digest FROM workouts) w"
    let before = try connection.query(snapshot)[0].decode(0, as: String.self)
    let landmarksBefore = try LandmarkRepository(connection: connection, userID: user)
      .landmarks(of: kept)

    let applied = try SchemaMigrator(connection: connection).migrate()
    #expect(applied.map(\.version).contains(WorkoutPartitions.firstVersion))
    #expect(try connection.query(snapshot)[0].decode(0, as: String.self) == before)
    #expect(
      try LandmarkRepository(connection: connection, userID: user).landmarks(of: kept)
        == landmarksBefore)
    #expect(try Self.count(connection, "SELECT count(*) FROM workouts_default") == 0)
    let homes = try connection.query(
      "SELECT tableoid::regclass::text FROM workouts ORDER BY created_at"
    ).all.map { try $0.decode(0, as: String.self) }
    #expect(
      homes == [
        "workouts_p1971_06", "workouts_p2025_01", "workouts_p2025_03", "workouts_p2025_04",
        "workouts_p2090_12",
      ])
    try Self.expectLedgerExact(connection)
    // This month and the next 12 exist ahead, with the DEFAULT partition last.
    let names = try WorkoutPartitions.list(connection).map(\.name)
    #expect(names.last == "workouts_default")
    for name in Self.monthsAhead() { #expect(names.contains(name), "\(name) missing") }
    // The digests stay unique per user across months.
    let repository = WorkoutRepository(connection: connection, userID: user)
    var again = Self.workout("2026-02-01T00:00:00Z")
    again.sourceDigest = try connection.query("SELECT sha256('a')")[0].decode(
      0, as: [UInt8].self)
    #expect(try repository.importBatch([again]) == [false])
  }

  @Test func aDigestOrAnIdIsStoredOnceAcrossMonths() throws {
    let fixture = try WorkoutStoreFixture()
    defer { fixture.close() }
    let ann = try fixture.addUser("ann")
    let bob = try fixture.addUser("bob")
    let workouts = fixture.workouts(of: ann)
    #expect(
      try workouts.importBatch([
        Self.workout("2025-01-10T08:00:00Z", digest: 1),
        Self.workout("2025-06-10T08:00:00Z", digest: 1),
        Self.workout("2025-07-10T08:00:00Z", digest: 2),
      ]) == [true, false, true])
    #expect(
      try workouts.importBatch([
        Self.workout("2025-09-10T08:00:00Z", digest: 2),
        Self.workout("2025-09-10T08:00:00Z", digest: 3),
      ]) == [false, true])
    // record(): the same source in another month is the workout recorded before.
    guard
      case .alreadyRecorded(let earlier) = try workouts.record(
        Self.workout("2030-01-01T00:00:00Z", digest: 1))
    else {
      Issue.record("a repeated digest was stored again")
      return
    }
    #expect(earlier.createdAt == Self.instant("2025-01-10T08:00:00Z"))
    // restore() skips held digests too.
    #expect(
      try workouts.inTransaction {
        try workouts.restore([Self.workout("2024-01-01T00:00:00Z", digest: 3)])
      } == [false])
    // Another user may hold the same digest.
    #expect(
      try fixture.workouts(of: bob).importBatch([Self.workout("2025-01-10T08:00:00Z", digest: 1)])
        == [true])
    // An id is one workout, whatever month it is given in.
    let id = UUID()
    #expect(try workouts.importBatch([Self.workout("2025-02-02T00:00:00Z", id: id)]) == [true])
    #expect(try workouts.importBatch([Self.workout("2026-05-05T00:00:00Z", id: id)]) == [false])
    #expect(try Self.count(fixture.connection, "SELECT count(*) FROM workouts") == 5)
    try Self.expectLedgerExact(fixture.connection)
    // A plain insert of a held key fails as with a unique index.
    #expect {
      try fixture.connection.query(
        "INSERT INTO workouts (id, user_id, exercise_type, reps_count, duration_seconds, "
          + "created_at) VALUES ($1, $2, 'push-up', 1, 1, '2027-03-03+00')", [id, ann])
    } throws: { error in
      (error as? PostgresError)?.kind == .uniqueViolation
    }
    #expect(try Self.count(fixture.connection, "SELECT count(*) FROM workouts") == 5)
  }

  @Test func twoImportersOfOneSourceInDifferentMonthsStoreItOnce() throws {
    let fixture = try WorkoutStoreFixture()
    defer { fixture.close() }
    let ann = try fixture.addUser("ann")
    let first = try fixture.database.connect()
    let second = SecondImporter(try fixture.database.connect())
    try first.execute(script: "BEGIN")
    try first.query(
      "INSERT INTO workouts (user_id, exercise_type, reps_count, duration_seconds, created_at, "
        + "source_digest) VALUES ($1, 'push-up', 5, 60, '2025-01-10 08:00+00', $2)",
      [ann, [UInt8](repeating: 7, count: 32)])
    // The second waits on the first's uncommitted ledger row, then skips.
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      second.run(ann, Self.workout("2025-08-10T08:00:00Z", digest: 7))
      done.signal()
    }
    thread.start()
    #expect(done.wait(timeout: .now() + 1) == .timedOut)
    try first.execute(script: "COMMIT")
    #expect(done.wait(timeout: .now() + 30) == .success)
    #expect(second.outcome == [false])
    #expect(try Self.count(fixture.connection, "SELECT count(*) FROM workouts") == 1)
    try Self.expectLedgerExact(fixture.connection)
  }

  @Test func editingTheTimeIntoAnotherMonthKeepsTheLandmarksAndTheKey() throws {
    let fixture = try WorkoutStoreFixture()
    defer { fixture.close() }
    let ann = try fixture.addUser("ann")
    let workouts = fixture.workouts(of: ann)
    let kept = try Self.landmarks()
    // From this month's partition to the one three months ahead.
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
    let later = calendar.date(byAdding: .month, value: 3, to: Date()) ?? Date()
    var start = Self.workout("2025-01-10T08:00:00Z", digest: 9)
    start.createdAt = Date()
    guard case .saved(let saved, _) = try workouts.record(start, landmarks: kept) else {
      Issue.record("not saved")
      return
    }
    let home = "SELECT tableoid::regclass::text FROM workouts WHERE id = $1"
    #expect(
      try fixture.connection.query(home, [saved.id])[0].decode(0, as: String.self)
        == Self.monthsAhead()[0])
    let moved = try workouts.edit(saved.id, WorkoutEdit(createdAt: later), bodyMassKg: 70)
    #expect(moved.id == saved.id)
    #expect(abs(moved.createdAt.timeIntervalSince(later)) < 0.001)
    #expect(
      try fixture.connection.query(home, [saved.id])[0].decode(0, as: String.self)
        == Self.monthsAhead()[3])
    #expect(
      try LandmarkRepository(connection: fixture.connection, userID: ann).landmarks(
        of: saved.id) == kept)
    try Self.expectLedgerExact(fixture.connection)
    #expect(try workouts.workout(saved.id.uuidString).createdAt == moved.createdAt)
    // Its digest still makes a repeat a no-op; deleting it frees the key.
    #expect(try workouts.importBatch([start]) == [false])
    try workouts.delete(saved.id)
    #expect(try Self.count(fixture.connection, "SELECT count(*) FROM workout_landmarks") == 0)
    try Self.expectLedgerExact(fixture.connection)
    #expect(try workouts.importBatch([start]) == [true])
  }

  @Test func aMonthWithoutItsPartitionLandsInDefaultUntilTheNextMigrate() throws {
    let fixture = try WorkoutStoreFixture()
    defer { fixture.close() }
    let ann = try fixture.addUser("ann")
    let workouts = fixture.workouts(of: ann)
    guard
      case .saved(let saved, _) = try workouts.record(
        Self.workout("2041-02-03T04:05:06Z", digest: 4), landmarks: try Self.landmarks())
    else {
      Issue.record("not saved")
      return
    }
    let home = "SELECT tableoid::regclass::text FROM workouts WHERE id = $1"
    #expect(
      try fixture.connection.query(home, [saved.id])[0].decode(0, as: String.self)
        == "workouts_default")
    #expect(try SchemaMigrator(connection: fixture.connection).migrate().isEmpty)
    #expect(
      try fixture.connection.query(home, [saved.id])[0].decode(0, as: String.self)
        == "workouts_p2041_02")
    #expect(try Self.count(fixture.connection, "SELECT count(*) FROM workouts_default") == 0)
    #expect(
      try LandmarkRepository(connection: fixture.connection, userID: ann).landmarks(of: saved.id)
        != nil)
    try Self.expectLedgerExact(fixture.connection)
    #expect(try workouts.importBatch([Self.workout("2041-02-03T04:05:06Z", digest: 4)]) == [false])
  }

  /// Partition names of this month and the next 12 (UTC).
  private static func monthsAhead() -> [String] {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
    return (0...WorkoutPartitions.monthsAhead).map { ahead in
      let month = calendar.date(byAdding: .month, value: ahead, to: Date()) ?? Date()
      let parts = calendar.dateComponents([.year, .month], from: month)
      return String(format: "workouts_p%04d_%02d", parts.year ?? 0, parts.month ?? 0)
    }
  }

  @Test func withoutPgPartmanBuddyMakesTheMonthsAheadItself() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let connection = try database.connect()
    try SchemaMigrator(connection: connection, usePartman: false).migrate()
    #expect(
      try Self.count(connection, "SELECT count(*) FROM pg_extension WHERE extname = 'pg_partman'")
        == 0)
    let names = try WorkoutPartitions.list(connection).map(\.name)
    for name in Self.monthsAhead() { #expect(names.contains(name), "\(name) missing") }
    // A far month waits in DEFAULT, and the next run gives it its partition.
    let user = try connection.query(
      "INSERT INTO users (email, username, hashed_password) VALUES ('np@example.com', 'nopartman', 'x') "
        + "RETURNING id")[0].decode(0, as: UUID.self)
    _ = try WorkoutRepository(connection: connection, userID: user).record(
      Self.workout("2044-04-04T04:04:04Z", digest: 1))
    #expect(try Self.count(connection, "SELECT count(*) FROM workouts_default") == 1)
    #expect(try SchemaMigrator(connection: connection, usePartman: false).migrate().isEmpty)
    #expect(try Self.count(connection, "SELECT count(*) FROM workouts_p2044_04") == 1)
    try Self.expectLedgerExact(connection)
  }

  @Test func pgPartmanMakesTheMonthsAheadWhenTheServerHasIt() throws {
    let fixture = try WorkoutStoreFixture()
    defer { fixture.close() }
    let connection = fixture.connection
    let available = try WorkoutPartitions.partmanAvailable(connection)
    let installed = try Self.count(
      connection, "SELECT count(*) FROM pg_extension WHERE extname = 'pg_partman'")
    #expect(installed == (available ? 1 : 0))
    if available {
      let config = try connection.query(
        "SELECT premake::int8, inherit_privileges, partition_interval FROM partman.part_config "
          + "WHERE parent_table = 'public.workouts'")
      #expect(config.count == 1)
      #expect(try config[0].decode(0, as: Int.self) == WorkoutPartitions.monthsAhead)
      #expect(try !config[0].decode(1, as: Bool.self))
    }
    let names = try WorkoutPartitions.list(connection).map(\.name)
    for name in Self.monthsAhead() { #expect(names.contains(name), "\(name) missing") }
    #expect(names.last == "workouts_default")
    // Every partition, whoever made it, is the owner's and grants nothing.
    #expect(
      try Self.count(
        connection,
        """
        SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'workouts'::regclass AND (pg_get_userbyid(c.relowner) <> 'buddy_owner'
          OR NOT c.relrowsecurity OR EXISTS (
            SELECT 1 FROM aclexplode(c.relacl) a WHERE a.grantee <> c.relowner))
        """) == 0)
    // The DEFAULT partition (pg_partman's when it made it) still takes any month, and the next
    // migrate moves the row out, landmarks and all, however often it runs.
    let ann = try fixture.addUser("ann")
    guard
      case .saved(let saved, _) = try fixture.workouts(of: ann).record(
        Self.workout("2043-03-03T03:03:03Z", digest: 2), landmarks: try Self.landmarks())
    else {
      Issue.record("not saved")
      return
    }
    #expect(try Self.count(connection, "SELECT count(*) FROM workouts_default") == 1)
    try SchemaMigrator(connection: connection).migrate()
    try SchemaMigrator(connection: connection).migrate()
    #expect(try Self.count(connection, "SELECT count(*) FROM workouts_p2043_03") == 1)
    #expect(
      try LandmarkRepository(connection: connection, userID: ann).landmarks(of: saved.id) != nil)
    try Self.expectLedgerExact(connection)
  }

  @Test func theClientRoleHasNoPrivilegeOnAnyPartitionOrTheLedger() throws {
    let world = try ClientRoleFixture()
    defer { world.close() }
    let vera = try world.member("vera")
    let client = try world.client(vera.token)
    // A workout in a month without a partition, then a migrate that makes one for it.
    _ = try WorkoutRepository(connection: client, userID: vera.id).record(
      Self.workout("2042-07-07T07:07:07Z", digest: 1))
    try SchemaMigrator(connection: world.admin).migrate()
    let relations = try world.admin.query(
      """
      SELECT c.relname::text,
        has_table_privilege('buddy_clients', c.oid,
          'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER'),
        has_table_privilege('buddy_client', c.oid,
          'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER'),
        c.relrowsecurity, pg_get_userbyid(c.relowner)::text
      FROM pg_class c
      WHERE c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'workouts'::regclass)
        OR c.oid = 'workout_keys'::regclass
      """)
    #expect(relations.count > WorkoutPartitions.monthsAhead + 2)
    #expect(
      try relations.all.map { try $0.decode(0, as: String.self) }.contains("workouts_p2042_07"))
    for row in relations.all {
      let name = try row.decode(0, as: String.self)
      #expect(try !row.decode(1, as: Bool.self), "\(name)")
      #expect(try !row.decode(2, as: Bool.self), "\(name)")
      #expect(try row.decode(3, as: Bool.self), "\(name)")
      #expect(try row.decode(4, as: String.self) == "buddy_owner", "\(name)")
    }
    // The parent keeps row-level security and the client's grants.
    let parent = try world.admin.query(
      "SELECT relrowsecurity, has_table_privilege('buddy_clients', oid, 'SELECT, INSERT') "
        + "FROM pg_class WHERE oid = 'workouts'::regclass")[0]
    #expect(try parent.decode(0, as: Bool.self) && parent.decode(1, as: Bool.self))
    for table in ["workouts_p2042_07", "workouts_default", "workout_keys"] {
      #expect(throws: PostgresError.self) { try client.query("SELECT count(*) FROM \(table)") }
    }
    // Another user's digest cannot be probed through the ledger: the insert is refused.
    let mallory = try world.member("mallory")
    let probe = try world.client(mallory.token)
    #expect(throws: PostgresError.self) {
      try probe.query(
        "INSERT INTO workouts (user_id, exercise_type, reps_count, duration_seconds, "
          + "created_at, source_digest) VALUES ($1, 'push-up', 1, 1, now(), $2)",
        [vera.id, [UInt8](repeating: 1, count: 32)])
    }
    #expect(try world.count("SELECT count(*) FROM workouts") == 1)
    // A lookup by id names the created_at of one's own workouts only.
    let id = try world.admin.query("SELECT id FROM workouts")[0].decode(0, as: UUID.self)
    let own = try client.query("SELECT buddy_api.workout_created_at($1)", [id])[0]
    #expect(try own.decode(0, as: Date?.self) != nil)
    let theirs = try probe.query("SELECT buddy_api.workout_created_at($1)", [id])[0]
    #expect(try theirs.decode(0, as: Date?.self) == nil)
  }

  @Test func theStatsQueriesOfAFewMonthsReadOnlyThosePartitions() throws {
    let world = try ClientRoleFixture()
    defer { world.close() }
    let vera = try world.member("vera")
    let client = try world.client(vera.token)
    let now = Self.instant("2026-11-26T12:00:00Z")
    // Rows in every month from 2024 to now, so that there are partitions to leave out.
    try world.admin.query(
      """
      INSERT INTO workouts (user_id, exercise_type, reps_count, duration_seconds, created_at)
      SELECT $1, 'push-up', 10, 60, g
      FROM generate_series(timestamptz '2024-01-15', timestamptz '2026-11-25', interval '9 days') g
      """, [vera.id])
    try SchemaMigrator(connection: world.admin).migrate()
    try world.admin.query("ANALYZE workouts")
    let queries = StatsQueries(
      connection: client, userID: vera.id, timeZone: "Europe/Berlin", weekStart: .monday,
      now: now)
    func scanned(_ plan: String) -> Set<String> {
      Set(
        plan.split(separator: "\n").compactMap { line in
          guard
            let range = line.range(of: #"on workouts_p\d{4}_\d{2}"#, options: .regularExpression)
          else { return nil }
          return String(line[range].dropFirst(3))
        })
    }
    for analyze in [false, true] {
      let days = try queries.explain(.lastDays, analyze: analyze)
      // 20 to 26 November local: November only (the plan lists no other month).
      #expect(scanned(days) == ["workouts_p2026_11"], "\(days)")
      let months = try queries.explain(.lastMonths, analyze: analyze)
      // December 2025 to November 2026 local: from the November 2025 partition (Berlin's
      // 1 December 00:00 is 30 November 23:00 UTC) to November 2026.
      let expected = Set(
        ["workouts_p2025_11", "workouts_p2025_12"]
          + (1...11).map { String(format: "workouts_p2026_%02d", $0) })
      #expect(scanned(months) == expected, "\(months)")
    }
    #expect(try queries.lastMonths().map(\.workouts).reduce(0, +) > 30)
  }
}

/// The second importer of the concurrency test: its connection, used on its own thread, and
/// what its import returned.
private final class SecondImporter: @unchecked Sendable {
  private let connection: PostgresConnection
  private let lock = NSLock()
  private var stored: [Bool]?

  init(_ connection: PostgresConnection) { self.connection = connection }

  var outcome: [Bool]? { lock.withLock { stored } }

  func run(_ user: UUID, _ workout: NewWorkout) {
    let result = try? WorkoutRepository(connection: connection, userID: user).importBatch([workout])
    lock.withLock { stored = result }
  }
}
