import Foundation
import Postgres
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
      "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' "
        + "ORDER BY 1"
    ).all.map { try $0.decode(0, as: String.self) }
    #expect(
      tables == [
        "login_attempts", "schema_migrations", "sessions", "user_settings", "users", "workouts",
      ])
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
