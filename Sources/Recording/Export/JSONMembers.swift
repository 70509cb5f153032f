/// The members of one JSON object, each value kept as the exact text it had: how an export
/// line is read, so a workout's `details` go back into the database byte for byte and numbers
/// are read from their digits, never through a floating-point detour.
///
/// One pass over the UTF-8 bytes checks the whole text against the JSON grammar (RFC 8259) and
/// notes where each top-level value begins and ends; nested values are checked, not copied
/// apart. About ten times faster than `JSONSerialization` on an export line.
struct JSONMembers {
  /// Why the text is not one JSON object with distinct member names.
  struct Failure: Error {
    var reason: String
  }

  /// Nesting deeper than this is refused (the scan recurses once per level).
  static let maximumDepth = 512

  /// The raw text of each member's value, by name.
  private(set) var values: [String: String] = [:]
  /// The names in the order they appear.
  private(set) var names: [String] = []

  /// Splits `text`, which must be exactly one JSON object (surrounding whitespace aside).
  init(_ text: String) throws(Failure) {
    var text = text
    let result: Result<([String: String], [String]), Failure> = text.withUTF8 { bytes in
      var scanner = Scanner(bytes: bytes)
      do throws(Failure) {
        return .success(try scanner.object())
      } catch {
        return .failure(error)
      }
    }
    switch result {
    case .success(let (values, names)):
      self.values = values
      self.names = names
    case .failure(let failure):
      throw failure
    }
  }

  /// The string a raw JSON string literal stands for; nil when `raw` is not a valid string.
  static func string(_ raw: String) -> String? {
    var raw = raw
    return raw.withUTF8 { bytes -> String? in
      var scanner = Scanner(bytes: bytes)
      guard scanner.peek == UInt8(ascii: "\""), let text = try? scanner.string(decode: true),
        scanner.atEnd
      else { return nil }
      return text
    }
  }
}

/// The grammar, over bytes.
private struct Scanner {
  let bytes: UnsafeBufferPointer<UInt8>
  var index = 0
  var depth = 0

  init(bytes: UnsafeBufferPointer<UInt8>) {
    self.bytes = bytes
  }

  static let invalid = JSONMembers.Failure(reason: "not valid JSON")

  var peek: UInt8? { index < bytes.count ? bytes[index] : nil }
  var atEnd: Bool { index == bytes.count }

