import Foundation
import TestSupport
import Testing
import WorkoutStore

/// `buddy db migrate --to VERSION`: stops at a schema version, never goes down.
@Suite("buddy db migrate --to", .enabled(if: TestDatabase.isAvailable))
struct MigrateToVersionTests {
  @Test func stopsAtTheVersionThenGoesOnButNeverDown() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let buddy = try BuddyProcess(environment: ["BUDDY_DATABASE_URL": database.url])
    defer { buddy.cleanUp() }
    let partial = try buddy.run(["db", "migrate", "--to", "7"])
    #expect(partial.status == 0, "\(partial.stderr)")
    #expect(partial.stdout.contains("applied 7 migrations"))
    #expect(partial.stdout.contains("now version 7 of 7"))
    let connection = try database.connect()
    #expect(try SchemaMigrator(connection: connection).currentVersion() == 7)
    // Schema 7 has no partitions.
    #expect(
      try connection.query("SELECT relkind::text FROM pg_class WHERE oid = 'workouts'::regclass")[0]
        .decode(0, as: String.self) == "r")
    let status = try buddy.run(["db", "status"])
    #expect(status.status == 78)

    let rest = try buddy.run(["db", "migrate"])
    #expect(rest.status == 0, "\(rest.stderr)")
    #expect(rest.stdout.contains("applied 1 migration: 8 (monthly partitions of workouts)"))
    #expect(
      try connection.query("SELECT relkind::text FROM pg_class WHERE oid = 'workouts'::regclass")[0]
        .decode(0, as: String.self) == "p")

    let down = try buddy.run(["db", "migrate", "--to", "7"])
    #expect(down.status == 64)
    #expect(down.stderr.contains("version 8, past --to 7; buddy never migrates down"))
    #expect(try SchemaMigrator(connection: connection).currentVersion() == 8)
    for bad in ["0", "99", "seven"] {
      let result = try buddy.run(["db", "migrate", "--to", bad])
      #expect(result.status == 64, "--to \(bad)")
    }
    let help = try buddy.run(["db", "migrate", "--help"])
    #expect(help.stdout.contains("buddy db migrate --to 7"))
  }
}
