import Foundation
import PoseEstimation
import TestSupport
import Testing

/// With 2 or more threads `buddy pose` and `buddy count` load the two models side by side and
/// beside the first frames' decoding: the output is exactly that of one thread (models loaded
/// in order, after the first frame), cold and warm, and the exit codes keep their order (the
/// source before the models).
@Suite("Model load overlap (buddy)")
struct ModelLoadOverlapCommandTests {
  @Test(
    .enabled(
      if: PoseCommandTests.haveModelsAndFrames, "needs the pose models and ../shared/realdata"))
  func oneAndTwoThreadsPrintTheSameColdAndWarm() throws {
    let dir = try PackedWeightCacheCommandTests.frames(8)
    defer { try? FileManager.default.removeItem(at: dir) }
    var outputs: [String: String] = [:]
    for threads in ["1", "2"] {
      // A fresh HOME each: the first run is cold (no packed weights), the second warm.
      let buddy = try BuddyProcess(environment: [
        "BUDDY_MODEL_DIR": PoseCommandTests.modelDirectory, "BUDDY_LOG": "debug",
      ])
      defer { buddy.cleanUp() }
      for state in ["cold", "warm"] {
        let pose = try buddy.run(
          ["pose", "--fps", "15", "--threads", threads, dir.path], timeout: 300)
        #expect(pose.status == 0, "\(pose.stderr)")
        #expect(pose.stderr.contains("load pose_detection.tflite (\(state))"))
        #expect(pose.stderr.contains("load pose_landmark_full.tflite (\(state))"))
        #expect(pose.stderr.contains("startup: first inference starts at"))
        outputs["pose \(threads) \(state)"] = pose.stdout
        let count = try buddy.run(
          [
            "count", "--exercise", "push-up", "--fps", "15", "--threads", threads, "--format",
            "json", dir.path,
          ], timeout: 300)
        #expect(count.status == 0, "\(count.stderr)")
        outputs["count \(threads) \(state)"] = count.stdout
      }
    }
    let pose = try #require(outputs["pose 1 cold"])
    #expect(pose.split(separator: "\n").count == 8)
    #expect(outputs.filter { $0.key.hasPrefix("pose") }.values.allSatisfy { $0 == pose })
    let count = try #require(outputs["count 1 cold"])
    #expect(count.contains("\"reps\""))
    #expect(outputs.filter { $0.key.hasPrefix("count") }.values.allSatisfy { $0 == count })
  }

  @Test(arguments: ["1", "2"])
  func anUndecodableSourceExits65AndMissingModels78(threads: String) throws {
    let models = FileManager.default.temporaryDirectory.appendingPathComponent(
      "buddy-overlap-models-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: models) }
    let buddy = try BuddyProcess(environment: ["BUDDY_MODEL_DIR": models.path])
    defer { buddy.cleanUp() }
    let junk = models.appendingPathComponent("junk.jpg")
    try Data("not a jpeg".utf8).write(to: junk)
    let bad = try buddy.run(["pose", "--fps", "15", "--threads", threads, junk.path])
    #expect(bad.status == 65, "\(bad.stderr)")
    #expect(bad.stderr.contains("no frame could be decoded"))
    #expect(!bad.stderr.contains("fetch-pose-models"))
    let countBad = try buddy.run(
      ["count", "--exercise", "push-up", "--threads", threads, junk.path])
    #expect(countBad.status == 65, "\(countBad.stderr)")
    #expect(!countBad.stderr.contains("fetch-pose-models"))
    let photo = models.appendingPathComponent("photo.jpg")
    let image = try #require(
      RGBImage(width: 32, height: 24, pixels: [UInt8](repeating: 128, count: 32 * 24 * 3)))
    try Data(try JPEGDecoder.encode(image)).write(to: photo)
    let good = try buddy.run(["pose", "--fps", "15", "--threads", threads, photo.path])
    #expect(good.status == 78, "\(good.stderr)")
    #expect(good.stderr.contains("scripts/fetch-pose-models.sh"))
    #expect(good.stderr.split(separator: "\n").count == 1)
  }
}
