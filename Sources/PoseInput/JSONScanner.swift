import RepCounting

/// A hand-written JSON scanner over a ``ByteWindow``, specialised for landmark data.
///
/// It reads straight from the window's buffer with no per-value allocation (landmark arrays
/// aside). A scanner reads one *unit* (a frame, the document head, the tail) from the window's
/// unconsumed bytes; when it runs off the end of the buffered bytes it asks the window for more
/// and carries on where it stopped, so every byte of a unit is scanned once however it arrives
/// (a 60 MB line through a pipe comes in 64 KiB reads). The caller commits the unit by moving
/// the window's start past ``index``.
///
/// Indices are relative to the unit's first byte, which stays at the same index while the
/// window compacts or grows underneath; only ``bytes`` and ``end`` change when it does.
struct JSONScanner {
  /// The unit's first byte (it moves when the window compacts or grows).
  private(set) var bytes: UnsafePointer<UInt8>
  /// Index of the next byte.
  var index: Int
  /// Number of valid bytes.
  private(set) var end: Int
  /// Whether the window ends at the end of input.
  private(set) var atEOF: Bool
  /// Absolute stream offset of `bytes[0]` (the unit's first byte).
  let baseOffset: Int
  /// 1-based current line.
  var line: Int
  /// Absolute offset of the first byte of the current line.
  var lineStart: Int
  /// The frame being read, for error messages.
  var frameIndex: Int?
  /// Whether to take the landmark fast path (the window's ``ByteWindow/fastPaths``).
  let fastPaths: Bool
  /// Where more bytes come from.
  private let window: ByteWindow

  /// A scanner over the unconsumed bytes of `window`, which must not be refilled by anyone else
  /// while the scanner is in use.
  init(window: ByteWindow, line: Int, lineStart: Int, frameIndex: Int? = nil) {
    self.window = window
    bytes = UnsafePointer(window.storage + window.start)
    index = 0
    end = window.end - window.start
    atEOF = window.atEOF
    baseOffset = window.baseOffset + window.start
    self.line = line
    self.lineStart = lineStart
    self.frameIndex = frameIndex
    fastPaths = window.fastPaths
  }

  /// Deepest nesting accepted in skipped values.
  static let maximumDepth = 512

  // MARK: Bytes

  /// The next byte without consuming it; 0 at the end of input. Waits for more input when the
  /// buffered bytes are used up.
  @inline(__always)
  mutating func peek() throws(ScanError) -> UInt8 {
    if index < end { return bytes[index] }
    return try peekAfterRefill()
  }

  @inline(never)
  private mutating func peekAfterRefill() throws(ScanError) -> UInt8 {
    while index >= end {
      if atEOF { return 0 }
      try more()
    }
    return bytes[index]
  }

  /// Reads more input into the window (at least one byte, or up to the end of input) and
  /// points the scanner at the moved buffer; indices stay valid.
  @inline(never)
  mutating func more() throws(ScanError) {
    let fits: Bool
    do {
      fits = try window.refill()
    } catch {
      throw .readFailed(error.message)
    }
    guard fits else { throw .tooLarge }
    bytes = UnsafePointer(window.storage + window.start)
    end = window.end - window.start
    atEOF = window.atEOF
  }

  /// Whether the scanner stands at the end of input.
  var isAtEnd: Bool { index >= end && atEOF }

  /// An error at the current byte.
  func failure(_ message: String) -> ScanError {
    failure(message, at: index)
  }

  /// An error at byte `position` on the current line.
  func failure(_ message: String, at position: Int) -> ScanError {
    let column = baseOffset + position - lineStart + 1
    return .invalid(message, line: line, column: max(1, column), frame: frameIndex)
  }

  /// Skips JSON whitespace, counting lines.
  @inline(__always)
  mutating func skipWhitespace() throws(ScanError) {
    while true {
      let byte = try peek()
      switch byte {
      case 0x20, 0x09, 0x0D:
        index += 1
      case 0x0A:
        index += 1
        line += 1
        lineStart = baseOffset + index
      default:
        return
      }
    }
  }

