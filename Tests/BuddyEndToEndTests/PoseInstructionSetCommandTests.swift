import Foundation
import PoseEstimation
import TestSupport
import Testing

/// `BUDDY_POSE_ISA` end to end: a bad value is one error line and exit 78 (before any frame
/// is written), and `buddy pose` writes byte for byte the same landmarks with the AVX2 and
/// the AVX-512 kernels, on one thread and on two.
@Suite("buddy pose with BUDDY_POSE_ISA")
struct PoseInstructionSetCommandTests {
  private func frameDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "buddy-pose-isa-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    let image = try #require(
      RGBImage(width: 64, height: 48, pixels: [UInt8](repeating: 90, count: 64 * 48 * 3)))
    try Data(try JPEGDecoder.encode(image)).write(to: url.appendingPathComponent("1.jpg"))
    return url
  }

  @Test(arguments: [1, 2])
  func badValueExits78WithOneLine(threads: Int) throws {
    let frames = try frameDirectory()
    defer { try? FileManager.default.removeItem(at: frames) }
    let buddy = try BuddyProcess(environment: [
      "BUDDY_POSE_ISA": "sse4", "BUDDY_MODEL_DIR": PoseCommandTests.modelDirectory,
    ])
    defer { buddy.cleanUp() }
    let result = try buddy.run(["pose", "--fps", "30", "--threads", "\(threads)", frames.path])
    #expect(result.status == 78)
    #expect(result.stdout.isEmpty)
    #expect(
      result.stderr
        == "buddy: BUDDY_POSE_ISA=sse4 is not an instruction set (use avx2, avx512 or avx512-gemm8)\n"
    )
  }

  @Test(
    .enabled(
      if: !PoseInstructionSet.avx512.isSupported,
      "this CPU has AVX-512: forcing it is not an error here"))
  func avx512OnACPUWithoutItExits78() throws {
    let frames = try frameDirectory()
    defer { try? FileManager.default.removeItem(at: frames) }
    let buddy = try BuddyProcess(environment: ["BUDDY_POSE_ISA": "avx512"])
    defer { buddy.cleanUp() }
    let result = try buddy.run(["pose", "--fps", "30", frames.path])
    #expect(result.status == 78)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.hasPrefix("buddy: BUDDY_POSE_ISA=avx512: this CPU"))
    #expect(result.stderr.split(separator: "\n").count == 1)
  }

  @Test(
    .enabled(
      if: PoseCommandTests.haveModelsAndFrames, "needs the pose models and ../shared/realdata"),
    .enabled(
      if: PoseInstructionSet.avx512.isSupported,
      "this CPU has no AVX-512: only the AVX2 kernels run"),
    arguments: [1, 2])
  func avx2AndAVX512GiveTheSameBytes(threads: Int) throws {
    // The first 45 frames of the push-up clip: the detector on frame 1, then tracking.
    let files = (1...45).map { PoseCommandTests.realFrames + String(format: "/%05d.jpg", $0) }
    var outputs: [String: String] = [:]
    for set in ["avx2", "avx512", "avx512-gemm8"] {
      let buddy = try BuddyProcess(environment: [
        "BUDDY_POSE_ISA": set, "BUDDY_MODEL_DIR": PoseCommandTests.modelDirectory,
      ])
      defer { buddy.cleanUp() }
      let result = try buddy.run(["pose", "--fps", "30", "--threads", "\(threads)"] + files)
      #expect(result.status == 0, "\(set): \(result.stderr)")
      #expect(result.stdout.split(separator: "\n").count == 45)
      outputs[set] = result.stdout
    }
    #expect(outputs["avx2"] == outputs["avx512"])
    #expect(outputs["avx2"] == outputs["avx512-gemm8"])
    #expect(outputs["avx2"]?.contains("\"landmarks\":[[") == true)
  }
}
