import PoseKernelTypes
import Testing

@testable import PoseEstimation

/// Zero PADs folded into the convolution that reads them (`TFLiteExecutor.foldingZeroPadding`):
/// which PADs qualify, and that the folded convolution gives the same bits as the PAD followed
/// by the VALID convolution, kernel by kernel and for both whole models.
@Suite("PAD folded into the next convolution")
struct PadFoldingTests {
  @Test(
    "a depthwise or regular convolution over a padded copy equals one with the padding",
    arguments: PoseInstructionSet.supported)
  func foldedPaddingProperty(instructionSet: PoseInstructionSet) {
    let kernels = instructionSet.kernels
    var random = SplitMix64(state: 21)
    for trial in 0..<160 {
      let depthwise = trial % 2 == 0
      let kernelHeight = Int.random(in: 1...5, using: &random)
      let kernelWidth = Int.random(in: 1...5, using: &random)
      let (top, bottom) = (
        Int.random(in: 0..<kernelHeight, using: &random),
        Int.random(in: 0..<kernelHeight, using: &random)
      )
      let (left, right) = (
        Int.random(in: 0..<kernelWidth, using: &random),
        Int.random(in: 0..<kernelWidth, using: &random)
      )
      let height = Int.random(in: kernelHeight...(kernelHeight + 10), using: &random)
      let width = Int.random(in: kernelWidth...(kernelWidth + 10), using: &random)
      let channels = Int.random(in: 1...(depthwise ? 72 : 24), using: &random)
      let outputChannels = depthwise ? channels : Int.random(in: 1...40, using: &random)
      let stride = Int.random(in: 1...2, using: &random)
      let (paddedHeight, paddedWidth) = (top + height + bottom, left + width + right)
      let valid = WindowGeometry(
        inputHeight: paddedHeight, inputWidth: paddedWidth, inputChannels: channels,
        outputHeight: (paddedHeight - kernelHeight + stride) / stride,
        outputWidth: (paddedWidth - kernelWidth + stride) / stride,
        outputChannels: outputChannels, kernelHeight: kernelHeight, kernelWidth: kernelWidth,
        strideHeight: stride, strideWidth: stride, padTop: 0, padLeft: 0)
      var folded = valid
      (folded.inputHeight, folded.inputWidth, folded.padTop, folded.padLeft) = (
        height, width, top, left
      )
      let input = (0..<(height * width * channels)).map { _ in
        Float.random(in: -1...1, using: &random)
      }
      // The PAD: zeros around the input.
      var padded = [Float](repeating: 0, count: paddedHeight * paddedWidth * channels)
      for y in 0..<height {
        for x in 0..<width {
          for c in 0..<channels {
            padded[((y + top) * paddedWidth + x + left) * channels + c] =
              input[(y * width + x) * channels + c]
          }
        }
      }
      let weightCount = kernelHeight * kernelWidth * channels * (depthwise ? 1 : outputChannels)
      let filter = (0..<weightCount).map { _ in Float.random(in: -1...1, using: &random) }
      let bias = (0..<outputChannels).map { _ in Float.random(in: -1...1, using: &random) }
      let relu = trial % 3 == 0
      let expected = run(
        kernels, depthwise: depthwise, input: padded, filter: filter, bias: bias, geometry: valid,
        relu: relu)
      let actual = run(
        kernels, depthwise: depthwise, input: input, filter: filter, bias: bias, geometry: folded,
        relu: relu)
      #expect(actual == expected, "trial \(trial) \(folded): not bit-identical")
    }
  }

  @Test("only a single-reader zero PAD of height and width before a VALID convolution folds")
  func foldsOnlyWhatQualifies() {
    let pad = step(
      0,
      .pad(input: 0, inputShape: [1, 6, 6, 4], before: [0, 1, 1, 0], outputShape: [1, 8, 8, 4]),
      output: 1)
    let conv = step(1, .depthwiseConv2D(window(8, kernel: 3), .none, input: 1, filter: 9, bias: 10))
    let folded = TFLiteExecutor.foldingZeroPadding([pad, conv], kept: [])
    #expect(folded.count == 1)
    if case .depthwiseConv2D(let g, _, let input, _, _) = folded.first?.step {
      #expect(input == 0)
      #expect((g.inputHeight, g.inputWidth, g.padTop, g.padLeft) == (6, 6, 1, 1))
      #expect((g.outputHeight, g.outputWidth) == (6, 6))
    } else {
      Issue.record("the convolution is gone: \(folded)")
    }
    // Kept as a requested output, read twice, read by MAX_POOL_2D (its padding is −∞), padding
    // the channels, or as wide as the kernel: left alone.
    #expect(TFLiteExecutor.foldingZeroPadding([pad, conv], kept: [1]).count == 2)
    let second = step(3, .add(.none, 1, 1), output: 3)
    #expect(TFLiteExecutor.foldingZeroPadding([pad, conv, second], kept: []).count == 3)
    let pool = step(2, .maxPool2D(window(8, kernel: 3), .none, input: 1))
    #expect(TFLiteExecutor.foldingZeroPadding([pad, pool], kept: []).count == 2)
    let channelPad = step(
      0,
      .pad(input: 0, inputShape: [1, 8, 8, 2], before: [0, 0, 0, 1], outputShape: [1, 8, 8, 4]),
      output: 1)
    #expect(TFLiteExecutor.foldingZeroPadding([channelPad, conv], kept: []).count == 2)
    let wide = step(
      0,
      .pad(input: 0, inputShape: [1, 4, 4, 4], before: [0, 3, 1, 0], outputShape: [1, 8, 6, 4]),
      output: 1)
    let wideConv = step(1, .conv2D(window(8, 6, kernel: 3), .none, input: 1, filter: 9, bias: 10))
    #expect(TFLiteExecutor.foldingZeroPadding([wide, wideConv], kept: []).count == 2)
  }

