import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `kill -9` of the primary in the middle of `buddy import` or `record` loses nothing and
/// stores nothing twice: the interrupted write runs again on the standby pg_auto_failover
/// promotes (libpq finds it through the lab's multi-host URL); with no primary at all, `record`
/// keeps the workout in the outbox and `sync` stores it once. One lab serves every check.
@Suite("Failover (cluster lab) end to end")
struct FailoverTests {
  private static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Fixtures/mp33-side-15fps-steady.json").standardized.path

  /// A `buddy` run in the background: standard input is a pipe the test writes when it likes.
  final class Running {
    /// How the run ended and what it printed.
    struct Result {
      var status: Int32
      var stdout: String
      var stderr: String
    }

    let process: RunningChild
    let scratch: String

    init(_ buddy: BuddyProcess, _ arguments: [String]) throws {
      scratch = buddy.home + "/run-\(UUID().uuidString.prefix(8))"
      try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
      process = try ChildRun(
        BuddyProcess.binary, arguments, environment: .exactly(buddy.fullEnvironment),
        stdin: .pipe, stdout: .file(scratch + "/out"), stderr: .file(scratch + "/err")
      ).start()
    }

    func write(_ text: Substring) {
      // A run that has stopped reading shows in what finish() returns.
      try? process.write(Data(text.utf8))
    }

    /// Closes standard input and waits at most `timeout` seconds for the end.
    func finish(timeout: TimeInterval = 120) -> Result {
      process.closeInput()
      let ended = process.wait(timeout: timeout) ?? process.terminate()
      let out = (try? String(contentsOfFile: scratch + "/out", encoding: .utf8)) ?? ""
      let err = (try? String(contentsOfFile: scratch + "/err", encoding: .utf8)) ?? ""
      return Result(status: ended?.status ?? -1, stdout: out, stderr: err)
    }
  }

  @Test(arguments: ["abc", "-1", "600001", "1e3", "99999999999999999999"])
  func aBadFailoverWaitIsAConfigurationError(value: String) throws {
    let buddy = try BuddyProcess(environment: [
      "BUDDY_FAILOVER_WAIT_MS": value,
      "BUDDY_DATABASE_URL": "postgresql://nobody@127.0.0.1:1,127.0.0.1:2/none",
    ])
    defer { buddy.cleanUp() }
    let result = try buddy.run(["import", Self.fixture])
    #expect(result.status == 78)
    #expect(
      result.stderr.contains(
        "BUDDY_FAILOVER_WAIT_MS must be a whole number of milliseconds from 0 to 600000"),
      "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1)
  }

  @Test(
    .enabled(
      if: ClusterLabTests.labEnabled,
      "runs in scripts/test.sh's cluster-lab step (BUDDY_TEST_CLUSTER_LAB=1)"),
    .timeLimit(.minutes(10)))
  func aKilledPrimaryLosesAndDuplicatesNothing() throws {
    let directory = ClusterLabTests.temporaryPath()
    defer {
      _ = try? ClusterLabTests.lab(["down", directory])
      try? FileManager.default.removeItem(atPath: directory)
    }
    let lab = try ReadReplicaTests.Lab.up(in: directory)
    let url = lab.url

    let environment = ["BUDDY_DATABASE_URL": url, "PGPASSFILE": directory + "/pgpass"]
    let admin = try BuddyProcess(environment: environment)
    defer { admin.cleanUp() }
    let migrate = try admin.run(["db", "migrate"])
    try #require(migrate.status == 0, "\(migrate.stderr)")
    let ann = try BuddyProcess.loggedIn("ann", databaseURL: url, environment: environment)
    defer { ann.cleanUp() }

    try importAndRecordRunTheirInterruptedWritesAgainOnTheNewPrimary(ann, lab: lab)
    try withNoPrimaryRecordKeepsTheWorkoutOfflineAndSyncStoresItOnce(ann, lab: lab)
  }

  private func count(_ lab: ReadReplicaTests.Lab, _ sql: String) throws -> Int {
    try #require(Int(try lab.value(sql, at: lab.primaryURL)))
  }

