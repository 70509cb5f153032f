import Foundation
import Postgres
import RepCounting
import TestSupport
import Testing

@testable import WorkoutStore

@Suite("Schema migrations", .enabled(if: TestDatabase.isAvailable))
struct MigrationTests {
  @Test func migratesAnEmptyDatabaseAndReRunsAsANoOp() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let connection = try database.connect()
    let migrator = SchemaMigrator(connection: connection)
    #expect(try migrator.currentVersion() == 0)
    #expect(throws: MigrationError.databaseBehind(current: 0, latest: Migration.latestVersion)) {
      try migrator.requireCurrent()
    }
    let applied = try migrator.migrate()
    #expect(applied.map(\.version) == Migration.all.map(\.version))
    #expect(try migrator.currentVersion() == Migration.latestVersion)
    try migrator.requireCurrent()
    #expect(try migrator.migrate().isEmpty)
    let rows = try connection.query("SELECT count(*) FROM schema_migrations")[0].decode(
      0, as: Int.self)
    #expect(rows == Migration.all.count)
    let tables = try connection.query(
      "SELECT relname::text FROM pg_class WHERE relnamespace = 'public'::regnamespace "
        + "AND relkind IN ('r', 'p') AND NOT relispartition ORDER BY 1"
    ).all.map { try $0.decode(0, as: String.self) }
    #expect(
      tables == [
        "exercises", "login_attempts", "schema_migrations", "sessions", "user_settings", "users",
        "workout_keys", "workout_landmarks", "workouts",
      ])
  }

  @Test func aVersion1DatabaseWithRowsMigratesUntouchedToTheExerciseTable() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let connection = try database.connect()
    try SchemaMigrator(connection: connection, migrations: Array(Migration.all.prefix(1)))
      .migrate()
    let user = try connection.query(
      "INSERT INTO users (email, username, hashed_password) "
        + "VALUES ('v1@example.com', 'v1user', 'x') RETURNING id"
    )[0].decode(0, as: UUID.self)
    try connection.query(
      "INSERT INTO workouts (user_id, exercise_type, reps_count, duration_seconds, "
        + "calories_burned, created_at, details) VALUES "
        + "($1, 'push-up', 20, 60, 8.5, '2026-01-02 03:04:05+00', '{\"source\": \"manual\"}'),"
        + "($1, 'jump-rope', 300, 180, 40, '2026-01-03 03:04:05+00', NULL)",
      [user])
    let snapshot =
      "SELECT id::text, exercise_type::text, reps_count::text, "
      + "duration_seconds::text, calories_burned::text, created_at::text, details::text, "
      + "source_digest::text FROM workouts ORDER BY created_at"
    func rows() throws -> [[String?]] {
      try connection.query(snapshot).all.map { row in
        try (0..<8).map { try row.decode($0, as: String?.self) }
      }
    }
    let before = try rows()
    try SchemaMigrator(connection: connection).migrate()
    #expect(try rows() == before)
    // The table lists exactly the catalogue's exercises.
    let names = try connection.query("SELECT name::text FROM exercises ORDER BY name").all.map {
      try $0.decode(0, as: String.self)
    }
    #expect(names == Exercise.allCases.map(\.name).sorted())
    // The CHECK is gone, and the foreign key refuses a name the table does not hold.
    let checks = try connection.query(
      "SELECT count(*) FROM pg_constraint WHERE conrelid = 'workouts'::regclass "
        + "AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%exercise_type%'"
    )[0].decode(0, as: Int.self)
    #expect(checks == 0)
    #expect {
      try connection.query(
        "INSERT INTO workouts (user_id, exercise_type, reps_count, duration_seconds) "
          + "VALUES ($1, 'burpee', 1, 1)", [user])
    } throws: { error in
      (error as? PostgresError)?.sqlState == "23503"
    }
  }

  @Test func concurrentMigrationsApplyEachStepOnce() async throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let appliedCounts = try await withThrowingTaskGroup(of: Int.self) { group in
      for _ in 0..<4 {
        group.addTask {
          let connection = try database.connect()
          return try SchemaMigrator(connection: connection).migrate().count
        }
      }
      var counts: [Int] = []
      for try await count in group { counts.append(count) }
      return counts
    }
    #expect(appliedCounts.sorted() == [0, 0, 0, Migration.all.count])
    let connection = try database.connect()
    #expect(try SchemaMigrator(connection: connection).currentVersion() == Migration.latestVersion)
  }

  @Test func aNewerSchemaIsRefused() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let connection = try database.connect()
    let migrator = SchemaMigrator(connection: connection)
    try migrator.migrate()
    let future = Migration.latestVersion + 1
    try connection.query(
      "INSERT INTO schema_migrations (version, name) VALUES ($1, 'from the future')", [future])
    let expected = MigrationError.databaseAhead(current: future, latest: Migration.latestVersion)
    #expect(throws: expected) { try migrator.requireCurrent() }
    #expect(throws: expected) { try migrator.migrate() }
    #expect(expected.description.contains("upgrade buddy"))
  }

  @Test func aFailingMigrationLeavesNothingBehind() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let connection = try database.connect()
    let failing = Migration(
      version: Migration.latestVersion + 1, name: "broken", sql: "CREATE TABLE broken (")
    let broken = Migration.all + [failing]
    #expect(throws: PostgresError.self) {
      try SchemaMigrator(connection: connection, migrations: broken).migrate()
    }
    // One transaction: not even the first, valid migration is kept.
    #expect(try SchemaMigrator(connection: connection).currentVersion() == 0)
    #expect(
      try connection.query("SELECT to_regclass('public.users') IS NULL")[0].decode(0, as: Bool.self)
    )
  }
}
