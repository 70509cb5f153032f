import Foundation
import Testing

@testable import PoseEstimation

/// With a thread team the two models load side by side: the same plans, bit for bit, as
/// loading them one after the other, each cache file written once and mapped later, and the
/// detector's error first when both fail.
@Suite("Concurrent model load")
struct ConcurrentModelLoadTests {
  private func outputs(_ executor: TFLiteExecutor, seed: UInt64) throws -> [[UInt32]] {
    var state = seed
    let input = (0..<executor.inputCount).map { _ -> Float in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Float((state >> 33) % 1000) / 1000
    }
    return try executor.run(input).map { tensor in tensor.values.map(\.bitPattern) }
  }

  @Test(.enabled(if: PackedWeightCacheTests.haveModels, "needs the pose models"))
  func sideBySideLoadsMatchLoadsInOrderColdAndWarm() throws {
    let lines = PackedWeightCacheTests.Lines()
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "buddy-concurrent-\(UUID().uuidString.prefix(8))")
    defer { try? FileManager.default.removeItem(at: directory) }
    var files = PoseTestResources.modelFiles
    var cache = PackedWeightCache(directory: directory.path)
    cache.log = { lines.append($0) }
    files.packedWeightCache = cache

    let inOrder = try PosePipeline.loadModels(PoseTestResources.modelFiles, team: nil)
    let team = ComputeThreads(count: 2)
    let cold = try PosePipeline.loadModels(files, team: team)
    let warm = try PosePipeline.loadModels(files, team: team)
    #expect(!cold.detector.times.fromCache && !cold.landmarks.times.fromCache)
    #expect(warm.detector.times.fromCache && warm.landmarks.times.fromCache)
    #expect(lines.all.filter { $0.contains("wrote") }.count == 2)
    #expect(lines.all.filter { $0.contains("mapped") }.count == 2)
    for seed: UInt64 in [1, 2] {
      let detector = try outputs(inOrder.detector.executor, seed: seed)
      let landmarks = try outputs(inOrder.landmarks.executor, seed: seed)
      #expect(try outputs(cold.detector.executor, seed: seed) == detector)
      #expect(try outputs(warm.detector.executor, seed: seed) == detector)
      #expect(try outputs(cold.landmarks.executor, seed: seed) == landmarks)
      #expect(try outputs(warm.landmarks.executor, seed: seed) == landmarks)
    }
  }

  @Test func missingModelsReportTheDetectorFirstEitherWay() {
    let files = PoseModelFiles(directory: "/nonexistent/buddy-models-\(UUID().uuidString)")
    for team in [nil, ComputeThreads(count: 2)] {
      #expect {
        _ = try PosePipeline.loadModels(files, team: team)
      } throws: { error in
        (error as? TFLiteModelError)?.message.contains("pose_detection.tflite is missing") == true
      }
    }
  }
}
