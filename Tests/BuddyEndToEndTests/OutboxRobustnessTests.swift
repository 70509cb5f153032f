import Foundation
import TestSupport
import Testing

/// Values the database cannot hold are refused before they are saved, and an offline entry the
/// server refuses for its data never blocks the others (issue 16, point 7).
@Suite("Offline entries and value ranges", .enabled(if: TestDatabase.isAvailable))
struct OutboxRobustnessTests {
  @Test func absurdValuesAreRefusedBeforeAnythingIsSaved() throws {
    let world = try SignedInUser("ranger")
    defer { world.close() }
    var offline = world.buddy
    offline.environment["BUDDY_DATABASE_URL"] = "postgresql:///buddy?host=/nonexistent-buddy-db"
    for buddy in [world.buddy, offline] {
      let reps = try buddy.run([
        "record", "--exercise", "push-up", "--reps", "3000000000", "--duration", "1m",
      ])
      #expect(reps.status == 64, "\(reps.stderr)")
      let ancient = try buddy.run([
        "record", "--exercise", "push-up", "--reps", "3", "--duration", "1m", "--at",
        "0001-01-01 10:00",
      ])
      #expect(ancient.status == 64, "\(ancient.stderr)")
      #expect(ancient.stderr.contains("1900 to 9999"))
    }
    let since = try world.buddy.run(["history", "--since", "0000-01-01"])
    #expect(since.status == 64)
    #expect(since.stderr.contains("1900 to 9999"))
    #expect(try world.count() == 0)
    let outbox = world.buddy.home + "/.local/state/exercise-buddy/outbox"
    #expect(((try? FileManager.default.contentsOfDirectory(atPath: outbox)) ?? []).isEmpty)
  }

  @Test func anEntryTheServerRefusesIsSetAsideAndTheOthersUpload() throws {
    let world = try SignedInUser("syncer")
    defer { world.close() }
    var offline = world.buddy
    offline.environment["BUDDY_DATABASE_URL"] = "postgresql:///buddy?host=/nonexistent-buddy-db"
    for reps in ["11", "12", "13"] {
      let saved = try offline.run([
        "record", "--exercise", "push-up", "--reps", reps, "--duration", "1m",
      ])
      #expect(saved.status == 0, "\(saved.stderr)")
    }
    let outbox = world.buddy.home + "/.local/state/exercise-buddy/outbox"
    let files = try FileManager.default.contentsOfDirectory(atPath: outbox).sorted()
    #expect(files.count == 3)
    // Two entries go bad the way entries written by an older buddy could: one out of range
    // (caught before upload), one the server itself refuses (details that are not JSON: 22P02).
    try edit(outbox + "/" + files[0]) { $0["reps"] = 3_000_000_000 }
    try edit(outbox + "/" + files[1]) { $0["details"] = "{not json" }

    let sync = try world.buddy.run(["sync"])
    #expect(sync.status == 65, "\(sync.stderr)")
    #expect(sync.stdout.hasPrefix("uploaded 1, 2 refused by the database and set aside in "))
    #expect(sync.stderr.components(separatedBy: "buddy: refused: ").count == 3)
    #expect(try world.count() == 1)
    let pending = try FileManager.default.contentsOfDirectory(atPath: outbox)
    #expect(pending == ["rejected"])
    let rejected = try FileManager.default.contentsOfDirectory(atPath: outbox + "/rejected")
    #expect(rejected.filter { $0.hasSuffix(".reason") }.count == 2)
    // Nothing is left to block the next sync.
    let again = try world.buddy.run(["sync"])
    #expect(again.status == 0)
    #expect(again.stdout == "uploaded 0\n")
  }

  @Test func commandsThatWorkWithWorkoutsUploadFirstAndOthersLeaveThemPending() throws {
    let world = try SignedInUser("uploader")
    defer { world.close() }
    var offline = world.buddy
    offline.environment["BUDDY_DATABASE_URL"] = "postgresql:///buddy?host=/nonexistent-buddy-db"
    let saved = try offline.run([
      "record", "--exercise", "push-up", "--reps", "10", "--duration", "1m",
    ])
    #expect(saved.status == 0, "\(saved.stderr)")
    let outbox = world.buddy.home + "/.local/state/exercise-buddy/outbox"
    for command in [["whoami"], ["profile", "show"], ["sessions"]] {
      let result = try world.buddy.run(command)
      #expect(result.status == 0, "\(command): \(result.stderr)")
      #expect(!result.stderr.contains("uploaded"))
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: outbox).count == 1)
    #expect(try world.count() == 0)
    let history = try world.buddy.run(["history", "--format", "jsonl"])
    #expect(history.status == 0, "\(history.stderr)")
    #expect(history.stderr == "buddy: uploaded 1 workout saved offline\n")
    #expect(history.stdout.contains(#""reps_count":10"#))
    #expect(try FileManager.default.contentsOfDirectory(atPath: outbox).isEmpty)
    #expect(try world.count() == 1)
  }

  /// Rewrites the workout of an outbox entry file.
  private func edit(_ path: String, _ change: (inout [String: Any]) -> Void) throws {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    var entry = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    var workout = try #require(entry["workout"] as? [String: Any])
    change(&workout)
    entry["workout"] = workout
    try JSONSerialization.data(withJSONObject: entry).write(to: URL(fileURLWithPath: path))
  }
}
