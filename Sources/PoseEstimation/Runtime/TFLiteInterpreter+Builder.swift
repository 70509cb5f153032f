internal import PoseKernelTypes

extension TFLiteInterpreter {
  /// Checks operators one by one in file order and turns them into steps; runs the
  /// constant DENSIFY/DEQUANTIZE operators on the way.
  struct Builder {
    let model: TFLiteModel
    var constants: [[Float]]
    /// Float16 constants produced by DENSIFY, waiting for their DEQUANTIZE.
    var halfConstants: [Int: [UInt16]] = [:]
    var int32Constants: [Int: [Int32]] = [:]
    /// Tensors holding float32 or int32 values at this point of the schedule.
    var available: Set<Int> = []
    var steps: [ScheduledStep] = []
    let inputTensor: Int
    /// False: the float constants are checked but not decoded, densified or dequantized
    /// (their values come packed from a `PackedWeightCache`); they are listed in
    /// `undecodedConstants` instead.
    let decodesWeights: Bool
    var undecodedConstants: Set<Int> = []
    /// Time spent densifying and dequantizing (load-stage measurements).
    var densifyTime: Duration = .zero
    var dequantizeTime: Duration = .zero

    init(model: TFLiteModel, decodesWeights: Bool = true) throws(TFLiteModelError) {
      self.model = model
      self.decodesWeights = decodesWeights
      guard model.inputs.count == 1 else {
        throw TFLiteModelError("expected 1 model input, found \(model.inputs.count)")
      }
      inputTensor = model.inputs[0]
      constants = Array(repeating: [], count: model.tensors.count)
      for (index, tensor) in model.tensors.enumerated() {
        let bytes = model.constantBytes(of: index)
        guard !bytes.isEmpty else { continue }
        if tensor.sparsity != nil {
          guard tensor.type == .float16 else {
            throw TFLiteModelError("tensor \(index): only float16 tensors may be sparse")
          }
          continue
        }
        let count = try Self.elementCount(tensor.shape, tensor: index)
        guard bytes.count == count * tensor.type.byteSize else {
          throw TFLiteModelError(
            "tensor \(index) has \(bytes.count) bytes of data, its shape \(tensor.shape) needs \(count * tensor.type.byteSize)"
          )
        }
        switch tensor.type {
        case .float32:
          if decodesWeights {
            constants[index] = Self.decodeUInt32s(bytes).map { Float(bitPattern: $0) }
          } else {
            undecodedConstants.insert(index)
          }
          available.insert(index)
        case .int32:
          int32Constants[index] = Self.decodeUInt32s(bytes).map { Int32(bitPattern: $0) }
          available.insert(index)
        case .float16:
          break  // becomes float32 through its DEQUANTIZE operator
        }
      }
      let input = model.tensors[inputTensor]
      guard input.type == .float32, model.constantBytes(of: inputTensor).isEmpty else {
        throw TFLiteModelError("the model input must be a non-constant float32 tensor")
      }
      _ = try Self.elementCount(input.shape, tensor: inputTensor)
      available.insert(inputTensor)
    }

    static func elementCount(_ shape: [Int], tensor: Int) throws(TFLiteModelError) -> Int {
      guard shape.count <= 6 else {
        throw TFLiteModelError("tensor \(tensor) has rank \(shape.count) (at most 6 supported)")
      }
      var count = 1
      for dimension in shape {
        guard dimension >= 1, dimension <= TFLiteInterpreter.maxElements else {
          throw TFLiteModelError("tensor \(tensor) has invalid shape \(shape)")
        }
        count *= dimension
        guard count <= TFLiteInterpreter.maxElements else {
          throw TFLiteModelError("tensor \(tensor) with shape \(shape) is too large")
        }
      }
      return count
    }

    static func decodeUInt32s(_ bytes: ArraySlice<UInt8>) -> [UInt32] {
      var result: [UInt32] = []
      result.reserveCapacity(bytes.count / 4)
      var i = bytes.startIndex
      while i + 4 <= bytes.endIndex {
        result.append(
          UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(
            bytes[i + 3]) << 24)
        i += 4
      }
      return result
    }

    static func decodeUInt16s(_ bytes: ArraySlice<UInt8>) -> [UInt16] {
      var result: [UInt16] = []
      result.reserveCapacity(bytes.count / 2)
      var i = bytes.startIndex
      while i + 2 <= bytes.endIndex {
        result.append(UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8)
        i += 2
      }
      return result
    }

