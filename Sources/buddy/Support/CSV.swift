import Foundation

/// RFC 4180 CSV fields.
enum CSV {
  /// One record: fields joined with commas, quoted when needed, CRLF-terminated.
  static func record(_ fields: [String]) -> String {
    fields.map(field).joined(separator: ",") + "\r\n"
  }

  /// `value`, quoted (quotes doubled) when it holds a comma, quote, CR or LF; byte by byte, so
  /// a CRLF pair (one `Character`) counts too and a long field costs one pass.
  static func field(_ value: String) -> String {
    let special: (UInt8) -> Bool = { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
    guard value.utf8.contains(where: special) else { return value }
    var bytes: [UInt8] = [0x22]
    bytes.reserveCapacity(value.utf8.count + 16)
    for byte in value.utf8 {
      if byte == 0x22 { bytes.append(0x22) }
      bytes.append(byte)
    }
    bytes.append(0x22)
    return String(decoding: bytes, as: UTF8.self)
  }
}
