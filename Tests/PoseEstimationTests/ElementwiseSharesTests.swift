import PoseKernelTypes
import Testing

@testable import PoseEstimation

/// ADD and RESIZE_BILINEAR shared among a team's threads: the parts together write exactly
/// what the whole kernel writes (each value computed by the same expression once).
@Suite struct ElementwiseSharesTests {
  @Test(arguments: [2, 3, 5, 8], PoseInstructionSet.supported)
  func addPartsEqualTheWhole(parts: Int, instructionSet: PoseInstructionSet) {
    let kernels = instructionSet.kernels
    var random = SplitMix64(state: UInt64(parts))
    for trial in 0..<40 {
      let count = Int(random.next() % 3000) + 1
      let a = (0..<count).map { _ in Float.random(in: -8...8, using: &random) }
      let b = (0..<count).map { _ in Float.random(in: -8...8, using: &random) }
      let relu6 = trial % 2 == 0
      var whole = [Float](repeating: .nan, count: count)
      var shared = [Float](repeating: .nan, count: count)
      whole.withUnsafeMutableBufferPointer { out in
        guard let base = out.baseAddress else { return }
        kernels.add(a, b, output: base, count: count, relu6: relu6)
      }
      shared.withUnsafeMutableBufferPointer { out in
        guard let base = out.baseAddress else { return }
        for part in 0..<parts {
          kernels.add(a, b, output: base, count: count, relu6: relu6, part: part, parts: parts)
        }
      }
      #expect(shared.map(\.bitPattern) == whole.map(\.bitPattern), "\(count) in \(parts)")
    }
  }

  @Test(arguments: [2, 3, 5, 8], PoseInstructionSet.supported)
  func resizePartsEqualTheWhole(parts: Int, instructionSet: PoseInstructionSet) {
    let kernels = instructionSet.kernels
    var random = SplitMix64(state: UInt64(100 + parts))
    for _ in 0..<40 {
      let (height, width, channels) = (
        Int(random.next() % 9) + 1, Int(random.next() % 9) + 1, Int(random.next() % 20) + 1
      )
      let (outputHeight, outputWidth) = (Int(random.next() % 20) + 1, Int(random.next() % 20) + 1)
      let input = (0..<height * width * channels).map { _ in
        Float.random(in: -1...1, using: &random)
      }
      let count = outputHeight * outputWidth * channels
      var whole = [Float](repeating: .nan, count: count)
      var shared = [Float](repeating: .nan, count: count)
      for (target, pieces) in [(0, 1), (1, parts)] {
        var output = [Float](repeating: .nan, count: count)
        output.withUnsafeMutableBufferPointer { out in
          guard let base = out.baseAddress else { return }
          for part in 0..<pieces {
            kernels.resizeBilinearHalfPixel(
              input: input, inputHeight: height, inputWidth: width, channels: channels,
              output: base, outputHeight: outputHeight, outputWidth: outputWidth, part: part,
              parts: pieces)
          }
        }
        if target == 0 { whole = output } else { shared = output }
      }
      #expect(
        shared.map(\.bitPattern) == whole.map(\.bitPattern),
        "\(height)x\(width)x\(channels) → \(outputHeight)x\(outputWidth) in \(parts)")
    }
  }
}
