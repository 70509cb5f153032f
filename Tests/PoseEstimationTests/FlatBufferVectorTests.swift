import Testing

@testable import PoseEstimation

/// Vectors are read in one pass after one range check: little-endian values, signed ones
/// sign-extended, and a range outside the buffer refused, never read.
@Suite("FlatBuffer vectors")
struct FlatBufferVectorTests {
  /// A reference at byte 0 to a vector at byte 4: `count`, then `payload`.
  private func buffer(count: UInt32, payload: [UInt8]) -> FlatBuffer {
    var bytes: [UInt8] = [4, 0, 0, 0]
    withUnsafeBytes(of: count.littleEndian) { bytes += $0 }
    return FlatBuffer(bytes + payload)
  }

  @Test func elementsDecodeLittleEndianValues() throws {
    let flat = buffer(count: 3, payload: [0x01, 0x00, 0x34, 0x12, 0xFF, 0xFF])
    let (start, count) = try flat.vector(referencedFrom: 0, elementSize: 2)
    #expect(start == 8 && count == 3)
    #expect(
      flat.elements(start: start, count: count, as: UInt16.self) { Int($0) } == [1, 0x1234, 65535])
    let signed = buffer(count: 2, payload: [0xFE, 0xFF, 0xFF, 0xFF, 0x05, 0x00, 0x00, 0x00])
    let vector = try signed.vector(referencedFrom: 0, elementSize: 4)
    #expect(
      signed.elements(start: vector.start, count: vector.count, as: Int32.self) { Int($0) }
        == [-2, 5])
    // Each value read one at a time through the checked accessors agrees.
    #expect(try (0..<2).map { Int(try signed.i32(vector.start + 4 * $0)) } == [-2, 5])
  }

  @Test func aVectorLongerThanTheFileIsRefused() {
    let flat = buffer(count: 1000, payload: [1, 2, 3, 4])
    #expect(throws: TFLiteModelError.self) {
      _ = try flat.vector(referencedFrom: 0, elementSize: 2)
    }
    // Asked directly for more than is there, `elements` gives nothing rather than reading on.
    #expect(flat.elements(start: 8, count: 1000, as: UInt16.self) { $0 }.isEmpty)
    #expect(flat.elements(start: -4, count: 1, as: UInt8.self) { $0 }.isEmpty)
    #expect(flat.elements(start: 8, count: 2, as: UInt16.self) { $0 } == [0x0201, 0x0403])
  }

  @Test func sparseIndexVectorsDecodeEachWidthWhenAsked() throws {
    let payload: [UInt8] = [0x01, 0x00, 0x00, 0x80, 0xFF, 0xFF, 0xFF, 0xFF]
    let flat = buffer(count: 8, payload: payload)
    let bytes = TFLiteIndexVector(buffer: flat, start: 8, count: 8, width: .uint8)
    let halves = TFLiteIndexVector(buffer: flat, start: 8, count: 4, width: .uint16)
    let words = TFLiteIndexVector(buffer: flat, start: 8, count: 2, width: .int32)
    #expect(bytes.decoded() == [1, 0, 0, 0x80, 255, 255, 255, 255])
    #expect(halves.decoded() == [1, 0x8000, 65535, 65535])
    #expect(words.decoded() == [Int(Int32.min) + 1, -1])
    #expect(halves == TFLiteIndexVector(buffer: flat, start: 8, count: 4, width: .uint16))
    #expect(halves != TFLiteIndexVector(buffer: flat, start: 10, count: 3, width: .uint16))
  }
}
