/// A TFLite model file, parsed and checked (../shared/blazepose/spec.md §a).
///
/// Only what the BlazePose models need is read: one subgraph, its tensors, operators
/// (of the kinds in `TFLiteOperatorKind`) and constant buffers. Anything else that
/// matters for execution (another subgraph count, an unknown operator, external
/// buffers) is an error. Every offset and length is checked against the file.
public struct TFLiteModel: Sendable {
  /// The file's bytes; constant tensors are ranges into it.
  let bytes: [UInt8]
  /// `Model.version`.
  let version: UInt32
  let tensors: [TFLiteTensor]
  let operators: [TFLiteOperator]
  /// Byte range of each `Buffer.data` in `bytes` (empty for no data).
  let buffers: [Range<Int>]
  /// Subgraph input tensor indices.
  let inputs: [Int]
  /// Subgraph output tensor indices, in order.
  let outputs: [Int]

  /// Parses a model from the bytes of a `.tflite` file.
  public init(bytes: [UInt8]) throws(TFLiteModelError) {
    let buffer = FlatBuffer(bytes)
    guard bytes.count >= 8 else {
      throw TFLiteModelError("file is too short (\(bytes.count) bytes)")
    }
    guard bytes[4..<8].elementsEqual(Array("TFL3".utf8)) else {
      throw TFLiteModelError("file identifier is not TFL3")
    }
    let root = try buffer.table(at: try buffer.dereference(0))
    self.bytes = bytes
    version = try root.u32(0, default: 0)

    var codes: [TFLiteOperatorKind?] = []
    var rawCodes: [Int32] = []
    for code in try root.tables(1) {
      let deprecated = Int32(try code.i8(0, default: 0))
      let builtin = try code.i32(3, default: 0)
      let value = max(deprecated, builtin)  // tflite GetBuiltinCode
      rawCodes.append(value)
      codes.append(TFLiteOperatorKind(rawValue: value))
    }

    var buffers: [Range<Int>] = []
    for (index, table) in try root.tables(4).enumerated() {
      guard try table.u64(1, default: 0) == 0, try table.u64(2, default: 0) == 0 else {
        throw TFLiteModelError("buffer \(index) is stored outside the flatbuffer (not supported)")
      }
      if let (start, count) = try table.vectorRange(0, elementSize: 1) {
        buffers.append(start..<(start + count))
      } else {
        buffers.append(0..<0)
      }
    }
    self.buffers = buffers

    let subgraphs = try root.tables(2)
    guard subgraphs.count == 1 else {
      throw TFLiteModelError("expected exactly 1 subgraph, found \(subgraphs.count)")
    }
    let subgraph = subgraphs[0]

    var tensors: [TFLiteTensor] = []
    for (index, table) in try subgraph.tables(0).enumerated() {
      tensors.append(try Self.parseTensor(table, index: index, bufferCount: buffers.count))
    }
    self.tensors = tensors

    func tensorIndices(_ values: [Int32]?, _ what: String, allowAbsent: Bool)
      throws(TFLiteModelError) -> [Int]
    {
      var result: [Int] = []
      for value in values ?? [] {
        if value == -1 && allowAbsent {
          result.append(-1)
          continue
        }
        guard value >= 0, Int(value) < tensors.count else {
          throw TFLiteModelError(
            "\(what) refers to tensor \(value), but there are \(tensors.count)")
        }
        result.append(Int(value))
      }
      return result
    }
    inputs = try tensorIndices(try subgraph.int32s(1), "subgraph input", allowAbsent: false)
    outputs = try tensorIndices(try subgraph.int32s(2), "subgraph output", allowAbsent: false)

    var operators: [TFLiteOperator] = []
    for (index, table) in try subgraph.tables(3).enumerated() {
      let opcodeIndex = Int(try table.u32(0, default: 0))
      guard opcodeIndex < codes.count else {
        throw TFLiteModelError(
          "operator \(index) uses opcode \(opcodeIndex), but there are \(codes.count)")
      }
      guard let kind = codes[opcodeIndex] else {
        throw TFLiteModelError(
          "operator \(index) has unsupported builtin code \(rawCodes[opcodeIndex])")
      }
      let opInputs = try tensorIndices(
        try table.int32s(1), "operator \(index) input", allowAbsent: true)
      let opOutputs = try tensorIndices(
        try table.int32s(2), "operator \(index) output", allowAbsent: false)
      let optionsType = try table.u8(3, default: 0)
      let optionsTable = try table.table(4)
      let options: TFLiteOperatorOptions
      do {
        options = try Self.parseOptions(kind: kind, type: optionsType, table: optionsTable)
      } catch {
        throw TFLiteModelError("operator \(index) (\(kind.name)): \(error.message)")
      }
      operators.append(
        TFLiteOperator(kind: kind, inputs: opInputs, outputs: opOutputs, options: options))
    }
    self.operators = operators
  }

