/// A position in the write-ahead log, PostgreSQL's `pg_lsn`: written `X/Y`, two hexadecimal
/// numbers of at most 8 digits each (the high and low 32 bits).
public struct WALPosition: Comparable, Hashable, Sendable, CustomStringConvertible {
  /// The position as one 64-bit number.
  public let value: UInt64

  public init(value: UInt64) { self.value = value }

  /// Parses `X/Y` as PostgreSQL prints it; nil for anything else (empty parts, more than 8
  /// digits a part, other characters, surrounding text). Surrounding whitespace is ignored.
  public init?(_ text: String) {
    let trimmed = text.trimmingWhitespace()
    let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2,
      parts.allSatisfy({ (1...8).contains($0.count) && $0.allSatisfy(\.isPlainHexDigit) }),
      let high = UInt64(parts[0], radix: 16), let low = UInt64(parts[1], radix: 16)
    else { return nil }
    value = high << 32 | low
  }

  /// `X/Y` with upper-case digits, as PostgreSQL prints it.
  public var description: String {
    String(value >> 32, radix: 16, uppercase: true) + "/"
      + String(value & 0xFFFF_FFFF, radix: 16, uppercase: true)
  }

  public static func < (lhs: WALPosition, rhs: WALPosition) -> Bool { lhs.value < rhs.value }
}

extension Character {
  /// 0-9, a-f or A-F (not the fullwidth forms `isHexDigit` also accepts).
  fileprivate var isPlainHexDigit: Bool { isASCII && isHexDigit }
}

extension String {
  fileprivate func trimmingWhitespace() -> Substring {
    guard let first = firstIndex(where: { !$0.isWhitespace }),
      let last = lastIndex(where: { !$0.isWhitespace })
    else { return "" }
    return self[first...last]
  }
}
