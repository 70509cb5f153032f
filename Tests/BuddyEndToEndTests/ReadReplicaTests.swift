import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Reads on a standby with read-your-writes, through the lab of `scripts/cluster-lab.sh` (a
/// primary and a streaming standby): its bare multi-host URL (no `target_session_attrs`), so that
/// buddy routes reads (`prefer-standby`) and writes (`read-write`) itself. One lab serves every check.
@Suite("Read replicas (cluster lab) end to end")
struct ReadReplicaTests {
  /// The lab URL with buddy routing, the URL that reaches the standby only, and the environment
  /// for `psql`.
  struct Lab {
    var directory: String
    var url: String
    var primaryURL: String
    var standbyURL: String
    var psqlEnvironment: [String: String]

    /// Starts a lab in `directory` (`cluster-lab.sh up`) and names its URLs: the bare
    /// multi-host one it prints, and the same with `read-write` and with `standby`.
    static func up(in directory: String) throws -> Lab {
      let up = try ClusterLabTests.lab(["up", directory])
      try #require(up.status == 0, "\(up.stderr)")
      let url = try #require(up.stdout.split(separator: "\n").last.map(String.init))
      try #require(url.hasSuffix("/buddy"))
      var psqlEnvironment = ["PGPASSFILE": directory + "/pgpass"]
      psqlEnvironment["PATH"] = ProcessInfo.processInfo.environment["PATH"]
      return Lab(
        directory: directory, url: url, primaryURL: url + "?target_session_attrs=read-write",
        standbyURL: url + "?target_session_attrs=standby", psqlEnvironment: psqlEnvironment)
    }

    /// One value from `psql` on `url`.
    func value(_ sql: String, at url: String) throws -> String {
      let result = try BuddyProcess.execute(
        "/usr/bin/psql", [url, "-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
        environment: psqlEnvironment)
      guard result.status == 0 else {
        throw SetupFailure(message: "psql \(sql): \(result.stderr)")
      }
      return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
  }

  struct SetupFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
  }

  @Test(
    .enabled(
      if: ClusterLabTests.labEnabled,
      "runs in scripts/test.sh's cluster-lab step (BUDDY_TEST_CLUSTER_LAB=1)"),
    .timeLimit(.minutes(10)))
  func readsUseTheStandbyAndStillSeeTheirOwnWrites() throws {
    let directory = ClusterLabTests.temporaryPath()
    defer {
      _ = try? ClusterLabTests.lab(["down", directory])
      try? FileManager.default.removeItem(atPath: directory)
    }
    let lab = try Lab.up(in: directory)
    let url = lab.url
    #expect(try lab.value("SELECT pg_is_in_recovery()", at: lab.standbyURL) == "t")

    let environment = ["BUDDY_DATABASE_URL": url, "PGPASSFILE": directory + "/pgpass"]
    let admin = try BuddyProcess(environment: environment)
    defer { admin.cleanUp() }
    let migrate = try admin.run(["db", "migrate"])
    try #require(migrate.status == 0, "\(migrate.stderr)")
    let ann = try BuddyProcess.loggedIn("ann", databaseURL: url, environment: environment)
    defer { ann.cleanUp() }

    try readYourWrites(ann)
    try readsOnTheStandbyWriteNothing(ann, lab: lab)
    try aLaggingStandbyIsLeftForThePrimaryWithinTheBound(ann, lab: lab)
    try aBadPositionFileOrWaitIsHandled(ann)
    try aStoppedStandbyLeavesReadsToThePrimary(ann, lab: lab)
  }

  /// `record` then at once `history`, 20 times: the new workout is always there, read from the
  /// standby (which waited for it when it had to).
  func readYourWrites(_ ann: BuddyProcess) throws {
    var debug = ann
    debug.environment["BUDDY_LOG"] = "debug"
    var onStandby = 0
    for reps in 1...20 {
      let record = try ann.run([
        "record", "--exercise", "push-up", "--reps", "\(reps)", "--duration", "30s",
      ])
      try #require(record.status == 0, "\(record.stderr)")
      let history = try debug.run(["history", "--format", "csv", "--limit", "100"])
      try #require(history.status == 0, "\(history.stderr)")
      #expect(history.stdout.contains(",push-up,\(reps),30,"), "workout \(reps) missing")
      #expect(history.stdout.split(whereSeparator: \.isNewline).count == reps + 1)
      if history.stderr.contains("reading from the standby") { onStandby += 1 }
    }
    #expect(onStandby == 20, "read from the standby \(onStandby) of 20 times")
    let files = try FileManager.default.contentsOfDirectory(
      atPath: ann.home + "/.local/state/exercise-buddy")
    let positionFile = try #require(files.first { $0.hasPrefix("last-write-lsn-") })
    let path = ann.home + "/.local/state/exercise-buddy/" + positionFile
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    #expect(attributes[.posixPermissions] as? Int == 0o600)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.range(of: #"^[0-9A-F]{1,8}/[0-9A-F]{1,8}\n$"#, options: .regularExpression) != nil)
  }

  /// `whoami`, `history`, `stats`, `workout show` and `export` on the standby succeed (a write
  /// there would fail with 25006) and leave `last_used_at` alone; the next write refreshes it.
  func readsOnTheStandbyWriteNothing(_ ann: BuddyProcess, lab: Lab) throws {
    let lastUsed = "SELECT last_used_at::text FROM sessions ORDER BY created_at DESC LIMIT 1"
    let before = try lab.value(lastUsed, at: lab.primaryURL)
    var debug = ann
    debug.environment["BUDDY_LOG"] = "debug"
    let history = try debug.run(["history", "--format", "csv", "--limit", "1"])
    try #require(history.status == 0, "\(history.stderr)")
    let row = try #require(history.stdout.split(separator: "\r\n").dropFirst().first)
    let id = String(row.prefix(8))
    for arguments in [
      ["whoami"], ["whoami", "--format", "json"], ["stats"], ["workout", "show", id],
      ["export", "--format", "csv"],
    ] {
      let read = try debug.run(arguments)
      #expect(read.status == 0, "\(arguments): \(read.stderr)")
      #expect(read.stderr.contains("reading from the standby"), "\(arguments): \(read.stderr)")
    }
    #expect(try lab.value(lastUsed, at: lab.primaryURL) == before)
    #expect(try lab.value(lastUsed, at: lab.standbyURL) == before)
    let write = try ann.run(["record", "--exercise", "squat", "--reps", "5", "--duration", "20s"])
    try #require(write.status == 0, "\(write.stderr)")
    #expect(try lab.value(lastUsed, at: lab.primaryURL) > before)
  }

  /// With replay paused on the standby, a read after a write waits `BUDDY_REPLICA_WAIT_MS`, then
  /// reads from the primary and still shows the write.
  func aLaggingStandbyIsLeftForThePrimaryWithinTheBound(_ ann: BuddyProcess, lab: Lab) throws {
    _ = try lab.value("SELECT pg_wal_replay_pause()", at: lab.standbyURL)
    defer { _ = try? lab.value("SELECT pg_wal_replay_resume()", at: lab.standbyURL) }
    let record = try ann.run([
      "record", "--exercise", "squat", "--reps", "33", "--duration", "40s",
    ])
    try #require(record.status == 0, "\(record.stderr)")
    var debug = ann
    debug.environment["BUDDY_LOG"] = "debug"
    debug.environment["BUDDY_REPLICA_WAIT_MS"] = "300"
    let started = Date()
    let history = try debug.run(["history", "--format", "csv"])
    let elapsed = Date().timeIntervalSince(started)
    #expect(history.status == 0, "\(history.stderr)")
    #expect(history.stdout.contains(",squat,33,40,"))
    #expect(history.stderr.contains("in 300 ms; reading from the primary"), "\(history.stderr)")
    #expect(elapsed < 10, "took \(elapsed) s")
    // Without a newer write to wait for, the paused standby still serves reads.
    _ = try lab.value("SELECT pg_wal_replay_resume()", at: lab.standbyURL)
  }

  /// A position file holding garbage is ignored (debug note); a bad `BUDDY_REPLICA_WAIT_MS` is
  /// one clear line and exit 78.
  func aBadPositionFileOrWaitIsHandled(_ ann: BuddyProcess) throws {
    let state = ann.home + "/.local/state/exercise-buddy/"
    let files = try FileManager.default.contentsOfDirectory(atPath: state)
    let positionFile = try #require(files.first { $0.hasPrefix("last-write-lsn-") })
    for garbage in ["", "not a position\n", "FFFFFFFFF/0\n", String(repeating: "9", count: 5000)] {
      try garbage.write(toFile: state + positionFile, atomically: true, encoding: .utf8)
      var debug = ann
      debug.environment["BUDDY_LOG"] = "debug"
      let history = try debug.run(["history", "--format", "csv"])
      #expect(history.status == 0, "\(history.stderr)")
      #expect(history.stderr.contains("does not hold a WAL position"))
      #expect(history.stdout.contains(",squat,33,40,"))
    }
    for bad in ["-1", "60001", "abc", "1e3", "99999999999999999999"] {
      var wrong = ann
      wrong.environment["BUDDY_REPLICA_WAIT_MS"] = bad
      let result = try wrong.run(["history"])
      #expect(result.status == 78, "\(bad): \(result.stderr)")
      #expect(result.stderr.hasPrefix("buddy: BUDDY_REPLICA_WAIT_MS must be a whole number"))
      #expect(result.stderr.split(separator: "\n").count == 1)
    }
  }

  /// With the standby's keeper and server killed (SIGKILL, as `kill-primary` does to the
  /// primary), reads go to the primary at once: libpq's `prefer-standby` finds no standby.
  func aStoppedStandbyLeavesReadsToThePrimary(_ ann: BuddyProcess, lab: Lab) throws {
    let status = try ClusterLabTests.lab(["status", "--format", "json", lab.directory])
    let standby = status.stdout.contains(#""primary":"node1""#) ? "node2" : "node1"
    let keeper = try String(contentsOfFile: "\(lab.directory)/pids/\(standby).pid", encoding: .utf8)
    let postmaster = try String(
      contentsOfFile: "\(lab.directory)/\(standby)/postmaster.pid", encoding: .utf8)
    let keeperPID = try #require(Int32(keeper.trimmingCharacters(in: .whitespacesAndNewlines)))
    let postmasterPID = try #require(
      postmaster.split(separator: "\n").first.flatMap { Int32($0) })
    kill(-keeperPID, SIGKILL)
    kill(keeperPID, SIGKILL)
    kill(postmasterPID, SIGKILL)
    var debug = ann
    debug.environment["BUDDY_LOG"] = "debug"
    for arguments in [["whoami"], ["history", "--format", "csv"]] {
      let started = Date()
      let read = try debug.run(arguments)
      let elapsed = Date().timeIntervalSince(started)
      #expect(read.status == 0, "\(arguments): \(read.stderr)")
      #expect(read.stderr.contains("no standby answered; reading from the primary"))
      #expect(elapsed < 10, "\(arguments) took \(elapsed) s")
    }
    let record = try ann.run(["record", "--exercise", "push-up", "--reps", "7", "--duration", "9s"])
    #expect(record.status == 0, "\(record.stderr)")
    let history = try ann.run(["history", "--format", "csv"])
    #expect(history.stdout.contains(",push-up,7,9,"))
  }
}
