import PoseKernelTypes
import Testing

@testable import PoseEstimation

/// The fused depthwise + 1×1 kernel (`PoseKernelSet.depthwiseThenPointwise`) against the two
/// fast kernels one after the other, and which pairs the executor fuses.
@Suite("Depthwise convolution fused with the next 1×1 convolution")
struct DepthwisePointwiseTests {
  @Test(
    "fused, whole or split into row bands, equals the two kernels one after the other",
    arguments: PoseInstructionSet.supported)
  func fusedEqualsSeparate(instructionSet: PoseInstructionSet) {
    let kernels = instructionSet.kernels
    var random = SplitMix64(state: 31)
    for trial in 0..<60 {
      let kernel = Int.random(in: 1...5, using: &random)
      let stride = Int.random(in: 1...2, using: &random)
      let same = trial % 2 == 0
      let height = Int.random(in: kernel...(kernel + 40), using: &random)
      let width = Int.random(in: kernel...(kernel + 40), using: &random)
      let channels = Int.random(in: 1...72, using: &random)
      let outputChannels = Int.random(in: 1...50, using: &random)
      let (outputHeight, padTop) = WindowGeometry.outputSize(
        input: height, kernel: kernel, stride: stride, same: same)
      let (outputWidth, padLeft) = WindowGeometry.outputSize(
        input: width, kernel: kernel, stride: stride, same: same)
      let depthwise = WindowGeometry(
        inputHeight: height, inputWidth: width, inputChannels: channels,
        outputHeight: outputHeight, outputWidth: outputWidth, outputChannels: channels,
        kernelHeight: kernel, kernelWidth: kernel, strideHeight: stride, strideWidth: stride,
        padTop: padTop, padLeft: padLeft)
      func values(_ count: Int) -> [Float] {
        (0..<count).map { _ in Float.random(in: -1...1, using: &random) }
      }
      let input = values(height * width * channels)
      let filter = values(kernel * kernel * channels)
      let bias = values(channels)
      let pointwiseFilter = values(outputChannels * channels)
      let pointwiseBias = values(outputChannels)
      let (depthwiseRelu, relu) = (trial % 3 == 0, trial % 4 == 0)
      let pixels = outputHeight * outputWidth
      var packedWeights = [Float](
        repeating: 0, count: PackedGEMMWeights.weightCount(k: channels, n: outputChannels))
      var packedBias = [Float](
        repeating: 0, count: PackedGEMMWeights.weightCount(k: 1, n: outputChannels))
      var middle = [Float](repeating: .nan, count: pixels * channels)
      var expected = [Float](repeating: .nan, count: pixels * outputChannels)
      var scratch = [Float](
        repeating: .nan, count: kernels.depthwisePointwiseScratch(depthwise))
      var results: [[Float]] = []
      input.withUnsafeBufferPointer { x in
        filter.withUnsafeBufferPointer { w in
          bias.withUnsafeBufferPointer { b in
            pointwiseFilter.withUnsafeBufferPointer { pw in
              pointwiseBias.withUnsafeBufferPointer { pb in
                packedWeights.withUnsafeMutableBufferPointer { weights in
                  packedBias.withUnsafeMutableBufferPointer { packedBiasBuffer in
                    guard let xBase = x.baseAddress, let wBase = w.baseAddress,
                      let bBase = b.baseAddress, let weightBase = weights.baseAddress,
                      let biasBase = packedBiasBuffer.baseAddress
                    else { return }
                    let packed = PackedGEMMWeights.pack(
                      filter: pw, bias: pb, k: channels, n: outputChannels, weights: weightBase,
                      bias: biasBase)
                    middle.withUnsafeMutableBufferPointer { m in
                      expected.withUnsafeMutableBufferPointer { e in
                        guard let mBase = m.baseAddress, let eBase = e.baseAddress else { return }
                        kernels.depthwiseConv2D(
                          input: xBase, filter: wBase, bias: bBase, output: mBase,
                          geometry: depthwise, relu6: depthwiseRelu)
                        kernels.gemm(
                          a: mBase, lda: channels, rows: pixels, packed: packed, c: eBase,
                          ldc: outputChannels, relu6: relu)
                      }
                    }
                    for parts in [1, 2, 3, 5] {
                      var output = [Float](repeating: .nan, count: pixels * outputChannels)
                      output.withUnsafeMutableBufferPointer { o in
                        scratch.withUnsafeMutableBufferPointer { s in
                          guard let oBase = o.baseAddress, let sBase = s.baseAddress else {
                            return
                          }
                          for part in 0..<parts {
                            kernels.depthwiseThenPointwise(
                              input: xBase, filter: wBase, bias: bBase, depthwise: depthwise,
                              depthwiseRelu6: depthwiseRelu, packed: packed, output: oBase,
                              relu6: relu, scratch: sBase, part: part, parts: parts)
                          }
                        }
                      }
                      results.append(output)
                    }
                  }
                }
              }
            }
          }
        }
      }
      for (index, result) in results.enumerated() {
        #expect(result == expected, "trial \(trial) \(depthwise), run \(index): not bit-identical")
      }
    }
  }

  @Test(
    "a band fills whole micro-kernel steps where the width allows, within the height",
    arguments: PoseInstructionSet.supported)
  func bandRows(instructionSet: PoseInstructionSet) {
    let kernels = instructionSet.kernels
    let g = WindowGeometry(
      inputHeight: 64, inputWidth: 64, inputChannels: 144, outputHeight: 64, outputWidth: 64,
      outputChannels: 144, kernelHeight: 3, kernelWidth: 3, strideHeight: 1, strideWidth: 1,
      padTop: 1, padLeft: 1)
    let rows = kernels.fusedBandRows(g)
    #expect(rows * g.outputWidth % kernels.microRows == 0)
    #expect(rows >= 1 && rows <= g.outputHeight)
    var small = g
    (small.outputHeight, small.outputWidth, small.inputHeight, small.inputWidth) = (2, 2, 2, 2)
    #expect(kernels.fusedBandRows(small) == 2)
  }

  @Test("the landmark model's depthwise layers run fused with their 1×1 layers")
  func landmarkModelPairs() throws {
    let interpreter = try PoseTestResources.interpreter(.landmarks)
    let executor = try TFLiteExecutor.withoutSegmentation(interpreter)
    let fused = executor.kernels.filter {
      if case .depthwisePointwise = $0 { return true } else { return false }
    }
    // 20 of its 32 depthwise layers (those of at least 16,384 values; every one is followed
    // by the 1×1 layer that alone reads it).
    #expect(fused.count == 20)
  }
}
