import Foundation
import Postgres
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Batch import and the offline outbox, end to end on a real database.
@Suite("Import and offline outbox", .enabled(if: TestDatabase.isAvailable))
struct ImportCommandTests {
  private static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Fixtures/mp33-side-15fps-steady.json").standardized.path

  /// A user signed in on a fresh database.
  private func signedInUser() throws -> SignedInUser { try SignedInUser("imp") }

  /// Writes `count` distinct sessions of 6 push-ups each (the same frames under a different
  /// `source` key, so every file has its own bytes) into `directory`.
  private static func generate(_ count: Int, in directory: String, prefix: String = "s") throws {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let original = try String(contentsOfFile: ImportCommandTests.fixture, encoding: .utf8)
    let body = original.drop { $0 != "{" }.dropFirst()
    for index in 0..<count {
      try (#"{"source": "\#(prefix)-\#(index)", "# + body).write(
        toFile: "\(directory)/\(prefix)-\(String(format: "%04d", index)).json", atomically: false,
        encoding: .utf8)
    }
  }

  @Test func importingTwiceSkipsEverythingTheSecondTime() throws {
    let world = try signedInUser()
    defer { world.close() }
    let folder = world.buddy.home + "/sessions"
    try Self.generate(30, in: folder + "/a")
    try Self.generate(5, in: folder + "/b/deeper")
    // The same content twice in one run, and hidden files that must be ignored.
    try FileManager.default.copyItem(
      atPath: folder + "/a/s-0000.json", toPath: folder + "/copy.ndjson.json")
    try Self.generate(3, in: folder + "/.hidden")
    let first = try world.buddy.run(["import", folder])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout == "imported 30, skipped 6 (already recorded), empty 0, failed 0\n")
    #expect(try world.count() == 30)
    #expect(try world.count("SELECT count(*) FROM workouts WHERE reps_count <> 6") == 0)
    let second = try world.buddy.run(["import", "--format", "json", folder])
    #expect(
      second.stdout.hasPrefix(#"{"dry_run":false,"imported":0,"skipped":36,"empty":0,"failed":0"#))
    #expect(try world.count() == 30)
  }

