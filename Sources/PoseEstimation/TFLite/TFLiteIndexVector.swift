/// A `SparseIndexVector` of a sparse tensor (`Int32Vector`, `Uint16Vector` or `Uint8Vector`),
/// kept as its checked place in the model file and decoded only when the tensor is densified:
/// a load whose packed weights come from the cache never needs the indices (decoding them at
/// every parse cost the detector a few milliseconds of each start).
struct TFLiteIndexVector: Sendable, Equatable {
  /// The element types of the union, by their union tag.
  enum Width: Int, Sendable {
    case int32 = 1
    case uint16 = 2
    case uint8 = 3
  }

  private let buffer: FlatBuffer
  private let start: Int
  /// The number of indices.
  let count: Int
  private let width: Width

  /// The vector of `count` elements of `width` at `start` in `buffer`, whose range the caller
  /// has checked (`FlatBuffer.vector(referencedFrom:elementSize:)`).
  init(buffer: FlatBuffer, start: Int, count: Int, width: Width) {
    self.buffer = buffer
    self.start = start
    self.count = count
    self.width = width
  }

  /// The indices (empty if the range were outside the file, which the parser rules out).
  func decoded() -> [Int] {
    switch width {
    case .int32:
      buffer.elements(start: start, count: count, as: Int32.self) { Int(Int32(littleEndian: $0)) }
    case .uint16:
      buffer.elements(start: start, count: count, as: UInt16.self) { Int(UInt16(littleEndian: $0)) }
    case .uint8: buffer.elements(start: start, count: count, as: UInt8.self) { Int($0) }
    }
  }

  /// Two vectors are equal when they hold the same indices.
  static func == (lhs: TFLiteIndexVector, rhs: TFLiteIndexVector) -> Bool {
    lhs.count == rhs.count && lhs.decoded() == rhs.decoded()
  }
}
