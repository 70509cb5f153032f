import Foundation
import Postgres
import TestSupport
import Testing

private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .appendingPathComponent("../../Fixtures").standardized.path
/// The real squat development set (not in the repository: licence), next to the checkout.
private let squatCases = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .appendingPathComponent("../../../squatdata/cases").standardized.path
private let squatDataPresent = FileManager.default.fileExists(atPath: squatCases)
private let modelsPresent = FileManager.default.fileExists(
  atPath: FileManager.default.homeDirectoryForCurrentUser.path
    + "/.local/share/exercise-buddy/models/pose_landmark_full.tflite")

/// Squats end to end: `count`, `record`, `history` and `stats` with `--exercise squat` and by
/// detection, from landmark files (the synthetic fixtures), JPEG frames and video (the real
/// squat clips, when present).
@Suite("Squats end to end")
struct SquatCommandTests {
  private static let steady = fixtures + "/squat-mp33-side-30fps-steady.json"

  @Test func countsSquatsNamedOrDetected() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    for exercise in ["squat", "auto"] {
      let result = try buddy.run(["count", "--exercise", exercise, Self.steady])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(result.stdout.hasPrefix("squat: 5 reps in "), "\(result.stdout)")
      #expect(result.stdout.contains("cadence"))
    }
    let json = try buddy.run(["count", "--format", "json", Self.steady])
    #expect(json.stdout.contains(#""exercise":"squat""#))
    #expect(json.stdout.contains(#""detected":{"exercise":"squat""#))
    #expect(json.stdout.contains(#""engine_version":"squat/1""#))
    // Each rep reports its depth: the knee angle and the hip drop in leg lengths.
    #expect(json.stdout.contains(#""depth_angle":"#) && json.stdout.contains(#","depth":0."#))
    let half = try buddy.run([
      "count", "--exercise", "squat", fixtures + "/squat-mp33-front-15fps-half-squats-pauses.json",
    ])
    #expect(half.stdout.hasPrefix("squat: 4 reps (3 partial)"), "\(half.stdout)")
  }

  @Test(.enabled(if: TestDatabase.isAvailable, "no test database"))
  func recordsSquatsAndShowsThemInHistoryAndStats() throws {
    let world = try SignedInUser("sam", environment: ["TZ": "UTC"])
    defer { world.close() }
    let saved = try world.buddy.run(["record", Self.steady])
    #expect(saved.status == 0, "\(saved.stderr)")
    #expect(saved.stdout.contains("Saved squat: 5 reps"))
    let manual = try world.buddy.run([
      "record", "--exercise", "squat", "--reps", "30", "--duration", "2m",
    ])
    #expect(manual.status == 0, "\(manual.stderr)")
    // MET 5.0 × 70 kg × 2 min.
    #expect(manual.stdout.contains("Saved squat: 30 reps, 2:00, 11.7 kcal"), "\(manual.stdout)")
    let history = try world.buddy.run(["history", "--exercise", "squat", "--format", "jsonl"])
    #expect(history.status == 0, "\(history.stderr)")
    #expect(history.stdout.split(separator: "\n").count == 2)
    let stats = try world.buddy.run(["stats", "--exercise", "squat", "--format", "json"])
    #expect(stats.stdout.contains(#""exercise_type":"squat""#), "\(stats.stdout)")
    #expect(stats.stdout.contains(#""total_reps":35"#))
    let row = try world.database.connect().query(
      "SELECT details->'reps_detail'->0->>'depth' FROM workouts WHERE reps_count = 5")[0]
    #expect(Double(try row.decode(0, as: String.self)) ?? 0 > 0.07)
  }

  @Test(
    .enabled(if: squatDataPresent, "../squatdata not found: skipped"),
    .enabled(if: modelsPresent, "pose models not installed: skipped"))
  func countsRealSquatsFromFramesAndVideo() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let frames = squatCases + "/squat-correct-016/frames"
    for exercise in ["squat", "auto"] {
      let result = try buddy.run(["count", "--exercise", exercise, "--fps", "30", frames])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(result.stdout.hasPrefix("squat: 1 rep "), "\(exercise): \(result.stdout)")
    }
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/ffmpeg") else { return }
    // A 30 fps video: auto mode decodes it at 30 fps, `--exercise squat` at 15. At crf 23 the
    // clip (which ends as the body is back up) used to count 0 in auto mode, 1 named; the squat
    // counter now sees the 15 fps frames in both.
    for crf in ["18", "23"] {
      let video = buddy.home + "/squat-crf\(crf).mp4"
      let make = try BuddyProcess.execute(
        "/usr/bin/ffmpeg",
        [
          "-v", "error", "-framerate", "30", "-i", frames + "/%05d.jpg", "-c:v", "libx264",
          "-pix_fmt", "yuv420p", "-crf", crf, video,
        ], environment: ProcessInfo.processInfo.environment)
      try #require(make.status == 0, "\(make.stderr)")
      var counted: [String] = []
      for exercise in ["squat", "auto"] {
        let result = try buddy.run(["count", "--exercise", exercise, video])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
          result.stdout.hasPrefix("squat: 1 rep "), "crf \(crf) \(exercise): \(result.stdout)")
        let json = try buddy.run(["count", "--exercise", exercise, "--format", "json", video])
        let object = try #require(
          try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        counted.append("\(object["reps"] ?? "") reps, \(object["frames"] ?? "") frames")
      }
      #expect(counted[0] == counted[1], "crf \(crf): squat \(counted[0]), auto \(counted[1])")
    }
  }
}
