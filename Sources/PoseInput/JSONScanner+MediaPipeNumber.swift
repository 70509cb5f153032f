extension JSONScanner {
  /// The shape MediaPipe's Python API writes nearly every coordinate in: an optional `-`, one
  /// integer digit, `.`, and 16 to 18 fraction digits, with no exponent (`0.8227647542953491`,
  /// `-0.006088400259613991`, `1.0000014305114746`). Read with two eight-digit words and at most
  /// two single digits, no loop, into the same decimal mantissa and exponent the general readers
  /// gather (at most 19 digits, so the mantissa is below 10^19 and cannot wrap), and turned into
  /// a Double by the same exact ``DecimalToDouble/value(mantissa:exponent:)``: the value is the
  /// one ``fastNumber()``'s general loop and `Double(String)` give, bit for bit.
  ///
  /// Returns the value and the number's length, or nil (for any other shape, e.g. an exponent,
  /// 15 or fewer fraction digits, or a byte after it that would glue onto it) so the general
  /// loop decides. Reads at most the 22 bytes from `start`: the caller guarantees
  /// ``fastNumberWindow`` buffered bytes.
  @inline(__always)
  static func mediaPipeNumber(at start: UnsafePointer<UInt8>) -> (value: Double, length: Int)? {
    let zero = UInt8(ascii: "0")
    let negative = start.pointee == UInt8(ascii: "-")
    let p = negative ? start + 1 : start
    let integer = p.pointee &- zero
    guard integer < 10, p[1] == UInt8(ascii: ".") else { return nil }
    let high = load(p + 2)
    let low = load(p + 10)
    guard areEightDigits(high), areEightDigits(low) else { return nil }
    var mantissa =
      UInt64(integer) &* 10_000_000_000_000_000 &+ eightDigitsValue(high) &* 100_000_000
      &+ eightDigitsValue(low)
    var exponent = -16
    var q = p + 18
    var c = q.pointee
    // Up to two more digits: 1 + 18 digits stay below 10^19 < 2^64.
    if c &- zero < 10 {
      mantissa = mantissa &* 10 &+ UInt64(c &- zero)
      exponent -= 1
      q += 1
      c = q.pointee
      if c &- zero < 10 {
        mantissa = mantissa &* 10 &+ UInt64(c &- zero)
        exponent -= 1
        q += 1
        c = q.pointee
      }
    }
    // A third extra digit, an exponent, `.`, a letter, a sign: the general loop decides.
    guard !continuesWord(c),
      let value = DecimalToDouble.value(mantissa: mantissa, exponent: exponent)
    else { return nil }
    return (negative ? -value : value, q - start)
  }

  /// Whether all eight bytes of `word` are ASCII digits (SWAR: high nibble 3, and adding 6 does
  /// not carry past 9).
  @inline(__always)
  static func areEightDigits(_ word: UInt64) -> Bool {
    word & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030
      && (word &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030
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