  private static func parseTensor(_ table: FlatBufferTable, index: Int, bufferCount: Int)
    throws(TFLiteModelError) -> TFLiteTensor
  {
    let rawType = try table.i8(1, default: 0)
    guard let type = TFLiteTensorType(rawValue: rawType) else {
      throw TFLiteModelError("tensor \(index) has unsupported type \(rawType)")
    }
    let bufferIndex = Int(try table.u32(2, default: 0))
    guard bufferIndex < max(bufferCount, 1) else {
      throw TFLiteModelError(
        "tensor \(index) refers to buffer \(bufferIndex), but there are \(bufferCount)")
    }
    let shape = (try table.int32s(0) ?? []).map { Int($0) }
    var sparsity: TFLiteSparsity?
    if let sparse = try table.table(6) {
      do {
        sparsity = try parseSparsity(sparse)
      } catch {
        throw TFLiteModelError("tensor \(index) sparsity: \(error.message)")
      }
    }
    return TFLiteTensor(
      name: try table.string(3) ?? "", shape: shape, type: type, buffer: bufferIndex,
      sparsity: sparsity)
  }

  private static func parseSparsity(_ table: FlatBufferTable) throws(TFLiteModelError)
    -> TFLiteSparsity
  {
    var dimensions: [TFLiteDimensionMetadata] = []
    for dimension in try table.tables(2) {
      switch try dimension.i8(0, default: 0) {
      case 0:
        dimensions.append(.dense(size: Int(try dimension.i32(1, default: 0))))
      case 1:
        let segments = try indexVector(
          type: try dimension.u8(2, default: 0), table: try dimension.table(3))
        let indices = try indexVector(
          type: try dimension.u8(4, default: 0), table: try dimension.table(5))
        dimensions.append(.sparseCSR(segments: segments, indices: indices))
      case let format:
        throw TFLiteModelError("unknown dimension format \(format)")
      }
    }
    return TFLiteSparsity(
      traversalOrder: (try table.int32s(0) ?? []).map { Int($0) },
      blockMap: (try table.int32s(1) ?? []).map { Int($0) },
      dimensions: dimensions)
  }

  /// A `SparseIndexVector` union value: Int32Vector=1, Uint16Vector=2, Uint8Vector=3; its
  /// range is checked here, its values are decoded when the tensor is densified.
  private static func indexVector(type: UInt8, table: FlatBufferTable?) throws(TFLiteModelError)
    -> TFLiteIndexVector
  {
    guard let table else { throw TFLiteModelError("sparse index vector is missing") }
    guard let width = TFLiteIndexVector.Width(rawValue: Int(type)) else {
      throw TFLiteModelError("unknown sparse index vector type \(type)")
    }
    let size: Int
    switch width {
    case .int32: size = 4
    case .uint16: size = 2
    case .uint8: size = 1
    }
    let (start, count) = try table.vectorRange(0, elementSize: size) ?? (0, 0)
    return TFLiteIndexVector(buffer: table.buffer, start: start, count: count, width: width)
  }

  private static func activation(_ raw: Int8) throws(TFLiteModelError) -> TFLiteActivation {
    guard let value = TFLiteActivation(rawValue: raw) else {
      throw TFLiteModelError("unknown activation function \(raw)")
    }
    return value
  }

