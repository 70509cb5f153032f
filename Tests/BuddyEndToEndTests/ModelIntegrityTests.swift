import Foundation
import TestSupport
import Testing

/// The pose models' SHA-256 is checked before they are parsed, once per change of the file
/// (issue 16, point 8).
@Suite("Pose model integrity")
struct ModelIntegrityTests {
  @Test func aDamagedModelIsRefusedAndAGoodOneIsCheckedOnce() throws {
    var buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let installed = try #require(buddy.fullEnvironment["BUDDY_MODEL_DIR"])
    let detector = installed + "/pose_detection.tflite"
    let landmarks = installed + "/pose_landmark_full.tflite"
    guard FileManager.default.fileExists(atPath: detector) else {
      print("skipped: no pose models in \(installed) (scripts/fetch-pose-models.sh)")
      return
    }
    let models = buddy.home + "/models"
    try FileManager.default.createDirectory(atPath: models, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: detector, toPath: models + "/pose_detection.tflite")
    try FileManager.default.copyItem(
      atPath: landmarks, toPath: models + "/pose_landmark_full.tflite")
    buddy.environment["BUDDY_MODEL_DIR"] = models
    let frame = buddy.home + "/frame.jpg"
    let made = try BuddyProcess.execute(
      "/usr/bin/ffmpeg",
      ["-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x48", "-frames:v", "1", frame],
      environment: buddy.fullEnvironment)
    try #require(made.status == 0, "\(made.stderr)")

    let good = try buddy.run(["pose", frame])
    #expect(good.status == 0, "\(good.stderr)")
    let cache = buddy.home + "/.cache/exercise-buddy/verified-models"
    let verified = try String(contentsOfFile: cache, encoding: .utf8)
    #expect(verified.split(separator: "\n").count == 2)
    #expect(try buddy.run(["pose", frame]).status == 0)

    // One byte changed in the middle of the detector: refused before parsing, exit 78.
    let path = models + "/pose_detection.tflite"
    var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    bytes[bytes.count / 2] ^= 0x01
    try bytes.write(to: URL(fileURLWithPath: path))
    let damaged = try buddy.run(["pose", frame])
    #expect(damaged.status == 78)
    #expect(damaged.stderr.contains("has SHA-256"))
    #expect(damaged.stderr.contains("fetch-pose-models.sh"))
  }
}
