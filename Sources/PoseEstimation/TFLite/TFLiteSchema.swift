// The parts of tflite:schema/schema.fbs that the BlazePose models use
// (../shared/blazepose/spec.md §a.2). Field ids are the declaration order in schema.fbs.

/// Element type of a tensor (`TensorType`; only these three occur).
enum TFLiteTensorType: Int8, Sendable {
  case float32 = 0
  case float16 = 1
  case int32 = 2

  var byteSize: Int {
    switch self {
    case .float32, .int32: 4
    case .float16: 2
    }
  }
}

/// The builtin operators the runtime implements (`BuiltinOperator` codes).
enum TFLiteOperatorKind: Int32, Sendable, CaseIterable {
  case add = 0
  case concatenation = 2
  case conv2D = 3
  case depthwiseConv2D = 4
  case depthToSpace = 5
  case dequantize = 6
  case logistic = 14
  case maxPool2D = 17
  case reshape = 22
  case resizeBilinear = 23
  case pad = 34
  case densify = 124

  var name: String {
    switch self {
    case .add: "ADD"
    case .concatenation: "CONCATENATION"
    case .conv2D: "CONV_2D"
    case .depthwiseConv2D: "DEPTHWISE_CONV_2D"
    case .depthToSpace: "DEPTH_TO_SPACE"
    case .dequantize: "DEQUANTIZE"
    case .logistic: "LOGISTIC"
    case .maxPool2D: "MAX_POOL_2D"
    case .reshape: "RESHAPE"
    case .resizeBilinear: "RESIZE_BILINEAR"
    case .pad: "PAD"
    case .densify: "DENSIFY"
    }
  }

  /// The `BuiltinOptions` union type this operator's options must have (0 = none).
  var optionsType: UInt8 {
    switch self {
    case .conv2D: 1
    case .depthwiseConv2D: 2
    case .maxPool2D: 5
    case .concatenation: 10
    case .add: 11
    case .resizeBilinear: 15
    case .reshape: 17
    case .pad: 22
    case .dequantize: 38
    case .depthToSpace: 94
    case .densify: 99
    case .logistic: 0
    }
  }
}

/// `Padding`.
enum TFLitePadding: Int8, Sendable {
  case same = 0
  case valid = 1
}

/// `ActivationFunctionType`: the kernels implement NONE and RELU6 (spec §a.4).
enum TFLiteActivation: Int8, Sendable {
  case none = 0
  case relu = 1
  case reluN1To1 = 2
  case relu6 = 3
  case tanh = 4
  case signBit = 5
}

/// Window options shared by CONV_2D, DEPTHWISE_CONV_2D and MAX_POOL_2D.
struct TFLiteWindowOptions: Sendable, Equatable {
  var padding: TFLitePadding
  var strideWidth: Int
  var strideHeight: Int
  var dilationWidth = 1
  var dilationHeight = 1
  var depthMultiplier = 1
  var filterWidth = 0
  var filterHeight = 0
  var activation: TFLiteActivation
}

/// Builtin options of one operator, parsed for the operators the runtime implements.
enum TFLiteOperatorOptions: Sendable, Equatable {
  case none
  case window(TFLiteWindowOptions)
  case concatenation(axis: Int, activation: TFLiteActivation)
  case add(activation: TFLiteActivation)
  case resizeBilinear(alignCorners: Bool, halfPixelCenters: Bool)
  case depthToSpace(blockSize: Int)
  case reshape(newShape: [Int]?)
}

/// One dimension of a sparse tensor's `SparsityParameters.dim_metadata`.
enum TFLiteDimensionMetadata: Sendable, Equatable {
  case dense(size: Int)
  case sparseCSR(segments: TFLiteIndexVector, indices: TFLiteIndexVector)
}

/// `SparsityParameters` of a tensor.
struct TFLiteSparsity: Sendable, Equatable {
  var traversalOrder: [Int]
  var blockMap: [Int]
  var dimensions: [TFLiteDimensionMetadata]
}

/// `Tensor`.
struct TFLiteTensor: Sendable {
  var name: String
  var shape: [Int]
  var type: TFLiteTensorType
  /// Index into `TFLiteModel.buffers`; 0 is the empty sentinel.
  var buffer: Int
  var sparsity: TFLiteSparsity?
}

/// `Operator`, with its code resolved to a kind.
struct TFLiteOperator: Sendable {
  var kind: TFLiteOperatorKind
  /// Tensor indices; -1 marks an absent optional input.
  var inputs: [Int]
  var outputs: [Int]
  var options: TFLiteOperatorOptions
}
