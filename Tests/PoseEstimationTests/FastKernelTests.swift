import PoseKernelTypes
import Testing

@testable import PoseEstimation

/// The fast kernels against the reference kernels (their oracle): every compute operator
/// of both models at its real shape, and random shapes of every kernel (property tests).
/// Tolerance: relative error (max |fast − reference| / max |reference|) ≤ 1e-5. With fused
/// multiply-adds (`POSE_FMA`, built with `BUDDY_POSE_FMA=1 swift test`) the CONV_2D kernels
/// differ from the reference in the last bits, within that tolerance; built unfused (the
/// default), they are bit-identical, and these tests say so. Splitting a kernel for a
/// thread team never changes a bit either way.
@Suite("Fast kernels vs reference kernels")
struct FastKernelTests {
  static let tolerance = 1e-5

  /// Each operator's reference output is computed once and compared with every kernel set
  /// this CPU runs (the reference kernels are most of this test's time).
  @Test(
    "every compute operator of both models matches the reference kernel at its real shape",
    arguments: [PoseModelFiles.Model.detector, .landmarks])
  func realLayerShapes(model: PoseModelFiles.Model) throws {
    let interpreter = try PoseTestResources.interpreter(model)
    var random = SplitMix64(seed: model == .detector ? 1 : 2)
    var checked = 0
    for step in interpreter.steps {
      var inputs: [Int: [Float]] = [:]
      for tensor in TFLiteExecutor.inputTensors(of: step.step)
      where interpreter.constantValues(of: tensor) == nil {
        let count = interpreter.model.tensors[tensor].shape.reduce(1, *)
        inputs[tensor] = random.floats(count: count, in: -2...2)
      }
      let expected = try interpreter.runOperator(at: step.operatorIndex, inputs: inputs)
      for instructionSet in PoseInstructionSet.supported {
        let actual = try TFLiteExecutor.runOperator(
          interpreter, at: step.operatorIndex, inputs: inputs, instructionSet: instructionSet)
        try #require(actual.count == expected.count)
        let error = relativeError(actual, expected)
        #expect(
          error <= Self.tolerance,
          "\(instructionSet) op \(step.operatorIndex) \(step.step): relative error \(error)")
        // Only the convolutions fuse multiply-adds; every other kernel is bit-identical.
        let fused: Bool
        if case .conv2D = step.step {
          fused = instructionSet.fusesMultiplyAdds
        } else {
          fused = false
        }
        if !fused {
          #expect(
            sameValues(actual, expected),
            "\(instructionSet) op \(step.operatorIndex): not bit-identical")
        }
      }
      checked += 1
    }
    #expect(checked == interpreter.computeOperatorCount)
  }

  @Test(
    "CONV_2D: random shapes, kernels, strides and padding", arguments: PoseInstructionSet.supported)
  func convolutionProperty(instructionSet: PoseInstructionSet) {
    let kernels = instructionSet.kernels
    var random = SplitMix64(seed: 10)
    for trial in 0..<150 {
      let g = random.geometry(depthwise: false)
      let k = g.kernelHeight * g.kernelWidth * g.inputChannels
      let input = random.data(count: g.inputHeight * g.inputWidth * g.inputChannels, in: -1...1)
      let filter = random.data(count: g.outputChannels * k, in: -1...1)
      let bias = random.data(count: g.outputChannels, in: -1...1)
      let relu = random.next() % 2 == 0
      let expected = reference(g.outputHeight * g.outputWidth * g.outputChannels) { out in
        ReferenceKernels.conv2D(
          input: input.buffer, filter: filter.buffer, bias: bias.buffer, output: out, geometry: g,
          activation: relu ? .relu6 : .none)
      }
      let actual = fastConv2D(
        kernels: kernels,
        input: input, filter: filter, bias: bias, geometry: g, relu: relu, parts: 1)
      // Split as a thread team splits it (row bands, or channel bands for 1×1 convolutions
      // with few pixels), the parts run one after another here: every value written once,
      // exactly as by the whole call.
      for parts in [2, 3, 5] {
        let split = fastConv2D(
          kernels: kernels,
          input: input, filter: filter, bias: bias, geometry: g, relu: relu, parts: parts)
        #expect(split == actual, "trial \(trial) \(g) in \(parts) parts")
      }
      let error = relativeError(actual, expected)
      #expect(error <= Self.tolerance, "trial \(trial) \(g): relative error \(error)")
      // Unfused multiply-adds in the reference order: bit-identical (README, build settings).
      if !kernels.fusesMultiplyAdds {
        #expect(actual == expected, "trial \(trial) \(g): not bit-identical")
      }
    }
  }

  @Test(
    "CONV_2D read in place (first layers: 3 channels, 2×2 and 3×3, stride 2): odd widths, edges, pads",
    arguments: PoseInstructionSet.supported)
  func directConvolutionProperty(instructionSet: PoseInstructionSet) {
    let kernels = instructionSet.kernels
    var random = SplitMix64(seed: 17)
    for trial in 0..<160 {
      let kernelHeight = random.int(1...3)
      let kernelWidth = random.int(2...3)
      let strideHeight = random.int(1...2)
      let strideWidth = random.int(1...2)
      // Widths around whole 6-pixel tiles of windows inside the row, and rows too narrow for any.
      let inputWidth = random.int(1...40)
      let inputHeight = random.int(1...9)
      let inputChannels = [1, 2, 3, 3, 3, 4, 24][random.int(0...6)]
      // Up to 117 (the landmark model's 2×2 heads have 1, 117 and 195): four panels and more
      // are read four at a time for the last pixels, the last group maybe partly.
      let outputChannels = [3, 8, 16, 20, 24, 24, 32, 40, 48, 64, 70, 117][random.int(0...11)]
      // SAME or VALID sizes, or the explicit pads a folded PAD leaves (top/left 0…2, the
      // output as large as fits).
      let padTop: Int
      let padLeft: Int
      let outputHeight: Int
      let outputWidth: Int
      switch random.int(0...2) {
      case 0, 1:
        let same = random.int(0...1) == 0
        guard same || (inputHeight >= kernelHeight && inputWidth >= kernelWidth) else { continue }
        (outputHeight, padTop) = WindowGeometry.outputSize(
          input: inputHeight, kernel: kernelHeight, stride: strideHeight, same: same)
        (outputWidth, padLeft) = WindowGeometry.outputSize(
          input: inputWidth, kernel: kernelWidth, stride: strideWidth, same: same)
      default:
        padTop = random.int(0...2)
        padLeft = random.int(0...2)
        outputHeight = (inputHeight + padTop + random.int(0...1) - kernelHeight) / strideHeight + 1
        outputWidth = (inputWidth + padLeft + random.int(0...1) - kernelWidth) / strideWidth + 1
      }
      guard outputHeight > 0, outputWidth > 0 else { continue }
      let g = WindowGeometry(
        inputHeight: inputHeight, inputWidth: inputWidth, inputChannels: inputChannels,
        outputHeight: outputHeight, outputWidth: outputWidth, outputChannels: outputChannels,
        kernelHeight: kernelHeight, kernelWidth: kernelWidth, strideHeight: strideHeight,
        strideWidth: strideWidth, padTop: padTop, padLeft: padLeft)
      let k = kernelHeight * kernelWidth * inputChannels
      let input = random.data(count: inputHeight * inputWidth * inputChannels, in: -1...1)
      let filter = random.data(count: outputChannels * k, in: -1...1)
      let bias = random.data(count: outputChannels, in: -1...1)
      let relu = random.next() % 2 == 0
      let expected = reference(outputHeight * outputWidth * outputChannels) { out in
        ReferenceKernels.conv2D(
          input: input.buffer, filter: filter.buffer, bias: bias.buffer, output: out, geometry: g,
          activation: relu ? .relu6 : .none)
      }
      let actual = fastConv2D(
        kernels: kernels, input: input, filter: filter, bias: bias, geometry: g, relu: relu,
        parts: 1)
      let error = relativeError(actual, expected)
      #expect(error <= Self.tolerance, "trial \(trial) \(g): relative error \(error)")
      if !kernels.fusesMultiplyAdds {
        #expect(actual == expected, "trial \(trial) \(g): not bit-identical")
      }
      for parts in [2, 3] {
        let split = fastConv2D(
          kernels: kernels, input: input, filter: filter, bias: bias, geometry: g, relu: relu,
          parts: parts)
        #expect(split == actual, "trial \(trial) \(g) in \(parts) parts")
      }
    }
  }

  @Test(
    "1×1 CONV_2D split into row or channel bands equals the whole call",
    arguments: PoseInstructionSet.supported)
  func pointwiseSplitProperty(instructionSet: PoseInstructionSet) {
    let kernels = instructionSet.kernels
    var random = SplitMix64(seed: 13)
    for trial in 0..<120 {
      let pixels = random.int(1...90)
      let g = WindowGeometry(
        inputHeight: 1, inputWidth: pixels, inputChannels: random.int(1...48), outputHeight: 1,
        outputWidth: pixels, outputChannels: random.int(1...70), kernelHeight: 1, kernelWidth: 1,
        strideHeight: 1, strideWidth: 1, padTop: 0, padLeft: 0)
      let k = g.inputChannels
      let input = random.data(count: pixels * k, in: -1...1)
      let filter = random.data(count: g.outputChannels * k, in: -1...1)
      let bias = random.data(count: g.outputChannels, in: -1...1)
      let relu = random.next() % 2 == 0
      let expected = reference(pixels * g.outputChannels) { out in
        ReferenceKernels.conv2D(
          input: input.buffer, filter: filter.buffer, bias: bias.buffer, output: out, geometry: g,
          activation: relu ? .relu6 : .none)
      }
      let whole = fastConv2D(
        kernels: kernels,
        input: input, filter: filter, bias: bias, geometry: g, relu: relu, parts: 1)
      let error = relativeError(whole, expected)
      #expect(error <= Self.tolerance, "trial \(trial) \(g): relative error \(error)")
      if !kernels.fusesMultiplyAdds {
        #expect(whole == expected, "trial \(trial) \(g): not bit-identical")
      }
      for parts in [2, 3, 4] {
        let split = fastConv2D(
          kernels: kernels,
          input: input, filter: filter, bias: bias, geometry: g, relu: relu, parts: parts)
        #expect(split == whole, "trial \(trial) \(g) in \(parts) parts")
      }
    }
  }

  @Test(
    "DEPTHWISE_CONV_2D: random shapes, kernels, strides and padding",
    arguments: PoseInstructionSet.supported)
  func depthwiseProperty(instructionSet: PoseInstructionSet) {
    let kernels = instructionSet.kernels
    var random = SplitMix64(seed: 11)
    for trial in 0..<200 {
      let g = random.geometry(depthwise: true)
      let c = g.inputChannels
      let input = random.data(count: g.inputHeight * g.inputWidth * c, in: -1...1)
      let filter = random.data(count: g.kernelHeight * g.kernelWidth * c, in: -1...1)
      let bias = random.data(count: c, in: -1...1)
      let relu = random.next() % 2 == 0
      let count = g.outputHeight * g.outputWidth * c
      let expected = reference(count) { out in
        ReferenceKernels.depthwiseConv2D(
          input: input.buffer, filter: filter.buffer, bias: bias.buffer, output: out, geometry: g,
          activation: relu ? .relu6 : .none)
      }
      let actual = fast(count) { out in
        kernels.depthwiseConv2D(
          input: input.pointer, filter: filter.pointer, bias: bias.pointer, output: out,
          geometry: g, relu6: relu)
      }
      let error = relativeError(actual, expected)
      #expect(error <= Self.tolerance, "trial \(trial) \(g): relative error \(error)")
      // Unfused multiply-adds in the reference order in every build: bit-identical.
      #expect(actual == expected, "trial \(trial) \(g): not bit-identical")
      // Split into row bands as a thread team splits it.
      for parts in [2, 3, 5] {
        let split = fast(count) { out in
          for part in 0..<parts {
            kernels.depthwiseConv2D(
              input: input.pointer, filter: filter.pointer, bias: bias.pointer, output: out,
              geometry: g, relu6: relu, part: part, parts: parts)
          }
        }
        #expect(split == actual, "trial \(trial) \(g) in \(parts) parts")
      }
    }
  }

  @Test(
    "DEPTHWISE_CONV_2D 3×3 and 5×5 stride 1 (sliding rows): channels past the last 16, wide rows",
    arguments: PoseInstructionSet.supported)
  func slidingDepthwiseChannelsProperty(instructionSet: PoseInstructionSet) {
    let kernels = instructionSet.kernels
    var random = SplitMix64(seed: 18)
    for trial in 0..<120 {
      let kernel = random.int(0...1) == 0 ? 3 : 5
      let same = random.int(0...3) != 0
      // 8 to 15 channels past the last 16 (8 lanes, then pixel by pixel), or fewer.
      let channels = [8, 9, 15, 24, 25, 31, 40, 7, 56, 23][random.int(0...9)]
      let inputWidth = random.int(kernel...40)
      let inputHeight = random.int(kernel...7)
      let (outputHeight, padTop) = WindowGeometry.outputSize(
        input: inputHeight, kernel: kernel, stride: 1, same: same)
      let (outputWidth, padLeft) = WindowGeometry.outputSize(
        input: inputWidth, kernel: kernel, stride: 1, same: same)
      let g = WindowGeometry(
        inputHeight: inputHeight, inputWidth: inputWidth, inputChannels: channels,
        outputHeight: outputHeight, outputWidth: outputWidth, outputChannels: channels,
        kernelHeight: kernel, kernelWidth: kernel, strideHeight: 1, strideWidth: 1,
        padTop: padTop, padLeft: padLeft)
      let input = random.data(count: inputHeight * inputWidth * channels, in: -1...1)
      let filter = random.data(count: kernel * kernel * channels, in: -1...1)
      let bias = random.data(count: channels, in: -1...1)
      let relu = random.next() % 2 == 0
      let count = outputHeight * outputWidth * channels
      let expected = reference(count) { out in
        ReferenceKernels.depthwiseConv2D(
          input: input.buffer, filter: filter.buffer, bias: bias.buffer, output: out, geometry: g,
          activation: relu ? .relu6 : .none)
      }
      let actual = fast(count) { out in
        kernels.depthwiseConv2D(
          input: input.pointer, filter: filter.pointer, bias: bias.pointer, output: out,
          geometry: g, relu6: relu)
      }
      #expect(actual == expected, "trial \(trial) \(g): not bit-identical")
    }
  }

  @Test("MAX_POOL_2D and ADD: random shapes", arguments: PoseInstructionSet.supported)
  func poolAndAddProperty(instructionSet: PoseInstructionSet) {
    let kernels = instructionSet.kernels
    var random = SplitMix64(seed: 12)
    for trial in 0..<100 {
      let g = random.geometry(depthwise: true)
      let relu = random.next() % 2 == 0
      let input = random.data(
        count: g.inputHeight * g.inputWidth * g.inputChannels, in: -8...8)
      let count = g.outputHeight * g.outputWidth * g.inputChannels
      let expected = reference(count) { out in
        ReferenceKernels.maxPool2D(
          input: input.buffer, output: out, geometry: g, activation: relu ? .relu6 : .none)
      }
      let actual = fast(count) { out in
        kernels.maxPool2D(input: input.pointer, output: out, geometry: g, relu6: relu)
      }
      #expect(actual == expected, "max pool trial \(trial) \(g)")

      let size = Int(random.next() % 200) + 1
      let a = random.data(count: size, in: -8...8)
      let b = random.data(count: size, in: -8...8)
      let sum = reference(size) { out in
        ReferenceKernels.add(a.buffer, b.buffer, output: out, activation: relu ? .relu6 : .none)
      }
      let fastSum = fast(size) { out in
        kernels.add(a.pointer, b.pointer, output: out, count: size, relu6: relu)
      }
      #expect(fastSum == sum, "add trial \(trial) size \(size)")
    }
  }

  @Test(
    "PAD, RESIZE_BILINEAR and DEPTH_TO_SPACE: random shapes",
    arguments: PoseInstructionSet.supported)
  func dataMovementProperty(instructionSet: PoseInstructionSet) {
    let kernels = instructionSet.kernels
    var random = SplitMix64(seed: 13)
    for trial in 0..<100 {
      let shape = [1, random.int(1...9), random.int(1...9), random.int(1...20)]
      let before = [0, random.int(0...2), random.int(0...2), random.int(0...3)]
      let after = [0, random.int(0...2), random.int(0...2), random.int(0...3)]
      let outputShape = (0..<4).map { shape[$0] + before[$0] + after[$0] }
      let input = random.data(count: shape.reduce(1, *), in: -1...1)
      let padded = reference(outputShape.reduce(1, *)) { out in
        ReferenceKernels.pad(
          input: input.buffer, inputShape: shape, before: before, output: out,
          outputShape: outputShape)
      }
      let padShape = PadShape(
        input: (shape[0], shape[1], shape[2], shape[3]),
        before: (before[0], before[1], before[2], before[3]),
        output: (outputShape[0], outputShape[1], outputShape[2], outputShape[3]))
      let fastPadded = fast(padded.count) { out in
        kernels.pad(input: input.pointer, inputShape: padShape, output: out)
      }
      #expect(fastPadded == padded, "pad trial \(trial) \(shape) \(before) \(after)")

      let (outputHeight, outputWidth) = (random.int(1...20), random.int(1...20))
      let resized = reference(outputHeight * outputWidth * shape[3]) { out in
        ReferenceKernels.resizeBilinearHalfPixel(
          input: input.buffer, inputHeight: shape[1], inputWidth: shape[2], channels: shape[3],
          output: out, outputHeight: outputHeight, outputWidth: outputWidth)
      }
      let fastResized = fast(resized.count) { out in
        kernels.resizeBilinearHalfPixel(
          input: input.pointer, inputHeight: shape[1], inputWidth: shape[2], channels: shape[3],
          output: out, outputHeight: outputHeight, outputWidth: outputWidth)
      }
      let error = relativeError(fastResized, resized)
      #expect(error <= Self.tolerance, "resize trial \(trial): relative error \(error)")

      let block = random.int(1...3)
      let channels = block * block * random.int(1...6)
      let (height, width) = (random.int(1...6), random.int(1...6))
      let source = random.data(count: height * width * channels, in: -1...1)
      let moved = reference(source.count) { out in
        ReferenceKernels.depthToSpace(
          input: source.buffer, inputHeight: height, inputWidth: width, inputChannels: channels,
          block: block, output: out)
      }
      let fastMoved = fast(source.count) { out in
        kernels.depthToSpace(
          input: source.pointer, inputHeight: height, inputWidth: width,
          inputChannels: channels, block: block, output: out)
      }
      #expect(fastMoved == moved, "depth to space trial \(trial)")
    }
  }

  @Test(
    "PAD of the channels alone (the residual connections' kind): random shapes",
    arguments: PoseInstructionSet.supported)
  func channelPadProperty(instructionSet: PoseInstructionSet) {
    let kernels = instructionSet.kernels
    var random = SplitMix64(seed: 17)
    for trial in 0..<100 {
      let shape = [1, random.int(1...7), random.int(1...7), random.int(1...40)]
      let before = [0, 0, 0, random.int(0...9)]
      let after = [0, 0, 0, random.int(0...40)]
      let outputShape = (0..<4).map { shape[$0] + before[$0] + after[$0] }
      let input = random.data(count: shape.reduce(1, *), in: -1...1)
      let padded = reference(outputShape.reduce(1, *)) { out in
        ReferenceKernels.pad(
          input: input.buffer, inputShape: shape, before: before, output: out,
          outputShape: outputShape)
      }
      let padShape = PadShape(
        input: (shape[0], shape[1], shape[2], shape[3]),
        before: (before[0], before[1], before[2], before[3]),
        output: (outputShape[0], outputShape[1], outputShape[2], outputShape[3]))
      // The output starts as NaN (`fast`), so a value left unwritten fails the comparison.
      let fastPadded = fast(padded.count) { out in
        kernels.pad(input: input.pointer, inputShape: padShape, output: out)
      }
      #expect(fastPadded == padded, "channel pad trial \(trial) \(shape) \(before) \(after)")
    }
  }

  @Test("the landmark model without its segmentation branch skips 20 operators, same outputs")
  func segmentationBranchSkipped() throws {
    let interpreter = try PoseTestResources.interpreter(.landmarks)
    let full = try TFLiteExecutor(interpreter)
    let skipping = try TFLiteExecutor.withoutSegmentation(interpreter)
    #expect(full.runningOperatorCount - skipping.runningOperatorCount == 20)
    #expect(skipping.arenaFloats < full.arenaFloats)
    var random = SplitMix64(seed: 14)
    let input = random.floats(count: interpreter.inputShape.reduce(1, *), in: 0...1)
    let all = try full.run(input)
    let some = try skipping.run(input)
    for position in 0..<full.outputCount {
      let name = interpreter.model.tensors[interpreter.outputTensors[position]].name
      if name == "Identity_2" {
        #expect(!skipping.computes(output: position))
        #expect(some[position].values.isEmpty)
      } else {
        #expect(some[position] == all[position], "\(name)")
      }
    }
  }

  @Test("buffers are shared: the arena is smaller than all activations together")
  func arenaReusesBuffers() throws {
    for model in [PoseModelFiles.Model.detector, .landmarks] {
      let interpreter = try PoseTestResources.interpreter(model)
      let executor = try TFLiteExecutor(interpreter)
      let activations = interpreter.steps.reduce(0) { $0 + $1.outputCount }
      #expect(executor.arenaFloats * 4 < activations, "\(model): \(executor.arenaFloats)")
    }
  }

  @Test("running twice gives the same outputs (no state leaks between inferences)")
  func repeatable() throws {
    let interpreter = try PoseTestResources.interpreter(.detector)
    let executor = try TFLiteExecutor(interpreter)
    var random = SplitMix64(seed: 15)
    let first = random.floats(count: interpreter.inputShape.reduce(1, *), in: -1...1)
    let second = random.floats(count: first.count, in: -1...1)
    let a = try executor.run(first)
    _ = try executor.run(second)
    #expect(try executor.run(first) == a)
  }

  @Test("constant subgraphs are folded at load: a constant model input folds every operator")
  func constantFolding() throws {
    let interpreter = try PoseTestResources.interpreter(.detector)
    var random = SplitMix64(seed: 16)
    let input = random.floats(count: interpreter.inputShape.reduce(1, *), in: -1...1)
    let executor = try TFLiteExecutor(
      interpreter, steps: interpreter.steps, fed: [], outputTensors: interpreter.outputTensors,
      requested: Set(interpreter.outputTensors), extraConstants: [interpreter.inputTensor: input])
    #expect(executor.runningOperatorCount == 0)
    #expect(executor.foldedOperatorCount == interpreter.computeOperatorCount)
    executor.execute()
    let expected = try interpreter.run(input)
    for position in 0..<executor.outputCount {
      #expect(executor.withOutput(position) { Array($0) } == expected[position].values)
    }
  }

  @Test("a wrongly sized input is an error")
  func wrongInputSize() throws {
    let executor = try TFLiteExecutor(try PoseTestResources.interpreter(.detector))
    #expect(throws: TFLiteModelError.self) { try executor.run([Float](repeating: 0, count: 3)) }
  }
}

