import Foundation
import Testing

@testable import PoseEstimation

/// The landmark model's heatmap (`Identity_3`) left out of `run` and computed only in the
/// windows the refinement reads: the same floats, bit for bit, as the executor that computes it
/// whole, and the same poses from the pipeline planned that way.
@Suite("Deferred heatmap")
struct DeferredHeatmapTests {
  static func heatmapPosition(_ interpreter: TFLiteInterpreter) throws -> Int {
    try #require(
      interpreter.outputTensors.indices.first {
        interpreter.model.tensors[interpreter.outputTensors[$0]].name == "Identity_3"
      })
  }

  @Test(
    "windows of the deferred heatmap equal the computed one, every kernel set, 1 and 2 threads",
    arguments: [1, 2])
  func windowsEqualTheWholeHeatmap(threads: Int) throws {
    let interpreter = try PoseTestResources.interpreter(.landmarks)
    let outputs = PlannedModel.Plan.withoutSegmentation.outputs(of: interpreter)
    let heatmap = try Self.heatmapPosition(interpreter)
    #expect(PlannedModel.Plan.withoutSegmentation.deferred(of: interpreter) == [heatmap])
    var random = SplitMix64(state: 77)
    let input = (0..<interpreter.inputShape.reduce(1, *)).map { _ in
      Float.random(in: 0...1, using: &random)
    }
    for set in PoseInstructionSet.supported {
      let team = threads > 1 ? ComputeThreads(count: threads) : nil
      let whole = try TFLiteExecutor(
        interpreter, outputs: outputs, threads: team, constants: .build, instructionSet: set)
      let deferring = try TFLiteExecutor(
        interpreter, outputs: outputs, threads: team, constants: .build, instructionSet: set,
        deferring: [heatmap])
      #expect(whole.deferredOutput(heatmap) == nil)
      let windows = try #require(deferring.deferredOutput(heatmap), "\(set)")
      #expect(deferring.kernels.count == whole.kernels.count - 1)
      #expect(deferring.constantBlocks.map(\.count) == whole.constantBlocks.map(\.count))
      #expect(!deferring.computes(output: heatmap))
      let expected = try whole.run(input)
      let actual = try deferring.run(input)
      // Every other output is the same.
      for position in expected.indices where position != heatmap {
        #expect(identicalBits(actual[position].values, expected[position].values), "\(set)")
      }
      let full = expected[heatmap].values
      let (size, channels) = (windows.width, windows.channels)
      #expect(size == 64 && windows.height == 64 && channels == 39)
      // Every channel over a whole band of rows, and windows at the corners and edges.
      var values = [Float](repeating: .nan, count: size * size)
      for channel in 0..<channels {
        let rows = (channel % 8) * 8..<(channel % 8) * 8 + 8
        for (rows, columns) in [(rows, 0..<size), (0..<9, 0..<9), (55..<64, 59..<64)] {
          values.withUnsafeMutableBufferPointer { buffer in
            windows.window(
              channel: channel, rows: rows, columns: columns, into: buffer.baseAddress!)
          }
          var index = 0
          for r in rows {
            for c in columns {
              let reference = full[(r * size + c) * channels + channel]
              if values[index].bitPattern != reference.bitPattern {
                Issue.record(
                  "\(set) channel \(channel) (\(r), \(c)): \(values[index]) vs \(reference)")
                return
              }
              index += 1
            }
          }
        }
      }
    }
  }

  @Test(
    "the pipeline with the deferred heatmap gives the poses of the whole one",
    .enabled(if: RealFrames.available, "../shared/realdata is absent"))
  func pipelinesAgree() throws {
    var deferring = try PosePipeline(
      models: PoseTestResources.modelFiles, mode: .tracking, threads: 1)
    var whole = try PosePipeline(
      detector: PoseTestResources.interpreter(.detector),
      landmarkModel: PoseTestResources.interpreter(.landmarks), mode: .tracking)
    try RealFrames.process(20, &deferring, &whole) { frame, a, b in
      #expect((a == nil) == (b == nil), "frame \(frame)")
      guard let a, let b else { return }
      let first = a.landmarks.flatMap { [$0.x, $0.y, $0.z, $0.visibility] }
      let second = b.landmarks.flatMap { [$0.x, $0.y, $0.z, $0.visibility] }
      let same = first.map(\.bitPattern) == second.map(\.bitPattern)
      #expect(same, "frame \(frame): the landmarks differ")
    }
  }
}
