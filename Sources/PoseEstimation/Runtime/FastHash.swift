/// A fast 64-bit non-cryptographic hash (xxHash64-style rounds on four lanes) for checking
/// that a cache file is intact and belongs to the model bytes it was made from. Several GB/s:
/// checking tens of MB costs a few milliseconds, where SHA-256 would cost tens.
///
/// Each `update` hashes its buffer whole (length and tail included), so the same sequence of
/// calls on the same bytes gives the same value; it is not a standard xxHash64.
struct FastHash {
  private static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
  private static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
  private static let prime3: UInt64 = 0x1656_67B1_9E37_79F9

  private var state: UInt64 = 0x27D4_EB2F_1656_67C5

  @inline(__always)
  private static func round(_ accumulator: UInt64, _ input: UInt64) -> UInt64 {
    let mixed = accumulator &+ input &* prime2
    return ((mixed << 31) | (mixed >> 33)) &* prime1
  }

  /// Mixes one value in.
  mutating func combine(_ value: UInt64) {
    state = Self.round(state ^ value, value &+ Self.prime3)
  }

  /// Mixes the bytes of `buffer` in.
  mutating func update(_ buffer: UnsafeRawBufferPointer) {
    var lanes: (UInt64, UInt64, UInt64, UInt64) = (
      state &+ Self.prime1 &+ Self.prime2, state &+ Self.prime2, state, state &- Self.prime1
    )
    var offset = 0
    let count = buffer.count
    while offset + 32 <= count {
      lanes.0 = Self.round(lanes.0, buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
      lanes.1 = Self.round(
        lanes.1, buffer.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
      lanes.2 = Self.round(
        lanes.2, buffer.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self))
      lanes.3 = Self.round(
        lanes.3, buffer.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self))
      offset += 32
    }
    var result = Self.round(lanes.0, lanes.1) ^ Self.round(lanes.2, lanes.3)
    result = Self.round(result, UInt64(count))
    while offset + 8 <= count {
      result = Self.round(result, buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
      offset += 8
    }
    while offset < count {
      result = Self.round(result, UInt64(buffer[offset]) &+ Self.prime3)
      offset += 1
    }
    state = result
  }

  /// The hash of everything mixed in so far.
  func finalize() -> UInt64 {
    var h = state
    h ^= h >> 33
    h = h &* Self.prime2
    h ^= h >> 29
    h = h &* Self.prime3
    h ^= h >> 32
    return h
  }
}