    /// The shape of a float32 tensor that holds values at this point.
    private func floatInput(_ index: Int) throws(TFLiteModelError) -> [Int] {
      guard index >= 0 else { throw TFLiteModelError("a required input is absent") }
      let tensor = model.tensors[index]
      guard tensor.type == .float32 else {
        throw TFLiteModelError("input tensor \(index) is not float32")
      }
      guard available.contains(index) else {
        throw TFLiteModelError("input tensor \(index) is read before it is written")
      }
      _ = try Self.elementCount(tensor.shape, tensor: index)
      return tensor.shape
    }

    /// The values of a constant int32 tensor.
    private func int32Input(_ index: Int) throws(TFLiteModelError) -> [Int] {
      guard index >= 0, let values = int32Constants[index] else {
        throw TFLiteModelError("input tensor \(index) must be a constant int32 tensor")
      }
      return values.map { Int($0) }
    }

    private func activation(_ value: TFLiteActivation) throws(TFLiteModelError) -> FusedActivation {
      switch value {
      case .none: return .none
      case .relu6: return .relu6
      default:
        throw TFLiteModelError("fused activation \(value) is not supported (only NONE and RELU6)")
      }
    }

    private func expectInputs(_ op: TFLiteOperator, _ counts: ClosedRange<Int>)
      throws(TFLiteModelError)
    {
      guard counts.contains(op.inputs.count) else {
        throw TFLiteModelError(
          "has \(op.inputs.count) inputs, expected \(counts.lowerBound)...\(counts.upperBound)")
      }
    }

    private func expectShape(_ shape: [Int], _ expected: [Int], _ what: String)
      throws(TFLiteModelError)
    {
      guard shape == expected else {
        throw TFLiteModelError("\(what) has shape \(shape), expected \(expected)")
      }
    }

    mutating func add(_ op: TFLiteOperator, index operatorIndex: Int) throws(TFLiteModelError) {
      guard op.outputs.count == 1 else {
        throw TFLiteModelError("has \(op.outputs.count) outputs, expected 1")
      }
      let output = op.outputs[0]
      let outputTensor = model.tensors[output]
      guard !available.contains(output), halfConstants[output] == nil,
        model.constantBytes(of: output).isEmpty
      else {
        throw TFLiteModelError("output tensor \(output) is written twice or is a constant")
      }
      let outputCount = try Self.elementCount(outputTensor.shape, tensor: output)
      switch op.kind {
      case .densify:
        try densify(op, output: output)
        return
      case .dequantize:
        try dequantize(op, output: output, count: outputCount)
        return
      default:
        break
      }
      guard outputTensor.type == .float32 else {
        throw TFLiteModelError("output tensor \(output) is not float32")
      }
      let step = try computeStep(op, outputShape: outputTensor.shape)
      steps.append(
        ScheduledStep(
          operatorIndex: operatorIndex, step: step, output: output, outputCount: outputCount))
      available.insert(output)
    }

    private mutating func densify(_ op: TFLiteOperator, output: Int) throws(TFLiteModelError) {
      try expectInputs(op, 1...1)
      let input = op.inputs[0]
      guard input >= 0, let sparsity = model.tensors[input].sparsity,
        model.tensors[input].type == .float16
      else {
        throw TFLiteModelError("input must be a constant sparse float16 tensor")
      }
      let shape = model.tensors[input].shape
      _ = try Self.elementCount(shape, tensor: input)
      guard model.tensors[output].type == .float16, model.tensors[output].shape == shape else {
        throw TFLiteModelError("output must be float16 with the input's shape \(shape)")
      }
      let bytes = model.constantBytes(of: input)
      guard bytes.count % 2 == 0 else {
        throw TFLiteModelError("sparse float16 data has an odd byte count")
      }
      guard decodesWeights else {
        halfConstants[output] = []  // densified when the weights are decoded
        return
      }
      let start = ContinuousClock.now
      let densifier = SparseTensorDensifier(shape: shape, sparsity: sparsity)
      halfConstants[output] = try densifier.densify(Self.decodeUInt16s(bytes))
      densifyTime += ContinuousClock.now - start
    }