  /// Consumes `byte` (after whitespace) or fails with `message`.
  mutating func expect(_ byte: UInt8, _ what: @autoclosure () -> String) throws(ScanError) {
    try skipWhitespace()
    guard try peek() == byte else {
      throw failure("expected \(what()), found \(try describeNext())")
    }
    index += 1
  }

  /// Words for what stands at the current byte, for error messages. Callers have peeked at it
  /// already, so it is buffered (a word it starts may be cut off by the buffer's end, and is
  /// then named by its first character).
  func describeNext() throws(ScanError) -> String {
    guard index < end else { return "end of input" }
    let byte = bytes[index]
    switch byte {
    case UInt8(ascii: "\""): return "a string"
    case UInt8(ascii: "{"): return "an object"
    case UInt8(ascii: "["): return "an array"
    case UInt8(ascii: "n"): return startsWord("null") ? "null" : "'n'"
    case UInt8(ascii: "t"): return startsWord("true") ? "true" : "'t'"
    case UInt8(ascii: "f"): return startsWord("false") ? "false" : "'f'"
    case UInt8(ascii: "N"): return startsWord("NaN") ? "NaN" : "'N'"
    case UInt8(ascii: "I"): return startsWord("Infinity") ? "Infinity" : "'I'"
    case UInt8(ascii: "-"):
      if index + 1 < end, bytes[index + 1] == UInt8(ascii: "I") { return "-Infinity" }
      return "a number"
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return "a number"
    case 0x21...0x7E: return "'\(Character(Unicode.Scalar(byte)))'"
    default:
      let hex = String(byte, radix: 16, uppercase: true)
      return "byte 0x" + (hex.count < 2 ? "0" + hex : hex)
    }
  }

