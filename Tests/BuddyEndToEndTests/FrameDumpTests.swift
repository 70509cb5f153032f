import Foundation
import TestSupport
import Testing

private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .appendingPathComponent("../../Fixtures").standardized.path
/// The real squat development set (not in the repository: licence), next to the checkout.
private let squatFrames = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .appendingPathComponent("../../../squatdata/cases/squat-correct-016/frames").standardized.path
private let modelsPresent = FileManager.default.fileExists(
  atPath: FileManager.default.homeDirectoryForCurrentUser.path
    + "/.local/share/exercise-buddy/models/pose_landmark_full.tflite")

/// `buddy count --dump-frames FILE` and `--replay-video-fps R` (hidden; the pose cache of
/// `scripts/eval-realdata.sh --variants`): counting the dumped frames gives what counting the
/// input gave, in auto mode and with the exercise named.
@Suite("Frame dumps end to end")
struct FrameDumpTests {
  /// The summary fields that must not change between the input and its dump.
  private func summary(_ json: String) throws -> String {
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    return ["exercise", "reps", "partial_reps", "duration_seconds", "frames"]
      .map { "\($0)=\(object[$0].map { "\($0)" } ?? "-")" }.joined(separator: " ")
  }

  private func firstLine(_ path: String) throws -> [String: Any] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let line = try #require(text.split(separator: "\n").first)
    return try #require(
      try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
  }

  @Test func aLandmarkFileCountsTheSameFromItsDump() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    for (name, exercise) in [
      ("mixed-coco17-side-30fps-pushups-then-rope.jsonl", "auto"),
      ("rope-mp33-front-30fps-two-foot-bounce.json", "jump-rope"),
      ("squat-mp33-side-30fps-steady.json", "auto"),
    ] {
      let dump = buddy.home + "/\(name).dump.jsonl"
      let direct = try buddy.run([
        "count", "--format", "json", "--exercise", exercise, "--dump-frames", dump,
        fixtures + "/" + name,
      ])
      #expect(direct.status == 0, "\(direct.stderr)")
      let replayed = try buddy.run(["count", "--format", "json", "--exercise", exercise, dump])
      #expect(replayed.status == 0, "\(replayed.stderr)")
      #expect(try summary(replayed.stdout) == summary(direct.stdout), "\(name)")
      #expect(try !summary(direct.stdout).contains(" reps=0 "), "\(name) counts reps")
      // Landmarks are not a video: no decode rate to replay.
      #expect(try firstLine(dump)["video_fps"] == nil)
    }
  }

  @Test func oneInputAndAPositiveRateOnly() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let steady = fixtures + "/mp33-side-30fps-steady.json"
    let two = try buddy.run([
      "count", "--dump-frames", buddy.home + "/d.jsonl", steady,
      fixtures + "/mp33-side-10fps-slow.json",
    ])
    #expect(two.status == 64)
    #expect(two.stderr.contains("--dump-frames"), "\(two.stderr)")
    let zero = try buddy.run(["count", "--replay-video-fps", "0", steady])
    #expect(zero.status == 64)
    #expect(zero.stderr.contains("--replay-video-fps 0.0"), "\(zero.stderr)")
    let unwritable = try buddy.run([
      "count", "--dump-frames", buddy.home + "/no/such/d.jsonl", steady,
    ])
    #expect(unwritable.status != 0)
    #expect(unwritable.stderr.contains("cannot create the frame dump"), "\(unwritable.stderr)")
  }

  /// A 30 fps video decoded at the default rate: auto mode runs our pose at 30 fps and feeds
  /// the squat counter every other frame, `--exercise squat` decodes at 15 fps. Each dump,
  /// replayed (auto with the decode rate it records), counts exactly what the video counted.
  @Test(
    .enabled(if: FileManager.default.fileExists(atPath: squatFrames), "../squatdata not found"),
    .enabled(if: modelsPresent, "pose models not installed: skipped"),
    .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/ffmpeg"), "no ffmpeg"))
  func aVideoCountsTheSameFromItsDumps() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let video = buddy.home + "/squat.mp4"
    let make = try BuddyProcess.execute(
      "/usr/bin/ffmpeg",
      [
        "-v", "error", "-framerate", "30", "-i", squatFrames + "/%05d.jpg", "-c:v", "libx264",
        "-pix_fmt", "yuv420p", "-crf", "23", video,
      ], environment: ProcessInfo.processInfo.environment)
    try #require(make.status == 0, "\(make.stderr)")
    for exercise in ["auto", "squat"] {
      let dump = buddy.home + "/\(exercise).jsonl"
      let direct = try buddy.run([
        "count", "--format", "json", "--exercise", exercise, "--dump-frames", dump, video,
      ])
      #expect(direct.status == 0, "\(direct.stderr)")
      let rate = try #require(try firstLine(dump)["video_fps"] as? Double)
      #expect(rate == (exercise == "auto" ? 30 : 15))
      let replayed = try buddy.run([
        "count", "--format", "json", "--exercise", exercise, "--replay-video-fps", "\(rate)", dump,
      ])
      #expect(replayed.status == 0, "\(replayed.stderr)")
      #expect(try summary(replayed.stdout) == summary(direct.stdout), "\(exercise)")
      #expect(try summary(direct.stdout).contains("exercise=squat reps=1"), "\(direct.stdout)")
    }
  }
}