    private mutating func dequantize(_ op: TFLiteOperator, output: Int, count: Int)
      throws(TFLiteModelError)
    {
      try expectInputs(op, 1...1)
      let input = op.inputs[0]
      guard input >= 0, model.tensors[input].type == .float16 else {
        throw TFLiteModelError("input must be a float16 tensor")
      }
      guard decodesWeights else {
        try checkUndecodedDequantize(input: input, output: output, count: count)
        return
      }
      let start = ContinuousClock.now
      defer { dequantizeTime += ContinuousClock.now - start }
      let halves: [UInt16]
      if let dense = halfConstants[input] {
        halves = dense
      } else if model.tensors[input].sparsity == nil, !model.constantBytes(of: input).isEmpty {
        halves = Self.decodeUInt16s(model.constantBytes(of: input))
      } else {
        throw TFLiteModelError("only constant float16 tensors can be dequantized (at load time)")
      }
      guard model.tensors[output].type == .float32,
        model.tensors[output].shape == model.tensors[input].shape,
        halves.count == count
      else {
        throw TFLiteModelError("output must be float32 with the input's shape")
      }
      constants[output] = halves.map { Float(Float16(bitPattern: $0)) }
      available.insert(output)
    }

    /// The checks of `dequantize` that need no weight values.
    private mutating func checkUndecodedDequantize(input: Int, output: Int, count: Int)
      throws(TFLiteModelError)
    {
      let bytes = model.constantBytes(of: input)
      guard
        halfConstants[input] != nil
          || (model.tensors[input].sparsity == nil && bytes.count == count * 2)
      else {
        throw TFLiteModelError("only constant float16 tensors can be dequantized (at load time)")
      }
      guard model.tensors[output].type == .float32,
        model.tensors[output].shape == model.tensors[input].shape
      else {
        throw TFLiteModelError("output must be float32 with the input's shape")
      }
      undecodedConstants.insert(output)
      available.insert(output)
    }

