import Foundation

/// A Swift value that can be sent to the server as a statement parameter or a COPY field.
///
/// Parameters travel in PostgreSQL's text format with an explicit type where one is known, so the
/// same representation serves bind parameters and `COPY … FROM STDIN`.
public protocol PostgresEncodable {
  /// The parameter's type OID, or 0 to let the server infer it from the statement.
  static var postgresType: UInt32 { get }
  /// The value in PostgreSQL's text input format.
  var postgresText: String { get }
}

extension String: PostgresEncodable {
  public static var postgresType: UInt32 { 0 }
  public var postgresText: String { self }
}

extension Int: PostgresEncodable {
  public static var postgresType: UInt32 { PostgresType.int8 }
  public var postgresText: String { String(self) }
}

extension Int32: PostgresEncodable {
  public static var postgresType: UInt32 { PostgresType.int4 }
  public var postgresText: String { String(self) }
}

extension Double: PostgresEncodable {
  public static var postgresType: UInt32 { PostgresType.float8 }
  public var postgresText: String {
    if isNaN { return "NaN" }
    if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
    return description
  }
}

extension Bool: PostgresEncodable {
  public static var postgresType: UInt32 { PostgresType.bool }
  public var postgresText: String { self ? "t" : "f" }
}

extension UUID: PostgresEncodable {
  public static var postgresType: UInt32 { PostgresType.uuid }
  public var postgresText: String { uuidString.lowercased() }
}

extension Date: PostgresEncodable {
  public static var postgresType: UInt32 { PostgresType.timestamptz }
  public var postgresText: String { PostgresTimestamp.text(for: self) }
}

extension [UInt8]: PostgresEncodable {
  public static var postgresType: UInt32 { PostgresType.bytea }
  public var postgresText: String {
    let digits = Array("0123456789abcdef".utf8)
    var text = [UInt8](repeating: 0, count: 2 + count * 2)
    text[0] = UInt8(ascii: "\\")
    text[1] = UInt8(ascii: "x")
    for (index, byte) in enumerated() {
      text[2 + index * 2] = digits[Int(byte >> 4)]
      text[3 + index * 2] = digits[Int(byte & 0x0f)]
    }
    return String(decoding: text, as: UTF8.self)
  }
}

/// JSON text sent to or read from a `json`/`jsonb` column.
public struct PostgresJSON: PostgresEncodable, Sendable, Equatable {
  /// The JSON document as text.
  public var text: String

  /// Wraps JSON text.
  public init(_ text: String) {
    self.text = text
  }

  public static var postgresType: UInt32 { 0 }
  public var postgresText: String { text }
}

/// The type OIDs that this wrapper knows.
public enum PostgresType {
  public static let bool: UInt32 = 16
  public static let bytea: UInt32 = 17
  public static let name: UInt32 = 19
  public static let int8: UInt32 = 20
  public static let int2: UInt32 = 21
  public static let int4: UInt32 = 23
  public static let text: UInt32 = 25
  public static let oid: UInt32 = 26
  public static let json: UInt32 = 114
  public static let float4: UInt32 = 700
  public static let float8: UInt32 = 701
  public static let unknown: UInt32 = 705
  public static let bpchar: UInt32 = 1042
  public static let varchar: UInt32 = 1043
  public static let date: UInt32 = 1082
  public static let timestamp: UInt32 = 1114
  public static let timestamptz: UInt32 = 1184
  public static let numeric: UInt32 = 1700
  public static let uuid: UInt32 = 2950
  public static let jsonb: UInt32 = 3802
}
