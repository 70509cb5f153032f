import Foundation
import TestSupport
import Testing

/// A password in the database location, in any spelling, is never printed: not by `db status`,
/// `config get`/`list`, nor the "cannot reach the database" line.
@Suite struct PasswordRedactionTests {
  static let secret = "Zq7-very-secret"

  /// Locations that name the password in each way libpq accepts; none of them can be reached.
  static let locations = [
    "postgresql://ann:\(secret)@127.0.0.1:1/buddy?connect_timeout=2",
    "postgresql://ann@127.0.0.1:1/buddy?password=\(secret)&connect_timeout=2",
    "host=127.0.0.1 port=1 user=ann password=\(secret) connect_timeout=2",
    "host=127.0.0.1 port=1 password='\(secret) with space' connect_timeout=2",
  ]

  @Test(arguments: locations)
  func dbStatusAndTheUnreachableLineHideThePassword(location: String) throws {
    let buddy = try BuddyProcess(environment: ["BUDDY_DATABASE_URL": location])
    defer { buddy.cleanUp() }
    for format in ["text", "json"] {
      let status = try buddy.run(["db", "status", "--format", format])
      #expect(status.status == 69)
      #expect(status.stderr.hasPrefix("buddy: cannot reach the database ("))
      #expect(status.stderr.contains("from BUDDY_DATABASE_URL)"))
      #expect(status.stdout.contains("***"))
      #expect(!(status.stdout + status.stderr).contains(Self.secret), "\(status)")
    }
  }

  @Test(arguments: locations)
  func configGetAndListHideThePassword(location: String) throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    #expect(try buddy.run(["config", "set", "database_url", location]).status == 0)
    for command in [["config", "get", "database_url"], ["config", "list"]] {
      let result = try buddy.run(command)
      #expect(result.status == 0)
      #expect(result.stdout.contains("***"))
      #expect(!result.stdout.contains(Self.secret), "\(command): \(result.stdout)")
    }
  }

  @Test func libpqDefaultsAreNamedOnce() throws {
    let buddy = try BuddyProcess(environment: [
      "PGHOST": "/nonexistent-buddy-socket-dir", "PGCONNECT_TIMEOUT": "2",
    ])
    defer { buddy.cleanUp() }
    let status = try buddy.run(["db", "status"])
    #expect(status.status == 69)
    #expect(
      status.stderr.hasPrefix(
        "buddy: cannot reach the database (libpq defaults: PG* variables, ~/.pgpass): "))
    #expect(status.stderr.components(separatedBy: "libpq defaults").count == 2, "\(status.stderr)")
  }
}