  @Test func oneBadFileNeverStopsTheOthers() throws {
    let world = try signedInUser()
    defer { world.close() }
    let folder = world.buddy.home + "/mixed"
    try Self.generate(4, in: folder)
    try #"{"fps": 30, "frames": [{"landmarks": [[0.1, 0.2, 0.0, 0.9], "#.write(
      toFile: folder + "/broken.json", atomically: false, encoding: .utf8)
    try #"{"fps": 30, "frames": [{"landmarks": null}, {"landmarks": null}]}"#.write(
      toFile: folder + "/empty.jsonl", atomically: false, encoding: .utf8)
    try "not landmarks at all".write(
      toFile: folder + "/notes.txt", atomically: false, encoding: .utf8)
    let result = try world.buddy.run(["import", folder])
    #expect(result.status == 65)
    #expect(result.stdout == "imported 4, skipped 0 (already recorded), empty 1, failed 1\n")
    #expect(result.stderr.contains("buddy: failed: \(folder)/broken.json:1:"))
    #expect(result.stderr.split(separator: "\n").filter { $0.contains("failed:") }.count == 1)
    #expect(try world.count() == 4)
    let dry = try world.buddy.run(["import", "--dry-run", folder + "/empty.jsonl"])
    #expect(dry.stdout == "would import 0, skipped 0 (already recorded), empty 1, failed 0\n")
    #expect(try world.buddy.run(["import", folder + "/missing"]).status == 66)
  }

  @Test func twoImportsOfOneFolderStoreEachFileOnce() throws {
    let world = try signedInUser()
    defer { world.close() }
    let folder = world.buddy.home + "/shared"
    try Self.generate(300, in: folder)
    let statuses = Statuses()
    DispatchQueue.concurrentPerform(iterations: 2) { _ in
      statuses.add((try? world.buddy.run(["import", "--jobs", "1", folder]))?.status ?? -1)
    }
    #expect(statuses.values == [0, 0])
    #expect(try world.count() == 300)
  }

  @Test func killingAnImportKeepsOnlyWholeWorkoutsAndARerunFinishes() throws {
    let world = try signedInUser()
    defer { world.close() }
    let folder = world.buddy.home + "/large"
    // Three batches (ImportRun.batchSize is 250): killed after the first commit, some stay.
    try Self.generate(600, in: folder)
    let process = try ChildRun(
      BuddyProcess.binary, ["import", "--jobs", "1", folder],
      environment: .exactly(world.buddy.fullEnvironment), stdout: .discard, stderr: .discard
    ).start()
    // Wait for the first committed batch, then kill without warning.
    let deadline = Date().addingTimeInterval(60)
    while try world.count() == 0 && Date() < deadline && process.isRunning { usleep(20_000) }
    process.signal(SIGKILL)
    _ = process.wait(timeout: 60)
    let stored = try world.count()
    #expect(stored > 0 && stored < 600, "stored \(stored) before the kill")
    #expect(
      try world.count("SELECT count(*) FROM workouts WHERE reps_count <> 6 OR details IS NULL") == 0
    )
    let rerun = try world.buddy.run(["import", folder])
    #expect(rerun.status == 0)
    #expect(rerun.stdout.hasPrefix("imported \(600 - stored), skipped \(stored)"))
    #expect(try world.count() == 600)
    #expect(try world.count("SELECT count(DISTINCT source_digest) FROM workouts") == 600)
  }

  @Test func offlineRecordsWaitInTheOutboxAndUploadOnce() throws {
    let world = try signedInUser()
    defer { world.close() }
    var offline = world.buddy
    offline.environment["BUDDY_DATABASE_URL"] = "postgresql:///buddy?host=/nonexistent-buddy-db"
    let manual = try offline.run([
      "record", "--exercise", "push-up", "--reps", "25", "--duration", "1m",
    ])
    #expect(manual.status == 0, "\(manual.stderr)")
    #expect(manual.stdout == "Saved offline (1 pending); will upload when the database is back\n")
    let fromFile = try offline.run(["record", Self.fixture])
    #expect(fromFile.stdout.contains("Saved offline (2 pending)"))
    let outbox = world.buddy.home + "/.local/state/exercise-buddy/outbox"
    let files = try FileManager.default.contentsOfDirectory(atPath: outbox)
    #expect(files.count == 2)
    let attributes = try FileManager.default.attributesOfItem(atPath: outbox + "/" + files[0])
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    #expect(try offline.run(["sync"]).status == 69)
    #expect(try world.buddy.run(["sync", "--status"]).stdout.hasPrefix("2 workouts pending"))

    let statuses = Statuses()
    DispatchQueue.concurrentPerform(iterations: 2) { _ in
      statuses.add((try? world.buddy.run(["sync"]))?.status ?? -1)
    }
    #expect(statuses.values == [0, 0])
    #expect(try world.count() == 2)
    #expect(try FileManager.default.contentsOfDirectory(atPath: outbox).isEmpty)
    let history = try world.buddy.run(["history", "--format", "jsonl"]).stdout
    #expect(history.contains(#""reps_count":25"#) && history.contains(#""reps_count":6"#))
    // Calories were computed at upload with the default 70 kg: 8.0 MET x 70 kg x 1/60 h.
    #expect(history.contains(#""calories_burned":9.3"#))
  }

  @Test func anotherUsersOfflineEntryIsNeverUploadedAsYours() throws {
    let world = try signedInUser()
    defer { world.close() }
    var offline = world.buddy
    offline.environment["BUDDY_DATABASE_URL"] = "postgresql:///buddy?host=/nonexistent-buddy-db"
    #expect(
      try offline.run(["record", "--exercise", "push-up", "--reps", "9", "--duration", "30s"])
        .status == 0)
    // imp's session ends elsewhere (revoked from another machine) before any command here
    // reaches the database; then bob registers and logs in on this machine.
    try world.database.connect().query("DELETE FROM sessions")
    _ = try world.buddy.run(
      ["register", "--email", "bob@example.com", "--username", "bob", "--password-stdin"],
      stdin: "bob-password\n")
    #expect(
      try world.buddy.run(["login", "--password-stdin", "bob"], stdin: "bob-password\n").status == 0
    )
    let sync = try world.buddy.run(["sync"])
    #expect(sync.stdout.hasPrefix("uploaded 0, 1 waiting for their login"))
    #expect(try world.count() == 0)
    #expect(try world.buddy.run(["sync", "--status"]).stdout.hasPrefix("1 workout pending"))
  }
}

private final class Statuses: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: [Int32] = []
  var values: [Int32] { lock.withLock { stored.sorted() } }
  func add(_ value: Int32) { lock.withLock { stored.append(value) } }
}
