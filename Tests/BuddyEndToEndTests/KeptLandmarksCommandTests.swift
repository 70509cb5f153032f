import Foundation
import Postgres
import TestSupport
import Testing

private let realdataCases = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .appendingPathComponent("../../../shared/realdata/cases").standardized.path

/// `record --keep-landmarks`, the profile's `keep-landmarks` and `buddy workout landmarks` end
/// to end: the kept stream comes back as a file `buddy count` counts to the same result.
@Suite("Kept landmarks end to end", .enabled(if: TestDatabase.isAvailable))
struct KeptLandmarksCommandTests {
  private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Fixtures").standardized.path

  private func signedInAnn() throws -> SignedInUser {
    try SignedInUser("ann", environment: ["TZ": "UTC"])
  }

  private func object(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  /// Records `file` (exercise detected) keeping its landmarks and returns the workout's id,
  /// reps and exercise as `record --format json` reported them.
  private func record(_ world: SignedInUser, _ arguments: [String]) throws
    -> (id: String, reps: Int, exercise: String)
  {
    let result = try world.buddy.run(["record", "--format", "json"] + arguments)
    #expect(result.status == 0, "\(result.stderr)")
    let reply = try object(result.stdout)
    let workout = try #require(reply["workout"] as? [String: Any])
    return (
      try #require(workout["id"] as? String), try #require(workout["reps_count"] as? Int),
      try #require(workout["exercise_type"] as? String)
    )
  }

  @Test(
    "the exported landmarks count to the recorded result",
    arguments: [
      "mp33-side-15fps-fast-no-lockout.json",
      "coco17-side-30fps-jitter-drops.json",
      "mixed-coco17-side-30fps-pushups-then-rope.jsonl",
      "rope-mp33-front-30fps-two-foot-bounce.json",
      "squat-mp33-side-30fps-steady.json",
      "coco17-side-15fps-objects-absent-gap.json",
    ])
  func exportCountsToTheRecordedResult(fixture: String) throws {
    let world = try signedInAnn()
    defer { world.close() }
    let file = Self.fixtures + "/" + fixture
    let saved = try record(world, ["--keep-landmarks", "--allow-empty", file])
    #expect(try world.count("SELECT count(*) FROM workout_landmarks") == 1)
    let export = try world.buddy.run(["workout", "landmarks", saved.id])
    #expect(export.status == 0, "\(export.stderr)")
    #expect(export.stderr.isEmpty, "\(export.stderr)")
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("kept-\(UUID().uuidString).jsonl").path
    try export.stdout.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let recounted = try world.buddy.run(["count", "--format", "json", path])
    #expect(recounted.status == 0, "\(recounted.stderr)")
    let summary = try object(recounted.stdout)
    #expect(summary["reps"] as? Int == saved.reps)
    #expect(summary["exercise"] as? String == saved.exercise)
    // One line a frame, as many as the fixture has; the first carries the session's facts.
    let original = try object(
      try world.buddy.run(["count", "--format", "json", file]).stdout)
    #expect(summary["frames"] as? Int == original["frames"] as? Int)
    let first = try object(String(export.stdout.prefix { $0 != "\n" }))
    #expect(first["start_time"] is String)
    #expect(first["t"] is NSNumber)
  }

  /// JPEG frames of a real clip: the landmarks `buddy` estimated are what is kept, with the
  /// frames' size and rate, and counting them again needs no pose models.
  @Test(.enabled(if: FileManager.default.fileExists(atPath: realdataCases)))
  func estimatedLandmarksOfJPEGFramesAreKept() throws {
    let world = try signedInAnn()
    defer { world.close() }
    let saved = try record(
      world,
      ["--keep-landmarks", "--fps", "15", realdataCases + "/pushup-pushfit-c11/frames"])
    let export = try world.buddy.run(["workout", "landmarks", saved.id])
    #expect(export.status == 0, "\(export.stderr)")
    let first = try object(String(export.stdout.prefix { $0 != "\n" }))
    #expect(first["width"] as? Int == 480 && first["height"] as? Int == 270)
    #expect(first["fps"] as? Int == 15)
    var offline = world.buddy
    offline.environment["BUDDY_MODEL_DIR"] = "/nonexistent-models"
    let recounted = try offline.run(["count", "--format", "json", "-"], stdin: export.stdout)
    #expect(recounted.status == 0, "\(recounted.stderr)")
    let summary = try object(recounted.stdout)
    #expect(summary["reps"] as? Int == saved.reps)
    #expect(summary["exercise"] as? String == saved.exercise)
    #expect(summary["frames"] as? Int == 94)
  }

  @Test func recordingTheSameInputAgainKeepsOneRow() throws {
    let world = try signedInAnn()
    defer { world.close() }
    let file = Self.fixtures + "/mp33-side-15fps-steady.json"
    let dry = try world.buddy.run(["record", "--keep-landmarks", "--dry-run", file])
    #expect(dry.stdout.contains("Would keep the landmarks of 236 frames"), "\(dry.stdout)")
    #expect(try world.count("SELECT count(*) FROM workout_landmarks") == 0)
    let first = try world.buddy.run(["record", "--keep-landmarks", file])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("Kept the landmarks of"))
    let again = try world.buddy.run(["record", "--keep-landmarks", file])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(again.stdout.contains("Already recorded on"))
    #expect(!again.stdout.contains("Kept the landmarks"))
    #expect(try world.count() == 1)
    #expect(try world.count("SELECT count(*) FROM workout_landmarks") == 1)
    #expect(
      try world.count(
        "SELECT count(*) FROM workout_landmarks l JOIN workouts w ON w.id = l.workout_id "
          + "AND w.user_id = l.user_id") == 1)
  }

  @Test func anInputRecordedWithoutThemSaysTheyWereNotKept() throws {
    let world = try signedInAnn()
    defer { world.close() }
    let file = Self.fixtures + "/mp33-side-15fps-steady.json"
    #expect(try world.buddy.run(["record", file]).status == 0)
    let again = try world.buddy.run(["record", "--keep-landmarks", file])
    #expect(again.status == 0)
    #expect(again.stderr.contains("the landmarks were not kept: this input was recorded before"))
    #expect(try world.count("SELECT count(*) FROM workout_landmarks") == 0)
  }

  @Test func theProfileSettingMakesKeepingTheDefault() throws {
    let world = try signedInAnn()
    defer { world.close() }
    let set = try world.buddy.run(["profile", "set", "keep-landmarks", "true"])
    #expect(set.status == 0, "\(set.stderr)")
    #expect(set.stdout.contains("keep-landmarks true"))
    let shown = try object(try world.buddy.run(["profile", "show", "--format", "json"]).stdout)
    #expect(shown["keep_landmarks"] as? Bool == true)
    let kept = try record(world, [Self.fixtures + "/mp33-side-15fps-steady.json"])
    #expect(try world.buddy.run(["workout", "landmarks", kept.id]).status == 0)
    let skipped = try record(
      world, ["--no-keep-landmarks", Self.fixtures + "/mp33-side-10fps-slow.json"])
    #expect(try world.count("SELECT count(*) FROM workout_landmarks") == 1)
    let none = try world.buddy.run(["workout", "landmarks", skipped.id])
    #expect(none.status == 66)
    #expect(none.stdout.isEmpty)
    #expect(
      none.stderr.contains(
        "workout \(skipped.id.prefix(8)) has no kept landmarks (record with --keep-landmarks"))
    let refused = try world.buddy.run(["profile", "set", "keep-landmarks", "maybe"])
    #expect(refused.status == 64)
    #expect(refused.stderr.contains("keep-landmarks must be true or false"))
  }

  @Test func manualEntriesHaveNoneAndCannotAskForThem() throws {
    let world = try signedInAnn()
    defer { world.close() }
    let manual = try record(
      world, ["--exercise", "push-up", "--reps", "10", "--duration", "1m"])
    let none = try world.buddy.run(["workout", "landmarks", manual.id])
    #expect(none.status == 66)
    #expect(none.stderr.contains("has no kept landmarks"))
    let refused = try world.buddy.run([
      "record", "--keep-landmarks", "--exercise", "push-up", "--reps", "10", "--duration", "1m",
    ])
    #expect(refused.status == 64)
    #expect(refused.stderr.contains("--keep-landmarks keeps a counted INPUT's landmarks"))
    let unknown = try world.buddy.run(["workout", "landmarks", "0123456789abcdef"])
    #expect(unknown.status == 66)
  }

  @Test func offlineTheWorkoutIsSavedWithoutItsLandmarksAndSaysSo() throws {
    let world = try signedInAnn()
    defer { world.close() }
    var offline = world.buddy
    offline.environment["BUDDY_DATABASE_URL"] = "postgresql:///buddy?host=/nonexistent-buddy-db"
    let saved = try offline.run([
      "record", "--keep-landmarks", Self.fixtures + "/mp33-side-15fps-steady.json",
    ])
    #expect(saved.status == 0, "\(saved.stderr)")
    #expect(saved.stdout.contains("Saved offline (1 pending)"))
    #expect(saved.stderr.contains("the landmarks are not kept offline"))
    #expect(try world.buddy.run(["sync"]).status == 0)
    #expect(try world.count() == 1)
    #expect(try world.count("SELECT count(*) FROM workout_landmarks") == 0)
  }

  @Test func deletingTheWorkoutDeletesItsLandmarks() throws {
    let world = try signedInAnn()
    defer { world.close() }
    let saved = try record(
      world, ["--keep-landmarks", Self.fixtures + "/mp33-side-15fps-steady.json"])
    #expect(try world.count("SELECT count(*) FROM workout_landmarks") == 1)
    #expect(try world.buddy.run(["workout", "delete", "--yes", saved.id]).status == 0)
    #expect(try world.count("SELECT count(*) FROM workout_landmarks") == 0)
  }

  @Test func aValueBeyondHalfPrecisionIsBadDataAndSavesNothing() throws {
    let world = try signedInAnn()
    defer { world.close() }
    let file = Self.fixtures + "/mp33-side-15fps-steady.json"
    var text = try String(contentsOfFile: file, encoding: .utf8)
    // The first landmark's x becomes 1e6: a finite Double, beyond Float16 (±65504).
    let range = try #require(text.range(of: #"\[\[-?[0-9.]+"#, options: .regularExpression))
    text.replaceSubrange(range, with: "[[1000000.0")
    let result = try world.buddy.run(
      ["record", "--keep-landmarks", "--exercise", "push-up", "-"], stdin: text)
    #expect(result.status == 65, "\(result.stderr)")
    #expect(result.stderr.hasPrefix("buddy: <stdin>: frame "))
    #expect(result.stderr.contains("beyond what kept landmarks hold"))
    #expect(result.stderr.split(separator: "\n").count == 1)
    #expect(try world.count() == 0)
    // Without keeping them the same input counts and saves as before.
    let plain = try world.buddy.run(["record", "--exercise", "push-up", "-"], stdin: text)
    #expect(plain.status == 0, "\(plain.stderr)")
  }

  @Test func helpTeachesWithExamples() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let help = try buddy.run(["workout", "landmarks", "--help"])
    #expect(help.status == 0)
    #expect(help.stdout.contains("buddy workout landmarks 3f2c1a9e > session.jsonl"))
    #expect(help.stdout.contains("exits 66"))
    let record = try buddy.run(["record", "--help"])
    #expect(record.stdout.contains("--keep-landmarks"))
    #expect(record.stdout.contains("buddy record --keep-landmarks"))
    let profile = try buddy.run(["profile", "set", "--help"])
    #expect(profile.stdout.contains("buddy profile set keep-landmarks true"))
  }
}
