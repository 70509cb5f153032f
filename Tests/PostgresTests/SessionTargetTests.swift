import Foundation
import Logging
import Postgres
import TestSupport
import Testing

/// Which connections get `target_session_attrs` added (``SessionTarget``), and the WAL positions
/// (``WALPosition``) buddy remembers for read-your-writes on a standby.
@Suite struct SessionTargetTests {
  private let clean: [String: String] = [:]

  @Test(arguments: [
    "postgresql://ann@db.example.com:5432/buddy",
    "postgresql:///buddy?host=/tmp",
    "host=db port=5432 dbname=buddy",
    "",
  ])
  func oneHostIsLeftAlone(conninfo: String) {
    #expect(SessionTarget.preferStandby.attribute(for: conninfo, environment: clean) == nil)
    #expect(SessionTarget.readWrite.attribute(for: conninfo, environment: clean) == nil)
    #expect(!SessionTarget.isReplicated(conninfo, environment: clean))
  }

  @Test(arguments: [
    "postgresql://ann@10.0.0.1:5432,10.0.0.2:5433/buddy",
    "postgresql://ann:s3cret@a,b/buddy?sslmode=require",
    "host=a,b port=5432,5433 dbname=buddy",
    "hostaddr=10.0.0.1,10.0.0.2 dbname=buddy",
  ])
  func severalHostsGetTheAttribute(conninfo: String) {
    #expect(
      SessionTarget.preferStandby.attribute(for: conninfo, environment: clean) == "prefer-standby")
    #expect(SessionTarget.readWrite.attribute(for: conninfo, environment: clean) == "read-write")
  }

  @Test func severalHostsInPGHOSTCountWhenTheStringNamesNone() {
    let environment = ["PGHOST": "a,b"]
    #expect(SessionTarget.isReplicated("", environment: environment))
    #expect(SessionTarget.isReplicated("dbname=buddy", environment: environment))
    #expect(!SessionTarget.isReplicated("host=a dbname=buddy", environment: environment))
  }

  @Test(arguments: [
    "postgresql://ann@a,b/buddy?target_session_attrs=read-write",
    "postgresql://ann@a,b/buddy?target_session_attrs=any",
    "host=a,b target_session_attrs=primary",
  ])
  func theUsersOwnAttributeWins(conninfo: String) {
    #expect(SessionTarget.preferStandby.attribute(for: conninfo, environment: clean) == nil)
    #expect(!SessionTarget.isReplicated(conninfo, environment: clean))
    #expect(
      !SessionTarget.isReplicated(
        "host=a,b", environment: ["PGTARGETSESSIONATTRS": "any"]))
  }

  @Test(arguments: ["host='a,b", "postgresql://[::1/x", "nonsense without equals"])
  func anUnparsableStringIsLeftToLibpq(conninfo: String) {
    #expect(SessionTarget.preferStandby.attribute(for: conninfo, environment: clean) == nil)
  }

  @Test(
    arguments: [
      ("0/0", 0),
      ("16/B374D848", 0x16_B374_D848),
      ("ffffffff/ffffffff", UInt64.max),
      (" 0/1A\n", 0x1A),
    ] as [(String, UInt64)])
  func walPositionsParse(text: String, value: UInt64) throws {
    let position = try #require(WALPosition(text))
    #expect(position.value == value)
    #expect(WALPosition(position.description) == position)
  }

  @Test(arguments: [
    "", "/", "0/", "/0", "1/2/3", "123456789/0", "0/123456789", "g/0", "-1/0", "+1/0", "0x1/0",
    "1 /0", "0/0 junk", "０/0", "\u{0}",
  ])
  func garbageIsNoWALPosition(text: String) {
    #expect(WALPosition(text) == nil)
  }

  @Test func walPositionsOrderAsNumbers() throws {
    let early = try #require(WALPosition("0/FFFFFFFF"))
    let late = try #require(WALPosition("1/0"))
    #expect(early < late)
    #expect(late.description == "1/0")
    #expect(early.description == "0/FFFFFFFF")
  }
}

/// The attribute reaches libpq: against a real server made to look read-only, `read-write`
/// refuses it and `prefer-standby` accepts it, only when the URL names several hosts.
@Suite(
  "Session targets against a real server",
  .enabled(
    if: TestDatabase.isAvailable
      && ProcessInfo.processInfo.environment["BUDDY_TEST_TCP_PORT"] != nil))
struct SessionTargetConnectionTests {
  @Test func multiHostURLsGetTheTargetAndPasswordsStayHidden() throws {
    let port = try #require(ProcessInfo.processInfo.environment["BUDDY_TEST_TCP_PORT"])
    let database = try TestDatabase.create()
    defer { database.drop() }
    let admin = try database.connect()
    let role = "ro_\(UUID().uuidString.prefix(8).lowercased())"
    let secret = "Quiet-Harbour-\(UUID().uuidString.prefix(6))"
    try admin.query("CREATE ROLE \(role) LOGIN PASSWORD '\(secret)'")
    defer { _ = try? admin.query("DROP ROLE IF EXISTS \(role)") }
    // libpq's read-write check asks `SHOW transaction_read_only`: on, as on a standby.
    try admin.query("ALTER ROLE \(role) SET default_transaction_read_only = on")
    let logger = TestDatabase.quietLogger
    let host = "127.0.0.1:\(port)"
    let twoHosts = "postgresql://\(role):\(secret)@\(host),\(host)/\(database.name)"
    let oneHost = "postgresql://\(role):\(secret)@\(host)/\(database.name)"

    let refused = try #require(throws: PostgresError.self) {
      _ = try PostgresConnection(twoHosts, target: .readWrite, logger: logger)
    }
    #expect(refused.message.contains("read-only"), "\(refused.message)")
    #expect(!refused.description.contains(secret))

    let reader = try PostgresConnection(twoHosts, target: .preferStandby, logger: logger)
    #expect(try !reader.isInRecovery())
    // One host: untouched, so no read-write check.
    _ = try PostgresConnection(oneHost, target: .readWrite, logger: logger)
    // The user's own attribute wins.
    _ = try PostgresConnection(
      twoHosts + "?target_session_attrs=any", target: .readWrite, logger: logger)
  }

  @Test func theWritePositionIsReadable() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let connection = try database.connect()
    let before = try connection.currentWALInsertPosition()
    try connection.query("CREATE TABLE t (x int)")
    try connection.query("INSERT INTO t VALUES (1)")
    let after = try connection.currentWALInsertPosition()
    #expect(before < after)
    #expect(try !connection.isInRecovery())
    // Not a standby: nothing replayed, so never "caught up".
    #expect(try !connection.hasReplayed(before))
  }
}