/// Runs a reference kernel into a fresh array of `count` values.
private func reference(_ count: Int, _ body: (UnsafeMutableBufferPointer<Float>) -> Void)
  -> [Float]
{
  [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
    buffer.initialize(repeating: .nan)
    body(buffer)
    initialized = count
  }
}

/// `PoseKernelSet.conv2D` of `kernels` with freshly packed weights, split into `parts` parts run one after
/// another (each with its own im2col scratch), as a thread team splits it; 1 part is the
/// whole call.
private func fastConv2D(
  kernels: any PoseKernelSet.Type, input: Floats, filter: Floats, bias: Floats,
  geometry g: WindowGeometry, relu: Bool, parts: Int
) -> [Float] {
  let k = g.kernelHeight * g.kernelWidth * g.inputChannels
  var packedWeights = [Float](
    repeating: 0, count: PackedGEMMWeights.weightCount(k: k, n: g.outputChannels))
  var packedBias = [Float](
    repeating: 0, count: PackedGEMMWeights.weightCount(k: 1, n: g.outputChannels))
  let scratchStride = max(kernels.conv2DScratch(g), 1)
  var scratch = [Float](repeating: 0, count: scratchStride * parts)
  return fast(g.outputHeight * g.outputWidth * g.outputChannels) { out in
    packedWeights.withUnsafeMutableBufferPointer { w in
      packedBias.withUnsafeMutableBufferPointer { b in
        scratch.withUnsafeMutableBufferPointer { s in
          let packed = PackedGEMMWeights.pack(
            filter: filter.buffer, bias: bias.buffer, k: k, n: g.outputChannels,
            weights: w.base, bias: b.base)
          for part in 0..<parts {
            kernels.conv2D(
              input: input.pointer, packed: packed, output: out, geometry: g, relu6: relu,
              scratch: s.base + part * scratchStride, part: part, parts: parts)
          }
        }
      }
    }
  }
}

