import RepCounting

extension JSONScanner {
  /// Reads a landmarks array the way exporters write it, `[[x, y, z, visibility], …]` (or
  /// `[x, y, score]`, `[x, y]`, or `{"x": …, "y": …, "z": …, "visibility": …}` entries, keys in
  /// that order) with 17 or 33 entries, straight from the buffer: no refills, no error
  /// reporting, whitespace, commas and keys checked inline. The current byte must be the
  /// array's `[`.
  ///
  /// At the first surprise (another key or order, a wrong count, bad data, or fewer than
  /// ``fastNumberWindow`` bytes left in the buffer) it puts the scanner back where it was
  /// (index, line) and returns nil: the general path then reads the array from its start and
  /// reports any problem at its exact place. Numbers come from the same readers the general
  /// path uses (``fastNumber()``, else ``carefulNumber(_:)``), so the landmarks are the same bit
  /// for bit either way (the fuzz target `fastpath` and LandmarkFastPathTests hold it to that).
  @inline(__always)
  mutating func fastLandmarks() -> [Landmark]? {
    let start = index
    let startLine = line
    let startLineStart = lineStart
    if let landmarks = fastLandmarkEntries() {
      return landmarks
    }
    index = start
    line = startLine
    lineStart = startLineStart
    return nil
  }

  /// The body of ``fastLandmarks()``, which restores the position when this returns nil.
  private mutating func fastLandmarkEntries() -> [Landmark]? {
    index += 1
    fastSkipWhitespace()
    var result: [Landmark] = []
    result.reserveCapacity(33)
    while result.count < 33 {
      let open = bytes[index]
      index += 1
      let landmark: Landmark
      if open == UInt8(ascii: "[") {
        guard let entry = fastArrayEntry() else { return nil }
        landmark = entry
      } else if open == UInt8(ascii: "{") {
        guard let entry = fastObjectEntry() else { return nil }
        landmark = entry
      } else {
        return nil
      }
      result.append(landmark)
      if fastSkipComma() { continue }
      guard bytes[index] == UInt8(ascii: "]") else { return nil }
      index += 1
      return result.count == 33 || result.count == 17 ? result : nil
    }
    return nil
  }

  /// `x, y]`, `x, y, score]` or `x, y, z, visibility]` after an entry's `[`.
  @inline(__always)
  private mutating func fastArrayEntry() -> Landmark? {
    fastSkipWhitespace()
    guard let x = fastValue(), fastSkipComma(), let y = fastValue() else { return nil }
    var landmark = Landmark(x: x, y: y)
    if fastSkipComma() {
      guard let third = fastValue() else { return nil }
      if fastSkipComma() {
        guard let fourth = fastValue() else { return nil }
        fastSkipWhitespace()
        landmark.z = third
        landmark.visibility = fourth
      } else {
        landmark.visibility = third
      }
    }
    guard bytes[index] == UInt8(ascii: "]") else { return nil }
    index += 1
    return landmark
  }

  /// `"x": …, "y": …}` after an entry's `{`, optionally with `"z"` and then `"visibility"`
  /// before the `}`, in this order (as MediaPipe's exporters write them); any other key or
  /// order is left to the general path.
  @inline(__always)
  private mutating func fastObjectEntry() -> Landmark? {
    fastSkipWhitespace()
    guard fastKey("\"x\""), let x = fastValue(), fastSkipComma(), fastKey("\"y\""),
      let y = fastValue()
    else { return nil }
    var landmark = Landmark(x: x, y: y)
    if fastSkipComma() {
      if fastKey("\"z\"") {
        guard let z = fastValue() else { return nil }
        landmark.z = z
        if fastSkipComma() {
          guard fastKey("\"visibility\""), let visibility = fastValue() else { return nil }
          landmark.visibility = visibility
          fastSkipWhitespace()
        }
      } else {
        guard fastKey("\"visibility\""), let visibility = fastValue() else { return nil }
        landmark.visibility = visibility
        fastSkipWhitespace()
      }
    }
    guard bytes[index] == UInt8(ascii: "}") else { return nil }
    index += 1
    return landmark
  }

  /// Consumes `quoted` (a key with its quotes, no escapes) and the `:` after it, with the
  /// whitespace around the colon; false (the position then does not matter) when the bytes
  /// differ. Stops at the first difference, so the sentinel ends it.
  @inline(__always)
  private mutating func fastKey(_ quoted: StaticString) -> Bool {
    let literal = quoted.utf8Start
    for offset in 0..<quoted.utf8CodeUnitCount where bytes[index + offset] != literal[offset] {
      return false
    }
    index += quoted.utf8CodeUnitCount
    fastSkipWhitespace()
    guard bytes[index] == UInt8(ascii: ":") else { return false }
    index += 1
    fastSkipWhitespace()
    return true
  }

  /// A number by ``mediaPipeNumber(at:)``, else ``fastNumber()``, else (e.g. more than 19
  /// significant digits) ``carefulNumber(_:)``; nil for anything that is not a valid number, or
  /// when fewer than ``fastNumberWindow`` bytes are buffered. The others are out of line
  /// (``otherValue()``), which keeps this small enough for the compiler to inline
  /// ``mediaPipeNumber(at:)`` here (with ``fastNumber()`` inlined here it stayed a call: 5 %
  /// more instructions in all).
  @inline(__always)
  private mutating func fastValue() -> Double? {
    guard end - index >= Self.fastNumberWindow else { return nil }
    if let (value, length) = Self.mediaPipeNumber(at: bytes + index) {
      index += length
      return value
    }
    return otherValue()
  }

  /// ``fastNumber()``, else ``carefulNumber(_:)`` (out of line, so ``fastValue()`` stays small).
  @inline(never)
  private mutating func otherValue() -> Double? {
    if let value = fastNumber() { return value }
    return try? carefulNumber("a coordinate")
  }

  /// The whitespace after a value and, when a comma follows, the comma and the whitespace
  /// after it: true then (else the scanner stands on the byte after the whitespace). `, `,
  /// which Python's `json.dumps` writes between items, is one two-byte compare (when both
  /// bytes are buffered).
  @inline(__always)
  private mutating func fastSkipComma() -> Bool {
    if end &- index >= 2
      && UnsafeRawPointer(bytes + index).loadUnaligned(as: UInt16.self) == 0x202C
    {
      index &+= 2
    } else {
      fastSkipWhitespace()
      guard bytes[index] == UInt8(ascii: ",") else { return false }
      index &+= 1
    }
    fastSkipWhitespace()
    return true
  }

  /// Skips buffered whitespace, counting lines. Stops at the 0 sentinel after the buffered
  /// bytes (0 is not whitespace), so it never reads past them.
  @inline(__always)
  private mutating func fastSkipWhitespace() {
    while true {
      let byte = bytes[index]
      if byte > 0x20 { return }
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
}