  private static func padding(_ raw: Int8) throws(TFLiteModelError) -> TFLitePadding {
    guard let value = TFLitePadding(rawValue: raw) else {
      throw TFLiteModelError("unknown padding \(raw)")
    }
    return value
  }

  private static func parseOptions(kind: TFLiteOperatorKind, type: UInt8, table: FlatBufferTable?)
    throws(TFLiteModelError) -> TFLiteOperatorOptions
  {
    guard let table, type != 0 else {
      switch kind {
      case .conv2D, .depthwiseConv2D, .maxPool2D, .concatenation, .depthToSpace:
        throw TFLiteModelError("builtin options are missing")
      case .add:
        return .add(activation: .none)
      case .resizeBilinear:
        return .resizeBilinear(alignCorners: false, halfPixelCenters: false)
      case .reshape:
        return .reshape(newShape: nil)
      case .dequantize, .densify, .logistic, .pad:
        return .none
      }
    }
    guard type == kind.optionsType else {
      throw TFLiteModelError("builtin options of type \(type), expected \(kind.optionsType)")
    }
    switch kind {
    case .conv2D:
      return .window(
        TFLiteWindowOptions(
          padding: try padding(try table.i8(0, default: 0)),
          strideWidth: Int(try table.i32(1, default: 0)),
          strideHeight: Int(try table.i32(2, default: 0)),
          dilationWidth: Int(try table.i32(4, default: 1)),
          dilationHeight: Int(try table.i32(5, default: 1)),
          activation: try activation(try table.i8(3, default: 0))))
    case .depthwiseConv2D:
      return .window(
        TFLiteWindowOptions(
          padding: try padding(try table.i8(0, default: 0)),
          strideWidth: Int(try table.i32(1, default: 0)),
          strideHeight: Int(try table.i32(2, default: 0)),
          dilationWidth: Int(try table.i32(5, default: 1)),
          dilationHeight: Int(try table.i32(6, default: 1)),
          depthMultiplier: Int(try table.i32(3, default: 0)),
          activation: try activation(try table.i8(4, default: 0))))
    case .maxPool2D:
      return .window(
        TFLiteWindowOptions(
          padding: try padding(try table.i8(0, default: 0)),
          strideWidth: Int(try table.i32(1, default: 0)),
          strideHeight: Int(try table.i32(2, default: 0)),
          filterWidth: Int(try table.i32(3, default: 0)),
          filterHeight: Int(try table.i32(4, default: 0)),
          activation: try activation(try table.i8(5, default: 0))))
    case .concatenation:
      return .concatenation(
        axis: Int(try table.i32(0, default: 0)),
        activation: try activation(try table.i8(1, default: 0)))
    case .add:
      return .add(activation: try activation(try table.i8(0, default: 0)))
    case .resizeBilinear:
      return .resizeBilinear(
        alignCorners: try table.bool(2, default: false),
        halfPixelCenters: try table.bool(3, default: false))
    case .depthToSpace:
      return .depthToSpace(blockSize: Int(try table.i32(0, default: 0)))
    case .reshape:
      return .reshape(newShape: (try table.int32s(0))?.map { Int($0) })
    case .dequantize, .densify, .logistic, .pad:
      return .none
    }
  }
}

extension TFLiteModel {
  /// Reads and parses the model file at `path`.
  public init(contentsOfFile path: String) throws(TFLiteModelError) {
    let bytes: [UInt8]
    do {
      bytes = try readFile(path)
    } catch {
      throw TFLiteModelError("cannot read \(path): \(error)")
    }
    do {
      try self.init(bytes: bytes)
    } catch {
      throw TFLiteModelError("\(path): \(error.message)")
    }
  }

  /// The constant data of tensor `index` (empty when the tensor is not constant).
  func constantBytes(of index: Int) -> ArraySlice<UInt8> {
    let buffer = tensors[index].buffer
    guard buffer > 0, buffer < buffers.count else { return [] }
    return bytes[buffers[buffer]]
  }

  /// Whether tensor `index` has constant data.
  func isConstant(_ index: Int) -> Bool {
    !constantBytes(of: index).isEmpty
  }
}
