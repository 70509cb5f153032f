extension JSONScanner {
  /// The shape MediaPipe's Python API writes nearly every coordinate in: an optional `-`, one
  /// integer digit, `.`, and 14 to 18 fraction digits, with no exponent (`0.8227647542953491`,
  /// `-0.006088400259613991`, `1.0000014305114746`). Read with two eight-digit words (the
  /// second one's digits shifted up when it holds only 6 or 7) and at most two single digits,
  /// no loop, into the same decimal mantissa and exponent the general readers gather (at most
  /// 19 digits, so the mantissa is below 10^19 and cannot wrap), and turned into a Double by
  /// the same exact ``DecimalToDouble/value(mantissa:exponent:)``: the value is the one
  /// ``fastNumber()``'s general loop and `Double(String)` give, bit for bit.
  ///
  /// Returns the value and the number's length, or nil (for any other shape, e.g. an exponent,
  /// 13 or fewer fraction digits, or a byte after it that would glue onto it) so the general
  /// loop decides. Reads at most the 22 bytes from `start`: the caller guarantees
  /// ``fastNumberWindow`` buffered bytes.
  @inline(__always)
  static func mediaPipeNumber(at start: UnsafePointer<UInt8>) -> (value: Double, length: Int)? {
    let zero = UInt8(ascii: "0")
    let negative = start.pointee == UInt8(ascii: "-")
    let p = negative ? start + 1 : start
    let integer = p.pointee &- zero
    let high = load(p + 2)
    let low = load(p + 10)
    guard integer < 10, p[1] == UInt8(ascii: "."), areEightDigits(high) else { return nil }
    let lowDigits = leadingDigitCount(low)
    var mantissa: UInt64
    var exponent: Int
    var q: UnsafePointer<UInt8>
    if lowDigits == 8 {
      mantissa =
        UInt64(integer) &* 10_000_000_000_000_000 &+ eightDigitsValue(high) &* 100_000_000
        &+ eightDigitsValue(low)
      exponent = -16
      q = p + 18
      // Up to two more digits: 1 + 18 digits stay below 10^19 < 2^64.
      if q.pointee &- zero < 10 {
        mantissa = mantissa &* 10 &+ UInt64(q.pointee &- zero)
        exponent -= 1
        q += 1
        if q.pointee &- zero < 10 {
          mantissa = mantissa &* 10 &+ UInt64(q.pointee &- zero)
          exponent -= 1
          q += 1
        }
      }
    } else {
      // 14 or 15 fraction digits (as common as 18: the Python `repr` of a float32 value that
      // needs fewer digits): the low word's digits moved up, with "0" bytes shifted in below
      // them, read as eight digits give their value. 1 + 15 digits stay below 2^53.
      guard lowDigits >= 6 else { return nil }
      let shift = UInt64(8 &- lowDigits) &* 8
      let padded = low << shift | (0x3030_3030_3030_3030 >> (64 &- shift))
      let scale: UInt64 = lowDigits == 7 ? 10_000_000 : 1_000_000
      mantissa =
        (UInt64(integer) &* 100_000_000 &+ eightDigitsValue(high)) &* scale
        &+ eightDigitsValue(padded)
      exponent = -8 &- lowDigits
      q = p + 10 + lowDigits
    }
    // A third extra digit, an exponent, `.`, a letter, a sign: the general loop decides.
    guard !continuesWord(q.pointee),
      let value = DecimalToDouble.value(mantissa: mantissa, exponent: exponent)
    else { return nil }
    return (negative ? -value : value, q - start)
  }

  /// How many of the eight bytes of `word` (loaded little-endian), from the first, are ASCII
  /// digits before the first byte that is not (8 when all are).
  @inline(__always)
  static func leadingDigitCount(_ word: UInt64) -> Int {
    nonDigitBytes(word).trailingZeroBitCount >> 3
  }

  /// Whether all eight bytes of `word` are ASCII digits.
  @inline(__always)
  static func areEightDigits(_ word: UInt64) -> Bool {
    nonDigitBytes(word) == 0
  }

  /// `word` with every byte that is an ASCII digit cleared (SWAR: a digit's high nibble is 3,
  /// and adding 6 does not carry past 9). A carry out of a byte of 0xFA or more can change only
  /// the bytes after it, so never the verdict on the first byte that is not a digit.
  @inline(__always)
  static func nonDigitBytes(_ word: UInt64) -> UInt64 {
    let nibbles: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
    let threes: UInt64 = 0x3030_3030_3030_3030
    return ((word & nibbles) ^ threes) | (((word &+ 0x0606_0606_0606_0606) & nibbles) ^ threes)
  }

  /// The value of eight ASCII digits loaded little-endian (the first digit lowest), as in
  /// simdjson.
  @inline(__always)
  static func eightDigitsValue(_ word: UInt64) -> UInt64 {
    var value = word &- 0x3030_3030_3030_3030
    value = (value &* 10) &+ (value >> 8)
    return
      (((value & 0x0000_00FF_0000_00FF) &* (100 &+ (1_000_000 << 32)))
      &+ (((value >> 16) & 0x0000_00FF_0000_00FF) &* (1 &+ (10_000 << 32)))) >> 32
  }
}
