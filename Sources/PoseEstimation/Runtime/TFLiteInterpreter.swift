internal import PoseKernelTypes

/// Runs a `TFLiteModel` with the reference kernels, operators in file order.
///
/// Construction does all the checking: every operator must be one of the kinds and
/// option variants of ../shared/blazepose/spec.md §a.4, every tensor shape must agree
/// with what the operator computes, and every input must be written before it is read.
/// DENSIFY and DEQUANTIZE of constant weights run once here (float16 → float32), so
/// `run` only executes compute operators on buffers of checked sizes.
public struct TFLiteInterpreter: Sendable {
  /// One compute operator, with everything the kernel needs resolved.
  enum Step: Sendable {
    case conv2D(WindowGeometry, FusedActivation, input: Int, filter: Int, bias: Int)
    case depthwiseConv2D(WindowGeometry, FusedActivation, input: Int, filter: Int, bias: Int)
    case maxPool2D(WindowGeometry, FusedActivation, input: Int)
    case add(FusedActivation, Int, Int)
    case pad(input: Int, inputShape: [Int], before: [Int], outputShape: [Int])
    case resizeBilinear(
      input: Int, inputHeight: Int, inputWidth: Int, channels: Int, outputHeight: Int,
      outputWidth: Int)
    case depthToSpace(input: Int, height: Int, width: Int, channels: Int, block: Int)
    case reshape(input: Int)
    case concatenation(inputs: [Int], outer: Int, inner: [Int])
    case logistic(input: Int)
  }

  struct ScheduledStep: Sendable {
    var operatorIndex: Int
    var step: Step
    var output: Int
    var outputCount: Int
  }

  /// Largest number of elements accepted for one tensor (hostile shapes).
  static let maxElements = 1 << 26
  /// Largest total number of operator output elements accepted (1 GiB of float32).
  static let maxActivationElements = 1 << 28

  let model: TFLiteModel
  let steps: [ScheduledStep]
  /// Constant float32 values (including dequantized weights) by tensor index; empty for others.
  let constants: [[Float]]
  /// The model input tensor.
  public let inputTensor: Int
  /// The shape of the model input.
  public let inputShape: [Int]
  /// The model output tensors, in order.
  public let outputTensors: [Int]
  /// False when the weights were checked but not decoded (`init(model:decodingWeights:)`):
  /// then only a `TFLiteExecutor` fed from a `PackedWeightCache` can run the model.
  let decodesWeights: Bool
  /// The constant float tensors whose values were not decoded (empty when `decodesWeights`).
  let undecodedConstants: Set<Int>
  /// Time spent densifying and dequantizing the weights in `init`.
  let densifyTime: Duration
  let dequantizeTime: Duration

  /// Checks `model` and prepares its weights.
  public init(model: TFLiteModel) throws(TFLiteModelError) {
    try self.init(model: model, decodingWeights: true)
  }

  /// Checks `model`; with `decodingWeights` false its float weights are left undecoded (no
  /// densify, no dequantize), for an executor whose packed weights come from a cache.
  init(model: TFLiteModel, decodingWeights: Bool) throws(TFLiteModelError) {
    self.model = model
    var builder = try Builder(model: model, decodesWeights: decodingWeights)
    for (index, op) in model.operators.enumerated() {
      do {
        try builder.add(op, index: index)
      } catch {
        throw TFLiteModelError("operator \(index) (\(op.kind.name)): \(error.message)")
      }
    }
    for output in model.outputs
    where !builder.available.contains(output) || model.tensors[output].type != .float32 {
      throw TFLiteModelError("model output tensor \(output) is never written or not float32")
    }
    let activations = builder.steps.reduce(0) { $0 + $1.outputCount }
    guard activations <= Self.maxActivationElements else {
      throw TFLiteModelError(
        "the model needs \(activations) activation values (limit \(Self.maxActivationElements))")
    }
    steps = builder.steps
    constants = builder.constants
    decodesWeights = decodingWeights
    undecodedConstants = builder.undecodedConstants
    densifyTime = builder.densifyTime
    dequantizeTime = builder.dequantizeTime
    inputTensor = builder.inputTensor
    inputShape = model.tensors[builder.inputTensor].shape
    outputTensors = model.outputs
  }

  /// The number of compute operators `run` executes.
  public var computeOperatorCount: Int { steps.count }

  /// Runs the model on `input` (shape `inputShape`) and returns the model outputs in order.
  public func run(_ input: [Float]) throws(TFLiteModelError) -> [FloatTensor] {
    try requireWeights()
    var values = constants
    let expected = inputShape.reduce(1, *)
    guard input.count == expected else {
      throw TFLiteModelError(
        "input has \(input.count) values, the model needs \(expected) (\(inputShape))")
    }
    values[inputTensor] = input
    for step in steps {
      values[step.output] = execute(step, values)
    }
    return outputTensors.map { index in
      FloatTensor(uncheckedShape: model.tensors[index].shape, values: values[index])
    }
  }