  /// One `kill -9` of the primary interrupts two writers at once:
  /// - an import of 750 files (three batches of 250), killed once the first batch is in, which
  ///   finishes on the new primary with exactly one workout per file;
  /// - a session streamed on standard input to `record`, half of it written before the kill and
  ///   the rest after, which is saved once, on the new primary.
  /// The killed node stays down: the next check stops the whole lab, and its `up` brings every
  /// node back.
  func importAndRecordRunTheirInterruptedWritesAgainOnTheNewPrimary(
    _ ann: BuddyProcess, lab: ReadReplicaTests.Lab
  ) throws {
    let folder = ann.home + "/sessions"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let original = try String(contentsOfFile: Self.fixture, encoding: .utf8)
    let body = original.drop { $0 != "{" }.dropFirst()
    let files = 750
    for index in 0..<files {
      try (#"{"source": "f-\#(index)", "# + body).write(
        toFile: "\(folder)/f-\(String(format: "%04d", index)).json", atomically: false,
        encoding: .utf8)
    }
    let lines = original.replacingOccurrences(of: "fixturegen", with: "failover test")
      .split(separator: "\n", omittingEmptySubsequences: false)
    let recording = try Running(ann, ["record", "--format", "json", "-"])
    recording.write(lines[..<(lines.count / 2)].joined(separator: "\n")[...] + "\n")

    let importing = try Running(ann, ["import", "--jobs", "1", folder])
    let deadline = Date().addingTimeInterval(120)
    while (try? count(lab, "SELECT count(*) FROM workouts")) ?? 0 == 0 && Date() < deadline
      && importing.process.isRunning
    {
      usleep(100_000)
    }
    let before = try count(lab, "SELECT count(*) FROM workouts")
    let kill = try ClusterLabTests.lab(["kill-primary", lab.directory])
    try #require(kill.status == 0, "\(kill.stderr)")
    recording.write(lines[(lines.count / 2)...].joined(separator: "\n")[...])

    let imported = importing.finish(timeout: 300)
    #expect(before > 0 && before < files, "stored \(before) before the kill")
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(
      imported.stdout == "imported \(files), skipped 0 (already recorded), empty 0, failed 0\n")
    #expect(imported.stderr.contains("buddy: primary lost, reconnecting…"), "\(imported.stderr)")
    #expect(imported.stderr.contains("buddy: reconnected to the primary 127.0.0.1:"))

    let recorded = recording.finish()
    #expect(recorded.status == 0, "\(recorded.stderr)")
    #expect(
      recorded.stdout.hasPrefix(#"{"status":"saved","personal_record":"#), "\(recorded.stdout)")
    #expect(recorded.stderr.contains("buddy: primary lost, reconnecting…"), "\(recorded.stderr)")

    #expect(try count(lab, "SELECT count(*) FROM workouts") == files + 1)
    #expect(try count(lab, "SELECT count(DISTINCT source_digest) FROM workouts") == files + 1)
    #expect(try count(lab, "SELECT count(*) FROM workouts WHERE reps_count <> 6") == 0)
    // A manual entry on the new primary, with the old one still down, saves at once.
    let manual = try ann.run(["record", "--exercise", "squat", "--reps", "9", "--duration", "40s"])
    #expect(manual.status == 0, "\(manual.stderr)")
    #expect(manual.stdout.hasPrefix("Saved squat: 9 reps"))
    #expect(try count(lab, "SELECT count(*) FROM workouts") == files + 2)
  }

  /// The whole lab goes down in the middle of a `record`: after BUDDY_FAILOVER_WAIT_MS the
  /// workout goes to the outbox under the id it was written with; a record started while no
  /// server answers waits the same bound, then does the same. `sync` on the lab back up stores
  /// each once.
  func withNoPrimaryRecordKeepsTheWorkoutOfflineAndSyncStoresItOnce(
    _ ann: BuddyProcess, lab: ReadReplicaTests.Lab
  ) throws {
    let before = try count(lab, "SELECT count(*) FROM workouts")
    var waiting = ann
    waiting.environment["BUDDY_FAILOVER_WAIT_MS"] = "2000"
    let lines = try String(contentsOfFile: Self.fixture, encoding: .utf8)
      .replacingOccurrences(of: "fixturegen", with: "outbox test")
      .split(separator: "\n", omittingEmptySubsequences: false)
    let running = try Running(waiting, ["record", "--format", "json", "-"])
    running.write(lines[..<(lines.count / 2)].joined(separator: "\n")[...] + "\n")
    usleep(300_000)
    let down = try ClusterLabTests.lab(["down", lab.directory])
    try #require(down.status == 0, "\(down.stderr)")
    running.write(lines[(lines.count / 2)...].joined(separator: "\n")[...])
    let started = Date()
    let result = running.finish()
    #expect(Date().timeIntervalSince(started) >= 2)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasPrefix(#"{"status":"saved_offline","pending":1,"#), "\(result.stdout)")
    #expect(result.stderr.contains("buddy: primary lost, reconnecting…"))
    #expect(result.stderr.contains("no primary accepted writes within 2000 ms"), "\(result.stderr)")

    let fresh = try waiting.run([
      "record", "--exercise", "push-up", "--reps", "7", "--duration", "30s",
    ])
    #expect(fresh.status == 0, "\(fresh.stderr)")
    #expect(fresh.stdout.hasPrefix("Saved offline (2 pending)"), "\(fresh.stdout)")
    #expect(fresh.stderr.contains("waiting up to 2000 ms for a primary"), "\(fresh.stderr)")

    let up = try ClusterLabTests.lab(["up", lab.directory])
    try #require(up.status == 0, "\(up.stderr)")
    let sync = try ann.run(["sync"])
    #expect(sync.status == 0, "\(sync.stderr)")
    #expect(sync.stdout == "uploaded 2\n")
    #expect(try count(lab, "SELECT count(*) FROM workouts") == before + 2)
    let again = try ann.run(["sync"])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(try count(lab, "SELECT count(*) FROM workouts") == before + 2)
    #expect(again.stdout == "uploaded 0\n")
    let status = try ann.run(["sync", "--status"])
    #expect(status.stdout.hasPrefix("0 workouts pending"))
  }
}