    private func computeStep(_ op: TFLiteOperator, outputShape: [Int]) throws(TFLiteModelError)
      -> Step
    {
      switch op.kind {
      case .conv2D, .depthwiseConv2D:
        return try convolution(op, outputShape: outputShape)
      case .maxPool2D:
        try expectInputs(op, 1...1)
        guard case .window(let options) = op.options else {
          throw TFLiteModelError("missing pool options")
        }
        let shape = try floatInput(op.inputs[0])
        guard shape.count == 4, shape[0] == 1 else {
          throw TFLiteModelError("input must be [1, H, W, C]")
        }
        guard options.padding == .valid else {
          throw TFLiteModelError("only VALID padding is supported")
        }
        let geometry = try window(
          input: shape, kernelHeight: options.filterHeight, kernelWidth: options.filterWidth,
          options: options,
          outputChannels: shape[3])
        try expectShape(
          outputShape, [1, geometry.outputHeight, geometry.outputWidth, shape[3]], "output")
        return .maxPool2D(geometry, try activation(options.activation), input: op.inputs[0])
      case .add:
        try expectInputs(op, 2...2)
        guard case .add(let fused) = op.options else {
          throw TFLiteModelError("missing ADD options")
        }
        let a = try floatInput(op.inputs[0])
        let b = try floatInput(op.inputs[1])
        guard a == b else {
          throw TFLiteModelError("inputs \(a) and \(b) differ (broadcasting is not supported)")
        }
        try expectShape(outputShape, a, "output")
        return .add(try activation(fused), op.inputs[0], op.inputs[1])
      case .pad:
        try expectInputs(op, 2...2)
        let shape = try floatInput(op.inputs[0])
        let paddings = try int32Input(op.inputs[1])
        guard shape.count == 4, paddings.count == 8, model.tensors[op.inputs[1]].shape == [4, 2],
          paddings.allSatisfy({ $0 >= 0 && $0 <= 1 << 16 })
        else {
          throw TFLiteModelError("needs a 4-D input and non-negative [4, 2] paddings")
        }
        let before = (0..<4).map { paddings[2 * $0] }
        var expected: [Int] = []
        for d in 0..<4 {
          let after = paddings[2 * d + 1]
          expected.append(shape[d] + before[d] + after)
        }
        try expectShape(outputShape, expected, "output")
        return .pad(
          input: op.inputs[0], inputShape: shape, before: before, outputShape: outputShape)
      case .resizeBilinear:
        try expectInputs(op, 2...2)
        guard case .resizeBilinear(let alignCorners, let halfPixelCenters) = op.options,
          !alignCorners, halfPixelCenters
        else {
          throw TFLiteModelError(
            "only align_corners = false with half_pixel_centers = true is supported")
        }
        let shape = try floatInput(op.inputs[0])
        let size = try int32Input(op.inputs[1])
        guard shape.count == 4, shape[0] == 1, size.count == 2 else {
          throw TFLiteModelError("needs a [1, H, W, C] input and a 2-element size")
        }
        try expectShape(outputShape, [1, size[0], size[1], shape[3]], "output")
        return .resizeBilinear(
          input: op.inputs[0], inputHeight: shape[1], inputWidth: shape[2], channels: shape[3],
          outputHeight: size[0], outputWidth: size[1])
      case .depthToSpace:
        try expectInputs(op, 1...1)
        guard case .depthToSpace(let block) = op.options, block >= 1, block <= 64 else {
          throw TFLiteModelError("invalid block size")
        }
        let shape = try floatInput(op.inputs[0])
        guard shape.count == 4, shape[0] == 1, shape[3] % (block * block) == 0 else {
          throw TFLiteModelError("input \(shape) does not fit block size \(block)")
        }
        try expectShape(
          outputShape, [1, shape[1] * block, shape[2] * block, shape[3] / (block * block)], "output"
        )
        return .depthToSpace(
          input: op.inputs[0], height: shape[1], width: shape[2], channels: shape[3], block: block)
      case .reshape:
        try expectInputs(op, 1...2)
        let shape = try floatInput(op.inputs[0])
        guard shape.reduce(1, *) == outputShape.reduce(1, *) else {
          throw TFLiteModelError("cannot reshape \(shape) to \(outputShape)")
        }
        if op.inputs.count == 2, op.inputs[1] >= 0 {
          let requested = try int32Input(op.inputs[1])
          try checkReshape(requested, count: shape.reduce(1, *), outputShape: outputShape)
        } else if case .reshape(let newShape?) = op.options {
          try checkReshape(newShape, count: shape.reduce(1, *), outputShape: outputShape)
        }
        return .reshape(input: op.inputs[0])
      case .concatenation:
        guard op.inputs.count >= 1 else { throw TFLiteModelError("has no inputs") }
        guard case .concatenation(let rawAxis, let fused) = op.options, fused == .none else {
          throw TFLiteModelError("only CONCATENATION without fused activation is supported")
        }
        let rank = outputShape.count
        let axis = rawAxis < 0 ? rawAxis + rank : rawAxis
        guard axis >= 0, axis < rank else {
          throw TFLiteModelError("axis \(rawAxis) is out of range")
        }
        var inner: [Int] = []
        var total = 0
        for input in op.inputs {
          let shape = try floatInput(input)
          guard shape.count == rank,
            (0..<rank).allSatisfy({ $0 == axis || shape[$0] == outputShape[$0] })
          else {
            throw TFLiteModelError(
              "input \(shape) does not fit output \(outputShape) on axis \(axis)")
          }
          total += shape[axis]
          inner.append(shape[axis...].reduce(1, *))
        }
        guard total == outputShape[axis] else {
          throw TFLiteModelError(
            "inputs add up to \(total) on axis \(axis), output has \(outputShape[axis])")
        }
        return .concatenation(
          inputs: op.inputs, outer: outputShape[..<axis].reduce(1, *), inner: inner)
      case .logistic:
        try expectInputs(op, 1...1)
        try expectShape(outputShape, try floatInput(op.inputs[0]), "output")
        return .logistic(input: op.inputs[0])
      case .densify, .dequantize:
        throw TFLiteModelError("is not a compute operator")
      }
    }

    /// The product of `dimensions`, or nil when it does not fit in an `Int` (a crafted model's
    /// shape must give an error, never an overflow trap).
    static func checkedProduct(_ dimensions: [Int]) -> Int? {
      var product = 1
      for dimension in dimensions {
        let (next, overflow) = product.multipliedReportingOverflow(by: dimension)
        guard !overflow else { return nil }
        product = next
      }
      return product
    }

