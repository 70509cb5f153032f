import Foundation
import TestSupport
import Testing
import WorkoutStore

@Suite("buddy db against the test database", .enabled(if: TestDatabase.isAvailable))
struct DatabaseCommandTests {
  @Test func statusSaysToMigrateThenMigrateThenUpToDate() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let buddy = try BuddyProcess(environment: ["BUDDY_DATABASE_URL": database.url])
    defer { buddy.cleanUp() }
    let before = try buddy.run(["db", "status"])
    #expect(before.status == 78)
    #expect(before.stdout.contains("schema: version 0 of \(latest), run `buddy db migrate`"))
    #expect(before.stderr.contains("run `buddy db migrate`"))
    let migrate = try buddy.run(["db", "migrate"])
    #expect(migrate.status == 0)
    #expect(migrate.stdout.contains("applied \(latest) migrations"))
    let again = try buddy.run(["db", "migrate"])
    #expect(again.stdout == "schema: version \(latest) of \(latest), up to date\n")
    let after = try buddy.run(["db", "status", "--format", "json"])
    #expect(after.status == 0)
    #expect(
      after.stdout.contains(
        #""schema_version":\#(latest),"latest_schema_version":\#(latest),"up_to_date":true"#))
  }

  @Test func concurrentMigrateCommandsBothSucceed() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let buddy = try BuddyProcess(environment: ["BUDDY_DATABASE_URL": database.url])
    defer { buddy.cleanUp() }
    let results = LockedResults()
    DispatchQueue.concurrentPerform(iterations: 2) { _ in
      results.append(try? buddy.run(["db", "migrate"]))
    }
    let all = results.values
    #expect(all.count == 2)
    #expect(all.allSatisfy { $0.status == 0 })
    #expect(all.filter { $0.stdout.contains("applied \(latest) migrations") }.count == 1)
  }
}

private final class LockedResults: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: [BuddyProcess.Result] = []
  var values: [BuddyProcess.Result] { lock.withLock { stored } }
  func append(_ result: BuddyProcess.Result?) {
    guard let result else { return }
    lock.withLock { stored.append(result) }
  }
}

/// The schema version this build migrates to.
private let latest = Migration.latestVersion