  private func startsWord(_ word: StaticString) -> Bool {
    let count = word.utf8CodeUnitCount
    guard index + count <= end else { return false }
    for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
      return false
    }
    return true
  }

  // MARK: Literals, strings, numbers

  /// Consumes the literal `word` (e.g. `null`).
  mutating func literal(_ word: StaticString) throws(ScanError) {
    let start = index
    for offset in 0..<word.utf8CodeUnitCount {
      guard try peek() == word.utf8Start[offset] else {
        throw failure("invalid literal, expected \(word)", at: start)
      }
      index += 1
    }
  }

  /// Consumes a string whose opening quote is the current byte, returning the byte range of its
  /// raw contents and whether it holds escapes.
  mutating func string() throws(ScanError) -> (start: Int, count: Int, escaped: Bool) {
    let open = index
    index += 1
    let start = index
    var escaped = false
    while true {
      guard index < end else {
        if atEOF { throw failure("unterminated string", at: open) }
        try more()
        continue
      }
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        index += 1
        return (start, index - 1 - start, escaped)
      }
      if byte == UInt8(ascii: "\\") {
        escaped = true
        index += 1
        let next = try peek()
        switch next {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
          UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
          index += 1
        case UInt8(ascii: "u"):
          index += 1
          for _ in 0..<4 {
            let hex = try peek()
            guard Self.isHexDigit(hex) else { throw failure("invalid \\u escape in string") }
            index += 1
          }
        default:
          throw failure("invalid escape in string")
        }
      } else if byte < 0x20 {
        throw failure("control character inside a string (unterminated string?)")
      } else {
        index += 1
      }
    }
  }

  private static func isHexDigit(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
      UInt8(ascii: "A")...UInt8(ascii: "F"):
      return true
    default:
      return false
    }
  }

  /// Reads an object key (the current byte must be its quote) and the colon after it.
  mutating func key() throws(ScanError) -> JSONKey {
    guard try peek() == UInt8(ascii: "\"") else {
      throw failure("expected an object key (a string), found \(try describeNext())")
    }
    let (start, count, escaped) = try string()
    let key: JSONKey
    if escaped {
      let decoded = Self.unescape(UnsafeBufferPointer(start: bytes + start, count: count))
      key = decoded.withUnsafeBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return JSONKey.other }
        return JSONKey.match(base, count: buffer.count)
      }
    } else {
      key = JSONKey.match(bytes + start, count: count)
    }
    try expect(UInt8(ascii: ":"), "':' after an object key")
    try skipWhitespace()
    return key
  }

  /// The UTF-8 bytes of a string's raw contents with its escapes resolved.
  static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> [UInt8] {
    var result: [UInt8] = []
    var position = 0
    while position < raw.count {
      let byte = raw[position]
      position += 1
      guard byte == UInt8(ascii: "\\"), position < raw.count else {
        result.append(byte)
        continue
      }
      let kind = raw[position]
      position += 1
      switch kind {
      case UInt8(ascii: "b"): result.append(0x08)
      case UInt8(ascii: "f"): result.append(0x0C)
      case UInt8(ascii: "n"): result.append(0x0A)
      case UInt8(ascii: "r"): result.append(0x0D)
      case UInt8(ascii: "t"): result.append(0x09)
      case UInt8(ascii: "u"):
        var value: UInt32 = 0
        for _ in 0..<4 where position < raw.count {
          let hex = raw[position]
          position += 1
          let digit: UInt32
          switch hex {
          case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(hex - UInt8(ascii: "0"))
          case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(hex - UInt8(ascii: "a") + 10)
          default: digit = UInt32(hex &- UInt8(ascii: "A") &+ 10)
          }
          value = value << 4 | (digit & 0xF)
        }
        let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
        result.append(contentsOf: Array(String(Character(scalar)).utf8))
      default: result.append(kind)
      }
    }
    return result
  }

  /// Reads a JSON number. `what` names the value for error messages (e.g. "a coordinate").
  ///
  /// Up to 19 significant digits are gathered in a UInt64 and turned into the nearest Double
  /// by ``DecimalToDouble`` (exponents within ±100); other numbers (more digits, larger
  /// exponents) go through the standard library's parser. Either way the value is exactly
  /// what `Double(String)` gives for the number's text.
  @inline(__always)
  mutating func number(_ what: @autoclosure () -> String) throws(ScanError) -> Double {
    if end - index >= Self.fastNumberWindow, let value = fastNumber() {
      return value
    }
    return try carefulNumber(what())
  }

  /// Bytes that must remain in the buffer for ``fastNumber()``.
  static let fastNumberWindow = 64

  /// The common case without bounds checks or error reporting: a number shorter than
  /// `fastNumberWindow` bytes with at most 19 digits and a decimal exponent within ±100. Returns
  /// nil (consuming nothing) for anything else; ``carefulNumber(_:)`` then decides. Safe because
  /// the caller has made sure `fastNumberWindow` bytes are buffered, and the window keeps a 0
  /// sentinel after its data, which stops the exponent's loop.
  ///
  /// Up to 19 significant digits: leading zeros of a fraction (`0.000123…`) do not count.
  /// MediaPipe's own shape is tried first, without loops (``mediaPipeNumber(at:)``).
  @inline(__always)
  mutating func fastNumber() -> Double? {
    let start = bytes + index
    if let (value, length) = Self.mediaPipeNumber(at: start) {
      index += length
      return value
    }
    let zero = UInt8(ascii: "0")
    var p = start
    let negative = p.pointee == UInt8(ascii: "-")
    if negative { p += 1 }
    var mantissa: UInt64 = 0
    let integerStart = p
    var c = p.pointee
    if c == zero {
      p += 1
    } else if c &- UInt8(ascii: "1") < 9 {
      repeat {
        mantissa = mantissa &* 10 &+ UInt64(c &- zero)
        p += 1
        c = p.pointee
      } while c &- zero < 10 && p - integerStart < 20
    } else {
      return nil
    }
    var digitCount = p - integerStart
    var exponent = 0
    if p.pointee == UInt8(ascii: ".") {
      p += 1
      let fractionStart = p
      // Eight digits at a time while they last (MediaPipe writes 16–17 of them), then one at a
      // time. Reads stay within the 51 bytes after `start`.
      while p - start < 40, let eight = Self.eightDigits(p) {
        mantissa = mantissa &* 100_000_000 &+ eight
        p += 8
      }
      c = p.pointee
      while c &- zero < 10 && p - start < 50 {
        mantissa = mantissa &* 10 &+ UInt64(c &- zero)
        p += 1
        c = p.pointee
      }
      let fractionDigits = p - fractionStart
      guard fractionDigits > 0 else { return nil }
      digitCount += fractionDigits
      exponent = -fractionDigits
    }
    if digitCount > 19 {
      // Leading zeros carry no value: "0.000123…" may hold 19 significant digits after them
      // (then the mantissa has not wrapped). Only the first fraction word's zeros are counted.
      guard integerStart.pointee == UInt8(ascii: "0"), exponent < 0 else { return nil }
      let zeros = (Self.load(integerStart + 2) ^ 0x3030_3030_3030_3030).trailingZeroBitCount >> 3
      guard digitCount - 1 - zeros <= 19 else { return nil }
    }
    c = p.pointee
    if c | 0x20 == UInt8(ascii: "e") {
      p += 1
      c = p.pointee
      var exponentNegative = false
      if c == UInt8(ascii: "-") || c == UInt8(ascii: "+") {
        exponentNegative = c == UInt8(ascii: "-")
        p += 1
        c = p.pointee
      }
      guard c &- zero < 10 else { return nil }
      var written = 0
      repeat {
        written = written &* 10 &+ Int(c &- zero)
        p += 1
        c = p.pointee
      } while c &- zero < 10 && written < 1000
      exponent += exponentNegative ? -written : written
    }
    guard p - start < Self.fastNumberWindow, !Self.continuesWord(c),
      let value = DecimalToDouble.value(mantissa: mantissa, exponent: exponent)
    else { return nil }
    index += p - start
    return negative ? -value : value
  }

  /// The eight bytes at `p` as a little-endian word (the first byte lowest).
  @inline(__always)
  static func load(_ p: UnsafePointer<UInt8>) -> UInt64 {
    UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
  }

  /// The value of the eight ASCII digits at `p`, or nil when they are not all digits (SWAR, as
  /// in simdjson). Little-endian loads; the caller guarantees 8 readable bytes.
  @inline(__always)
  static func eightDigits(_ p: UnsafePointer<UInt8>) -> UInt64? {
    let word = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
    // Every byte must be 0x30...0x39: high nibble 3, and adding 6 must not carry past 9.
    guard word & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030,
      (word &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030
    else { return nil }
    var value = word &- 0x3030_3030_3030_3030
    value = (value &* 10) &+ (value >> 8)
    value =
      (((value & 0x0000_00FF_0000_00FF) &* (100 &+ (1_000_000 << 32)))
        &+ (((value >> 16) & 0x0000_00FF_0000_00FF) &* (1 &+ (10_000 << 32)))) >> 32
    return value
  }

  /// The general number reader, with error reporting.
  mutating func carefulNumber(_ what: @autoclosure () -> String) throws(ScanError) -> Double {
    let start = index
    var byte = try peek()
    var negative = false
    if byte == UInt8(ascii: "-") {
      negative = true
      index += 1
      byte = try peek()
    }
    var mantissa: UInt64 = 0
    var digits = 0
    var exponent = 0
    // Whether a nonzero digit beyond the 19th was dropped (the standard library then decides).
    var truncated = false
    if byte == UInt8(ascii: "0") {
      index += 1
      byte = try peek()
    } else if byte &- UInt8(ascii: "1") < 9 {
      while byte &- UInt8(ascii: "0") < 10 {
        if digits < 19 {
          mantissa = mantissa &* 10 &+ UInt64(byte &- UInt8(ascii: "0"))
          digits += 1
        } else {
          exponent += 1
          truncated = truncated || byte != UInt8(ascii: "0")
        }
        index += 1
        byte = try peek()
      }
    } else {
      index = start
      throw failure("expected a number for \(what()), found \(try describeNext())")
    }
    if byte == UInt8(ascii: ".") {
      index += 1
      byte = try peek()
      guard byte &- UInt8(ascii: "0") < 10 else {
        throw failure("expected a digit after the decimal point")
      }
      while byte &- UInt8(ascii: "0") < 10 {
        if digits < 19 {
          let digit = UInt64(byte &- UInt8(ascii: "0"))
          if mantissa != 0 || digit != 0 { digits += 1 }
          mantissa = mantissa &* 10 &+ digit
          exponent -= 1
        } else {
          truncated = truncated || byte != UInt8(ascii: "0")
        }
        index += 1
        byte = try peek()
      }
    }
    if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
      index += 1
      byte = try peek()
      var exponentNegative = false
      if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") {
        exponentNegative = byte == UInt8(ascii: "-")
        index += 1
        byte = try peek()
      }
      guard byte &- UInt8(ascii: "0") < 10 else {
        throw failure("expected a digit in the exponent")
      }
      var written = 0
      while byte &- UInt8(ascii: "0") < 10 {
        if written < 100_000 { written = written * 10 + Int(byte &- UInt8(ascii: "0")) }
        index += 1
        byte = try peek()
      }
      exponent += exponentNegative ? -written : written
    }
    if Self.continuesWord(byte) {
      throw failure("invalid number for \(what())", at: start)
    }
    var value: Double
    if !truncated, let exact = DecimalToDouble.value(mantissa: mantissa, exponent: exponent) {
      value = exact
    } else {
      let text = String(
        decoding: UnsafeBufferPointer(start: bytes + start, count: index - start), as: UTF8.self)
      value = Double(text) ?? .infinity
      negative = false
    }
    if negative { value = -value }
    guard value.isFinite else {
      throw failure("number for \(what()) overflows a Double", at: start)
    }
    return value
  }

  /// Whether `byte` would glue onto a number (as in `12abc`), making it invalid.
  @inline(__always)
  static func continuesWord(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "+"),
      UInt8(ascii: "-"):
      return true
    default:
      return false
    }
  }

  // MARK: Generic values

  /// Skips any JSON value (validating it), refusing nesting deeper than `maximumDepth`.
  mutating func skipValue(depth: Int = 0) throws(ScanError) {
    try skipWhitespace()
    let byte = try peek()
    switch byte {
    case UInt8(ascii: "{"), UInt8(ascii: "["):
      guard depth < Self.maximumDepth else {
        throw failure("nesting deeper than \(Self.maximumDepth) levels")
      }
      let isObject = byte == UInt8(ascii: "{")
      let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
      index += 1
      try skipWhitespace()
      if try peek() == close {
        index += 1
        return
      }
      while true {
        if isObject {
          _ = try key()
        }
        try skipValue(depth: depth + 1)
        try skipWhitespace()
        let next = try peek()
        if next == UInt8(ascii: ",") {
          index += 1
          try skipWhitespace()
          continue
        }
        if next == close {
          index += 1
          return
        }
        throw failure(
          "expected ',' or '\(Character(Unicode.Scalar(close)))', found \(try describeNext())")
      }
    case UInt8(ascii: "\""):
      _ = try string()
    case UInt8(ascii: "t"):
      try literal("true")
    case UInt8(ascii: "f"):
      try literal("false")
    case UInt8(ascii: "n"):
      try literal("null")
    default:
      _ = try number("a value")
    }
  }

  /// Reads a string value and returns it decoded.
  mutating func stringValue(_ what: String) throws(ScanError) -> String {
    guard try peek() == UInt8(ascii: "\"") else {
      throw failure("expected a string for \(what), found \(try describeNext())")
    }
    let (start, count, escaped) = try string()
    let raw = UnsafeBufferPointer(start: bytes + start, count: count)
    if escaped {
      return String(decoding: Self.unescape(raw), as: UTF8.self)
    }
    return String(decoding: raw, as: UTF8.self)
  }
}