    private func checkReshape(_ requested: [Int], count: Int, outputShape: [Int])
      throws(TFLiteModelError)
    {
      var resolved = requested
      let known = requested.filter { $0 != -1 }
      guard known.allSatisfy({ $0 >= 1 }), requested.count - known.count <= 1 else {
        throw TFLiteModelError("invalid new shape \(requested)")
      }
      guard let product = Self.checkedProduct(known) else {
        throw TFLiteModelError("new shape \(requested) has too many elements")
      }
      if let wildcard = requested.firstIndex(of: -1) {
        guard product > 0, count % product == 0 else {
          throw TFLiteModelError("invalid new shape \(requested)")
        }
        resolved[wildcard] = count / product
      }
      try expectShape(outputShape, resolved, "output")
    }

    private func window(
      input: [Int], kernelHeight: Int, kernelWidth: Int, options: TFLiteWindowOptions,
      outputChannels: Int
    ) throws(TFLiteModelError) -> WindowGeometry {
      guard options.strideHeight >= 1, options.strideWidth >= 1, options.strideHeight <= 64,
        options.strideWidth <= 64
      else {
        throw TFLiteModelError("invalid strides \(options.strideHeight)×\(options.strideWidth)")
      }
      guard options.dilationHeight == 1, options.dilationWidth == 1 else {
        throw TFLiteModelError("dilation other than 1 is not supported")
      }
      guard kernelHeight >= 1, kernelWidth >= 1, kernelHeight <= 64, kernelWidth <= 64 else {
        throw TFLiteModelError("invalid kernel size \(kernelHeight)×\(kernelWidth)")
      }
      let same = options.padding == .same
      let (outputHeight, padTop) = WindowGeometry.outputSize(
        input: input[1], kernel: kernelHeight, stride: options.strideHeight, same: same)
      let (outputWidth, padLeft) = WindowGeometry.outputSize(
        input: input[2], kernel: kernelWidth, stride: options.strideWidth, same: same)
      guard outputHeight >= 1, outputWidth >= 1 else {
        throw TFLiteModelError("the window does not fit the input \(input)")
      }
      return WindowGeometry(
        inputHeight: input[1], inputWidth: input[2], inputChannels: input[3],
        outputHeight: outputHeight,
        outputWidth: outputWidth, outputChannels: outputChannels, kernelHeight: kernelHeight,
        kernelWidth: kernelWidth,
        strideHeight: options.strideHeight, strideWidth: options.strideWidth, padTop: padTop,
        padLeft: padLeft)
    }

    private func convolution(_ op: TFLiteOperator, outputShape: [Int]) throws(TFLiteModelError)
      -> Step
    {
      try expectInputs(op, 3...3)
      guard case .window(let options) = op.options else {
        throw TFLiteModelError("missing options")
      }
      let input = try floatInput(op.inputs[0])
      let filter = try floatInput(op.inputs[1])
      let bias = try floatInput(op.inputs[2])
      guard input.count == 4, input[0] == 1, filter.count == 4 else {
        throw TFLiteModelError("needs a [1, H, W, C] input and a 4-D filter")
      }
      let fused = try activation(options.activation)
      if op.kind == .conv2D {
        guard filter[3] == input[3] else {
          throw TFLiteModelError("filter \(filter) does not match input channels \(input[3])")
        }
        try expectShape(bias, [filter[0]], "bias")
        let geometry = try window(
          input: input, kernelHeight: filter[1], kernelWidth: filter[2], options: options,
          outputChannels: filter[0])
        try expectShape(
          outputShape, [1, geometry.outputHeight, geometry.outputWidth, filter[0]], "output")
        return .conv2D(
          geometry, fused, input: op.inputs[0], filter: op.inputs[1], bias: op.inputs[2])
      }
      guard options.depthMultiplier == 1 else {
        throw TFLiteModelError(
          "depth multiplier \(options.depthMultiplier) is not supported (only 1)")
      }
      guard filter[0] == 1, filter[3] == input[3] else {
        throw TFLiteModelError("filter \(filter) does not match input channels \(input[3])")
      }
      try expectShape(bias, [input[3]], "bias")
      let geometry = try window(
        input: input, kernelHeight: filter[1], kernelWidth: filter[2], options: options,
        outputChannels: input[3])
      try expectShape(
        outputShape, [1, geometry.outputHeight, geometry.outputWidth, input[3]], "output")
      return .depthwiseConv2D(
        geometry, fused, input: op.inputs[0], filter: op.inputs[1], bias: op.inputs[2])
    }
  }
}