  /// Runs operator `operatorIndex` alone on the given non-constant inputs (tensor index
  /// → values); returns its output. For single-operator tests.
  func runOperator(at operatorIndex: Int, inputs: [Int: [Float]]) throws(TFLiteModelError)
    -> [Float]
  {
    try requireWeights()
    guard let step = steps.first(where: { $0.operatorIndex == operatorIndex }) else {
      throw TFLiteModelError("operator \(operatorIndex) is not a compute operator")
    }
    var values = constants
    for (tensor, data) in inputs {
      guard tensor >= 0, tensor < values.count,
        data.count == model.tensors[tensor].shape.reduce(1, *)
      else {
        throw TFLiteModelError("input for tensor \(tensor) has the wrong size")
      }
      values[tensor] = data
    }
    for tensor in model.operators[operatorIndex].inputs
    where tensor >= 0 && model.tensors[tensor].type == .float32 {
      guard values[tensor].count == model.tensors[tensor].shape.reduce(1, *) else {
        throw TFLiteModelError("input tensor \(tensor) of operator \(operatorIndex) was not given")
      }
    }
    return execute(step, values)
  }

  /// Throws when the weights were not decoded (the reference kernels need them).
  func requireWeights() throws(TFLiteModelError) {
    guard decodesWeights else {
      throw TFLiteModelError("the model was loaded without decoding its weights")
    }
  }

  /// The constant float values of tensor `index` after DENSIFY/DEQUANTIZE (nil if none).
  func constantValues(of index: Int) -> [Float]? {
    guard index >= 0, index < constants.count, !constants[index].isEmpty else { return nil }
    return constants[index]
  }

  /// Runs one step with the reference kernels on full-model `values` (tensor index → values).
  func execute(_ scheduled: ScheduledStep, _ values: [[Float]]) -> [Float] {
    [Float](unsafeUninitializedCapacity: scheduled.outputCount) { output, initialized in
      switch scheduled.step {
      case .conv2D(let geometry, let activation, let input, let filter, let bias):
        values[input].withUnsafeBufferPointer { x in
          values[filter].withUnsafeBufferPointer { w in
            values[bias].withUnsafeBufferPointer { b in
              ReferenceKernels.conv2D(
                input: x, filter: w, bias: b, output: output, geometry: geometry,
                activation: activation)
            }
          }
        }
      case .depthwiseConv2D(let geometry, let activation, let input, let filter, let bias):
        values[input].withUnsafeBufferPointer { x in
          values[filter].withUnsafeBufferPointer { w in
            values[bias].withUnsafeBufferPointer { b in
              ReferenceKernels.depthwiseConv2D(
                input: x, filter: w, bias: b, output: output, geometry: geometry,
                activation: activation)
            }
          }
        }
      case .maxPool2D(let geometry, let activation, let input):
        values[input].withUnsafeBufferPointer { x in
          ReferenceKernels.maxPool2D(
            input: x, output: output, geometry: geometry, activation: activation)
        }
      case .add(let activation, let a, let b):
        values[a].withUnsafeBufferPointer { x in
          values[b].withUnsafeBufferPointer { y in
            ReferenceKernels.add(x, y, output: output, activation: activation)
          }
        }
      case .pad(let input, let inputShape, let before, let outputShape):
        values[input].withUnsafeBufferPointer { x in
          ReferenceKernels.pad(
            input: x, inputShape: inputShape, before: before, output: output,
            outputShape: outputShape)
        }
      case .resizeBilinear(
        let input, let inputHeight, let inputWidth, let channels, let outputHeight, let outputWidth):
        values[input].withUnsafeBufferPointer { x in
          ReferenceKernels.resizeBilinearHalfPixel(
            input: x, inputHeight: inputHeight, inputWidth: inputWidth, channels: channels,
            output: output,
            outputHeight: outputHeight, outputWidth: outputWidth)
        }
      case .depthToSpace(let input, let height, let width, let channels, let block):
        values[input].withUnsafeBufferPointer { x in
          ReferenceKernels.depthToSpace(
            input: x, inputHeight: height, inputWidth: width, inputChannels: channels, block: block,
            output: output)
        }
      case .reshape(let input):
        values[input].withUnsafeBufferPointer { x in
          for i in 0..<output.count { output[i] = x[i] }
        }
      case .concatenation(let inputs, let outer, let inner):
        ReferenceKernels.concatenate(
          inputs.map { values[$0] }, outer: outer, inner: inner, output: output)
      case .logistic(let input):
        values[input].withUnsafeBufferPointer { x in
          ReferenceKernels.logistic(input: x, output: output)
        }
      }
      initialized = scheduled.outputCount
    }
  }
}

extension FloatTensor {
  init(uncheckedShape shape: [Int], values: [Float]) {
    self.shape = shape
    self.values = values
  }
}