/// Runs a fast kernel into a fresh array of `count` values.
private func fast(_ count: Int, _ body: (UnsafeMutablePointer<Float>) -> Void) -> [Float] {
  [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
    buffer.initialize(repeating: .nan)
    if let base = buffer.baseAddress { body(base) }
    initialized = count
  }
}

/// Test data in memory this object owns (stable pointers for the kernel calls).
private final class Floats {
  let buffer: UnsafeBufferPointer<Float>
  let pointer: UnsafePointer<Float>
  private let storage: UnsafeMutablePointer<Float>

  init(_ values: [Float]) {
    storage = .allocate(capacity: max(values.count, 1))
    storage.initialize(repeating: 0, count: max(values.count, 1))
    for (i, value) in values.enumerated() { storage[i] = value }
    pointer = UnsafePointer(storage)
    buffer = UnsafeBufferPointer(start: storage, count: values.count)
  }

  deinit { storage.deallocate() }

  var count: Int { buffer.count }
}

extension UnsafeMutableBufferPointer where Element == Float {
  /// The base address (the tests allocate arrays of at least one element).
  fileprivate var base: UnsafeMutablePointer<Float> {
    guard let address = baseAddress else { preconditionFailure("empty test buffer") }
    return address
  }
}

extension SplitMix64 {
  init(seed: UInt64) { self.init(state: seed) }

  mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

  mutating func floats(count: Int, in range: ClosedRange<Float>) -> [Float] {
    (0..<count).map { _ in Float.random(in: range, using: &self) }
  }

  fileprivate mutating func data(count: Int, in range: ClosedRange<Float>) -> Floats {
    Floats(floats(count: count, in: range))
  }

  /// A random window geometry (SAME or VALID padding, kernel 1…5, stride 1…2); for
  /// depthwise, output channels = input channels.
  mutating func geometry(depthwise: Bool) -> WindowGeometry {
    let kernelHeight = int(1...5)
    let kernelWidth = int(1...5)
    let strideHeight = int(1...2)
    let strideWidth = int(1...2)
    let same = next() % 2 == 0
    let inputHeight = int((same ? 1 : kernelHeight)...(kernelHeight + 12))
    let inputWidth = int((same ? 1 : kernelWidth)...(kernelWidth + 12))
    let inputChannels = int(1...(depthwise ? 80 : 40))
    let (outputHeight, padTop) = WindowGeometry.outputSize(
      input: inputHeight, kernel: kernelHeight, stride: strideHeight, same: same)
    let (outputWidth, padLeft) = WindowGeometry.outputSize(
      input: inputWidth, kernel: kernelWidth, stride: strideWidth, same: same)
    return WindowGeometry(
      inputHeight: inputHeight, inputWidth: inputWidth, inputChannels: inputChannels,
      outputHeight: outputHeight, outputWidth: outputWidth,
      outputChannels: depthwise ? inputChannels : int(1...40), kernelHeight: kernelHeight,
      kernelWidth: kernelWidth, strideHeight: strideHeight, strideWidth: strideWidth,
      padTop: padTop, padLeft: padLeft)
  }
}