  @Test(
    "both models: the planned fast path with PADs folded equals the reference interpreter",
    arguments: [PoseModelFiles.Model.detector, .landmarks], PoseInstructionSet.supported)
  func wholeModels(model: PoseModelFiles.Model, instructionSet: PoseInstructionSet) throws {
    let interpreter = try PoseTestResources.interpreter(model)
    let executor = try TFLiteExecutor(interpreter, instructionSet: instructionSet)
    // The landmark model pads its input and the input of its stride-2 depthwise layers; the
    // detector's spatial PADs likewise (its channel PADs stay).
    #expect(executor.foldedPadCount >= (model == .landmarks ? 5 : 1))
    var random = SplitMix64(state: model == .detector ? 22 : 23)
    let (low, high): (Float, Float) = model == .detector ? (-1, 1) : (0, 1)
    let input = (0..<interpreter.inputShape.reduce(1, *)).map { _ in
      Float.random(in: low...high, using: &random)
    }
    let fast = try executor.run(input)
    let reference = try interpreter.run(input)
    try #require(fast.count == reference.count)
    for (position, (actual, expected)) in zip(fast, reference).enumerated() {
      #expect(actual.shape == expected.shape)
      if instructionSet.fusesMultiplyAdds {
        #expect(relativeError(actual.values, expected.values) <= 1e-5, "output \(position)")
      } else {
        #expect(actual.values == expected.values, "output \(position): not bit-identical")
      }
    }
  }
}

private func step(
  _ index: Int, _ body: TFLiteInterpreter.Step, output: Int? = nil
) -> TFLiteInterpreter.ScheduledStep {
  TFLiteInterpreter.ScheduledStep(
    operatorIndex: index, step: body, output: output ?? index + 1, outputCount: 1)
}

/// A VALID window over an input of `height × width` (4 channels), stride 1.
private func window(_ height: Int, _ width: Int? = nil, kernel: Int) -> WindowGeometry {
  let width = width ?? height
  return WindowGeometry(
    inputHeight: height, inputWidth: width, inputChannels: 4, outputHeight: height - kernel + 1,
    outputWidth: width - kernel + 1, outputChannels: 4, kernelHeight: kernel,
    kernelWidth: kernel, strideHeight: 1, strideWidth: 1, padTop: 0, padLeft: 0)
}

/// The fast depthwise or regular convolution of `input` (weights packed here for the latter).
private func run(
  _ kernels: any PoseKernelSet.Type, depthwise: Bool, input: [Float], filter: [Float],
  bias: [Float], geometry g: WindowGeometry,
  relu: Bool
) -> [Float] {
  let count = g.outputHeight * g.outputWidth * g.outputChannels
  var output = [Float](repeating: .nan, count: count)
  let k = g.kernelHeight * g.kernelWidth * g.inputChannels
  var weights = [Float](
    repeating: 0, count: PackedGEMMWeights.weightCount(k: k, n: g.outputChannels))
  var packedBias = [Float](
    repeating: 0, count: PackedGEMMWeights.weightCount(k: 1, n: g.outputChannels))
  var scratch = [Float](repeating: 0, count: max(kernels.conv2DScratch(g), 1))
  input.withUnsafeBufferPointer { x in
    filter.withUnsafeBufferPointer { w in
      bias.withUnsafeBufferPointer { b in
        output.withUnsafeMutableBufferPointer { out in
          weights.withUnsafeMutableBufferPointer { packedWeights in
            packedBias.withUnsafeMutableBufferPointer { packedBiasBuffer in
              scratch.withUnsafeMutableBufferPointer { s in
                guard let xBase = x.baseAddress, let wBase = w.baseAddress,
                  let bBase = b.baseAddress, let outBase = out.baseAddress,
                  let pw = packedWeights.baseAddress, let pb = packedBiasBuffer.baseAddress,
                  let sBase = s.baseAddress
                else { return }
                if depthwise {
                  kernels.depthwiseConv2D(
                    input: xBase, filter: wBase, bias: bBase, output: outBase, geometry: g,
                    relu6: relu)
                } else {
                  let packed = PackedGEMMWeights.pack(
                    filter: w, bias: b, k: k, n: g.outputChannels, weights: pw, bias: pb)
                  kernels.conv2D(
                    input: xBase, packed: packed, output: outBase, geometry: g, relu6: relu,
                    scratch: sBase)
                }
              }
            }
          }
        }
      }
    }
  }
  return output
}