  mutating func skipSpace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0A, 0x0D: index += 1
      default: return
      }
    }
  }

  mutating func expect(_ byte: UInt8) throws(JSONMembers.Failure) {
    guard peek == byte else { throw Self.invalid }
    index += 1
  }

  /// The whole text as one object: its members' raw values and its names in order.
  mutating func object() throws(JSONMembers.Failure) -> ([String: String], [String]) {
    skipSpace()
    guard peek == UInt8(ascii: "{") else {
      try value()
      skipSpace()
      throw atEnd ? JSONMembers.Failure(reason: "not a JSON object") : Self.invalid
    }
    index += 1
    var values: [String: String] = [:]
    var names: [String] = []
    skipSpace()
    if peek == UInt8(ascii: "}") {
      index += 1
    } else {
      while true {
        skipSpace()
        guard peek == UInt8(ascii: "\"") else { throw Self.invalid }
        let name = try string(decode: true) ?? ""
        skipSpace()
        try expect(UInt8(ascii: ":"))
        skipSpace()
        let start = index
        try value()
        guard values[name] == nil else {
          throw JSONMembers.Failure(reason: "the member \"\(name)\" appears twice")
        }
        values[name] = String(
          decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        names.append(name)
        skipSpace()
        if peek == UInt8(ascii: ",") {
          index += 1
          continue
        }
        try expect(UInt8(ascii: "}"))
        break
      }
    }
    skipSpace()
    guard atEnd else { throw Self.invalid }
    return (values, names)
  }

  /// Checks and skips one value.
  mutating func value() throws(JSONMembers.Failure) {
    guard let byte = peek else { throw Self.invalid }
    switch byte {
    case UInt8(ascii: "\""): _ = try string(decode: false)
    case UInt8(ascii: "{"): try container(close: UInt8(ascii: "}"), keyed: true)
    case UInt8(ascii: "["): try container(close: UInt8(ascii: "]"), keyed: false)
    case UInt8(ascii: "t"): try literal("true")
    case UInt8(ascii: "f"): try literal("false")
    case UInt8(ascii: "n"): try literal("null")
    default: try number()
    }
  }

  private mutating func container(close: UInt8, keyed: Bool) throws(JSONMembers.Failure) {
    depth += 1
    guard depth <= JSONMembers.maximumDepth else {
      throw JSONMembers.Failure(reason: "nested deeper than \(JSONMembers.maximumDepth) levels")
    }
    defer { depth -= 1 }
    index += 1
    skipSpace()
    if peek == close {
      index += 1
      return
    }
    while true {
      skipSpace()
      if keyed {
        guard peek == UInt8(ascii: "\"") else { throw Self.invalid }
        _ = try string(decode: false)
        skipSpace()
        try expect(UInt8(ascii: ":"))
        skipSpace()
      }
      try value()
      skipSpace()
      if peek == UInt8(ascii: ",") {
        index += 1
        continue
      }
      try expect(close)
      return
    }
  }

  private mutating func literal(_ word: StaticString) throws(JSONMembers.Failure) {
    let count = word.utf8CodeUnitCount
    guard index + count <= bytes.count else { throw Self.invalid }
    for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
      throw Self.invalid
    }
    index += count
  }

  private mutating func digits() -> Int {
    let start = index
    while let byte = peek, byte >= 0x30, byte <= 0x39 { index += 1 }
    return index - start
  }

  private mutating func number() throws(JSONMembers.Failure) {
    let start = index
    try numberSyntax()
    // A number no double can hold (1e999) is refused, as Foundation and PostgreSQL's numeric
    // input refuse it; the digits alone are bounded by the line's length.
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    guard let value = Double(text), value.isFinite else {
      throw JSONMembers.Failure(reason: "the number \(text.prefix(40)) is out of range")
    }
  }

  private mutating func numberSyntax() throws(JSONMembers.Failure) {
    if peek == UInt8(ascii: "-") { index += 1 }
    if peek == UInt8(ascii: "0") {
      index += 1
    } else {
      guard let byte = peek, byte >= 0x31, byte <= 0x39 else { throw Self.invalid }
      _ = digits()
    }
    if peek == UInt8(ascii: ".") {
      index += 1
      guard digits() > 0 else { throw Self.invalid }
    }
    if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
      index += 1
      if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
      guard digits() > 0 else { throw Self.invalid }
    }
  }

  /// Checks and skips a string (at its opening quote); with `decode`, returns its text.
  mutating func string(decode: Bool) throws(JSONMembers.Failure) -> String? {
    index += 1
    let start = index
    var escaped = false
    while true {
      guard let byte = peek else { throw Self.invalid }
      if byte == UInt8(ascii: "\"") { break }
      guard byte >= 0x20 else { throw Self.invalid }
      index += 1
      if byte == UInt8(ascii: "\\") {
        escaped = true
        guard let next = peek else { throw Self.invalid }
        index += 1
        switch next {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
          UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
          continue
        case UInt8(ascii: "u"):
          let unit = try hex4()
          if unit == 0 {
            throw JSONMembers.Failure(
              reason: "\\u0000 cannot be stored (PostgreSQL's jsonb refuses it)")
          }
          if (0xDC00...0xDFFF).contains(unit) { throw Self.invalid }
          if (0xD800...0xDBFF).contains(unit) {
            // A high surrogate must be followed by a low one.
            guard peek == UInt8(ascii: "\\") else { throw Self.invalid }
            index += 1
            try expect(UInt8(ascii: "u"))
            guard (0xDC00...0xDFFF).contains(try hex4()) else { throw Self.invalid }
          }
        default: throw Self.invalid
        }
      }
    }
    let end = index
    index += 1  // The closing quote.
    guard decode else { return nil }
    let body = UnsafeBufferPointer(rebasing: bytes[start..<end])
    guard escaped else { return String(decoding: body, as: UTF8.self) }
    return try unescape(body)
  }

  private mutating func hex4() throws(JSONMembers.Failure) -> UInt32 {
    guard index + 4 <= bytes.count else { throw Self.invalid }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[index]
      let digit: UInt8
      switch byte {
      case 0x30...0x39: digit = byte - 0x30
      case 0x41...0x46: digit = byte - 0x41 + 10
      case 0x61...0x66: digit = byte - 0x61 + 10
      default: throw Self.invalid
      }
      value = value << 4 | UInt32(digit)
      index += 1
    }
    return value
  }

  /// The text of a string body with escapes; a lone surrogate is invalid.
  private func unescape(_ body: UnsafeBufferPointer<UInt8>) throws(JSONMembers.Failure) -> String {
    var output: [UInt8] = []
    output.reserveCapacity(body.count)
    var inner = Scanner(bytes: body)
    while let byte = inner.peek {
      inner.index += 1
      guard byte == UInt8(ascii: "\\"), let next = inner.peek else {
        output.append(byte)
        continue
      }
      inner.index += 1
      switch next {
      case UInt8(ascii: "b"): output.append(0x08)
      case UInt8(ascii: "f"): output.append(0x0C)
      case UInt8(ascii: "n"): output.append(0x0A)
      case UInt8(ascii: "r"): output.append(0x0D)
      case UInt8(ascii: "t"): output.append(0x09)
      case UInt8(ascii: "u"):
        var scalar = try inner.hex4()
        if (0xD800...0xDBFF).contains(scalar) {
          guard inner.peek == UInt8(ascii: "\\") else { throw Self.invalid }
          inner.index += 1
          try inner.expect(UInt8(ascii: "u"))
          let low = try inner.hex4()
          guard (0xDC00...0xDFFF).contains(low) else { throw Self.invalid }
          scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw Self.invalid }
        output.append(contentsOf: String(Character(unicode)).utf8)
      default: output.append(next)  // " \ /
      }
    }
    return String(decoding: output, as: UTF8.self)
  }
}
