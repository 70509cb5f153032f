import Postgres
import Testing

/// Which errors mean "the server is gone or no longer the primary" (a failover), and the bounded
/// reconnect-and-rerun loop (``FailoverRetry``), on a fake clock: no server needed.
@Suite struct FailoverRetryTests {
  @Test(arguments: ["08006", "08003", "08001", "57P01", "57P02", "57P03", "25006"])
  func serverGoneStatesAreFailovers(state: String) {
    let error = PostgresError(kind: .other, sqlState: state, message: "x")
    #expect(error.meansServerGone)
  }

  @Test(arguments: [
    "server closed the connection unexpectedly\tThis probably means the server terminated abnormally",
    "no connection to the server",
    "could not receive data from server: Connection reset by peer",
    #"connection to server at "127.0.0.1", port 41001 failed: Connection refused Is the server running on that host and accepting TCP/IP connections?"#,
    #"connection to server at "127.0.0.1", port 41002 failed: session is read-only"#,
    "FATAL:  the database system is in recovery mode",
  ])
  func libpqWordsForALostConnectionAreFailovers(message: String) {
    #expect(PostgresError(kind: .connectionFailure, message: message).meansServerGone)
  }

  @Test func loginStatementAndClosedConnectionErrorsAreNot() {
    let notGone = [
      PostgresError(kind: .connectionFailure, sqlState: "28P01", message: "password failed"),
      PostgresError(kind: .uniqueViolation, sqlState: "23505", message: "duplicate key"),
      PostgresError(kind: .other, sqlState: "42601", message: "syntax error"),
      PostgresError(kind: .serializationFailure, sqlState: "40001", message: "retry"),
      PostgresError(
        kind: .connectionFailure,
        message: #"connection to server at "db" failed: FATAL: password authentication failed"#),
      PostgresError(kind: .connectionFailure, message: #"FATAL: database "nope" does not exist"#),
      PostgresError(kind: .connectionFailure, message: "the connection is closed"),
      PostgresError(kind: .other, message: "connection refused"),
    ]
    for error in notGone { #expect(!error.meansServerGone, "\(error)") }
    // A statement error after which the connection went bad still lost the server.
    #expect(
      PostgresError(kind: .connectionFailure, sqlState: "XX000", message: "x").meansServerGone)
  }

  @Test func pausesStartAtOnceThenDoubleFromAHundredMillisecondsToOneSecond() {
    let pauses = (1...8).map { FailoverRetry.delay(beforeAttempt: $0) }
    #expect(pauses == [0, 100, 200, 400, 800, 1000, 1000, 1000])
    #expect(FailoverRetry.delay(beforeAttempt: 1_000_000) == 1000)
  }

  @Test func theBoundIsClampedAndNeverPassed() {
    #expect(FailoverRetry(waitMilliseconds: -5).waitMilliseconds == 0)
    #expect(FailoverRetry(waitMilliseconds: 10_000_000).waitMilliseconds == 600_000)
    let retry = FailoverRetry(waitMilliseconds: 1000)
    #expect(
      retry.decision(beforeAttempt: 1, elapsedMilliseconds: 0) == .retry(afterMilliseconds: 0))
    #expect(
      retry.decision(beforeAttempt: 6, elapsedMilliseconds: 900) == .retry(afterMilliseconds: 100))
    #expect(retry.decision(beforeAttempt: 6, elapsedMilliseconds: 1000) == .giveUp)
    #expect(
      FailoverRetry(waitMilliseconds: 0).decision(beforeAttempt: 1, elapsedMilliseconds: 0)
        == .giveUp)
  }

  /// A fake clock that advances only when slept on (or when a test moves it).
  final class FakeClock {
    var now = 0
    var pauses: [Int] = []
    var clock: FailoverRetry.Clock {
      FailoverRetry.Clock(
        now: { self.now },
        sleep: {
          self.pauses.append($0)
          self.now += $0
        })
    }
  }

  private let gone = PostgresError(
    kind: .connectionFailure, message: "server closed the connection unexpectedly")
  private let refused = PostgresError(
    kind: .connectionFailure, message: "connection to server failed: Connection refused")

  @Test func aLostWriteReconnectsAndRunsAgainFromTheStart() throws {
    let fake = FakeClock()
    var runs: [Int] = []
    var reconnects = 0
    var losses = 0
    let value = try FailoverRetry(waitMilliseconds: 30_000).perform(
      { attempt in
        runs.append(attempt)
        if attempt == 0 { throw gone }
        return "stored"
      },
      reconnect: {
        reconnects += 1
        if reconnects < 4 { throw refused }  // no primary yet, three times
      },
      lost: { _ in losses += 1 }, clock: fake.clock)
    #expect(value == "stored")
    #expect(runs == [0, 1])
    #expect(losses == 1)
    #expect(reconnects == 4)
    #expect(fake.pauses == [100, 200, 400])
  }

  @Test func noPrimaryWithinTheBoundGivesUpWithOneConnectionError() {
    let fake = FakeClock()
    var reconnects = 0
    var runs = 0
    #expect {
      try FailoverRetry(waitMilliseconds: 3000).perform(
        { _ in
          runs += 1
          throw gone
        },
        reconnect: {
          reconnects += 1
          throw refused
        }, clock: fake.clock)
    } throws: { error in
      guard let error = error as? PostgresError else { return false }
      return error.kind == .connectionFailure
        && error.message.hasPrefix("no primary accepted writes within 3000 ms: ")
        && error.message.contains("Connection refused")
    }
    #expect(runs == 1)
    // 0+100+200+400+800+1000 = 2500, then a pause cut to 500 ends on the bound.
    #expect(fake.pauses == [100, 200, 400, 800, 1000, 500])
    #expect(reconnects == 7)
    #expect(fake.now == 3000)
  }

  @Test func otherErrorsAreThrownAtOnce() {
    let fake = FakeClock()
    var runs = 0
    let duplicate = PostgresError(kind: .uniqueViolation, sqlState: "23505", message: "dup")
    #expect(throws: duplicate) {
      try FailoverRetry(waitMilliseconds: 30_000).perform(
        { _ in
          runs += 1
          throw duplicate
        }, reconnect: {}, clock: fake.clock)
    }
    #expect(runs == 1)
    // A reconnection refused for a reason that will not pass (a login) is not retried either.
    let login = PostgresError(kind: .connectionFailure, sqlState: "28P01", message: "bad login")
    var reconnects = 0
    #expect(throws: login) {
      try FailoverRetry(waitMilliseconds: 30_000).perform(
        { _ in throw gone },
        reconnect: {
          reconnects += 1
          throw login
        }, clock: fake.clock)
    }
    #expect(reconnects == 1)
  }

  @Test func theBoundCountsFromTheFirstLossSoAFlappingServerEnds() {
    let fake = FakeClock()
    var runs = 0
    #expect(throws: PostgresError.self) {
      try FailoverRetry(waitMilliseconds: 2000).perform(
        { _ in
          runs += 1
          fake.now += 300  // each run gets a little way, then loses its server again
          throw gone
        }, reconnect: {}, clock: fake.clock)
    }
    #expect(runs == 8)  // losses at 300, 600, … 2400; after the one 2100 ms past the first, none
    #expect(fake.pauses.isEmpty)
  }
}
