import Foundation

/// A Swift value that can be read from a result column sent in PostgreSQL's binary format.
public protocol PostgresDecodable {
  /// Decodes a non-NULL value of the server type `type`; throws when the types do not fit.
  init(postgresBinary bytes: PostgresBytes, type: UInt32) throws(PostgresDecodingError)
  /// The value for SQL NULL; throws unless the type is optional.
  static func postgresNull() throws(PostgresDecodingError) -> Self
}

extension PostgresDecodable {
  public static func postgresNull() throws(PostgresDecodingError) -> Self {
    throw PostgresDecodingError(reason: "is NULL")
  }
}

/// Why a column could not be decoded (wrapped into a `PostgresError` with the column's name).
public struct PostgresDecodingError: Error, Sendable {
  /// The reason, e.g. "is NULL" or "has type int4, not Bool".
  public var reason: String

  static func mismatch(_ type: UInt32, _ swiftType: Any.Type) -> Self {
    Self(reason: "has type OID \(type), which does not decode as \(swiftType)")
  }
}

/// The raw bytes of one binary-format column value, valid while its result is alive.
public struct PostgresBytes {
  let buffer: UnsafeRawBufferPointer

  var count: Int { buffer.count }

  /// Reads a big-endian integer at `offset`.
  func integer<T: FixedWidthInteger>(at offset: Int = 0, as: T.Type = T.self)
    throws(PostgresDecodingError) -> T
  {
    guard offset >= 0, offset + MemoryLayout<T>.size <= buffer.count else {
      throw PostgresDecodingError(reason: "is too short for \(T.self)")
    }
    var value: T = 0
    for index in 0..<MemoryLayout<T>.size {
      value = value << 8 | T(truncatingIfNeeded: buffer[offset + index])
    }
    return value
  }

  var string: String { String(decoding: buffer, as: UTF8.self) }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
  public init(postgresBinary bytes: PostgresBytes, type: UInt32) throws(PostgresDecodingError) {
    self = .some(try Wrapped(postgresBinary: bytes, type: type))
  }

  public static func postgresNull() throws(PostgresDecodingError) -> Self { nil }
}

extension String: PostgresDecodable {
  public init(postgresBinary bytes: PostgresBytes, type: UInt32) throws(PostgresDecodingError) {
    switch type {
    case PostgresType.text, PostgresType.varchar, PostgresType.bpchar, PostgresType.name,
      PostgresType.unknown, PostgresType.json:
      self = bytes.string
    case PostgresType.jsonb:
      guard bytes.count >= 1, bytes.buffer[0] == 1 else {
        throw PostgresDecodingError(reason: "is jsonb in an unknown binary version")
      }
      self = String(decoding: UnsafeRawBufferPointer(rebasing: bytes.buffer[1...]), as: UTF8.self)
    case PostgresType.uuid:
      self = try UUID(postgresBinary: bytes, type: type).postgresText
    case PostgresType.numeric:
      self = try PostgresNumeric(bytes).text
    default:
      throw .mismatch(type, String.self)
    }
  }
}

extension PostgresJSON: PostgresDecodable {
  public init(postgresBinary bytes: PostgresBytes, type: UInt32) throws(PostgresDecodingError) {
    guard type == PostgresType.json || type == PostgresType.jsonb else {
      throw .mismatch(type, PostgresJSON.self)
    }
    self.init(try String(postgresBinary: bytes, type: type))
  }
}

extension Int: PostgresDecodable {
  public init(postgresBinary bytes: PostgresBytes, type: UInt32) throws(PostgresDecodingError) {
    switch type {
    case PostgresType.int2: self = Int(try bytes.integer(as: Int16.self))
    case PostgresType.int4: self = Int(try bytes.integer(as: Int32.self))
    case PostgresType.int8: self = Int(try bytes.integer(as: Int64.self))
    case PostgresType.oid: self = Int(try bytes.integer(as: UInt32.self))
    case PostgresType.numeric:
      let numeric = try PostgresNumeric(bytes)
      guard let value = Int(numeric.text) else {
        throw PostgresDecodingError(reason: "is numeric \(numeric.text), not an integer")
      }
      self = value
    default: throw .mismatch(type, Int.self)
    }
  }
}

extension Int32: PostgresDecodable {
  public init(postgresBinary bytes: PostgresBytes, type: UInt32) throws(PostgresDecodingError) {
    let wide = try Int(postgresBinary: bytes, type: type)
    guard let value = Int32(exactly: wide) else {
      throw PostgresDecodingError(reason: "value \(wide) does not fit Int32")
    }
    self = value
  }
}

extension Double: PostgresDecodable {
  public init(postgresBinary bytes: PostgresBytes, type: UInt32) throws(PostgresDecodingError) {
    switch type {
    case PostgresType.float8: self = Double(bitPattern: try bytes.integer(as: UInt64.self))
    case PostgresType.float4: self = Double(Float(bitPattern: try bytes.integer(as: UInt32.self)))
    case PostgresType.int2, PostgresType.int4, PostgresType.int8:
      self = Double(try Int(postgresBinary: bytes, type: type))
    case PostgresType.numeric:
      let numeric = try PostgresNumeric(bytes)
      guard let value = Double(numeric.text) else {
        throw PostgresDecodingError(reason: "is numeric \(numeric.text), not a Double")
      }
      self = value
    default: throw .mismatch(type, Double.self)
    }
  }
}

extension Bool: PostgresDecodable {
  public init(postgresBinary bytes: PostgresBytes, type: UInt32) throws(PostgresDecodingError) {
    guard type == PostgresType.bool else { throw .mismatch(type, Bool.self) }
    self = try bytes.integer(as: UInt8.self) != 0
  }
}

extension UUID: PostgresDecodable {
  public init(postgresBinary bytes: PostgresBytes, type: UInt32) throws(PostgresDecodingError) {
    guard type == PostgresType.uuid, bytes.count == 16 else { throw .mismatch(type, UUID.self) }
    let b = bytes.buffer
    self = UUID(
      uuid: (
        b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
        b[14], b[15]
      ))
  }
}

extension Date: PostgresDecodable {
  public init(postgresBinary bytes: PostgresBytes, type: UInt32) throws(PostgresDecodingError) {
    switch type {
    case PostgresType.timestamptz, PostgresType.timestamp:
      self = PostgresTimestamp.date(microsecondsSince2000: try bytes.integer(as: Int64.self))
    case PostgresType.date:
      let days = try bytes.integer(as: Int32.self)
      if days == .max {
        self = .distantFuture
      } else if days == .min {
        self = .distantPast
      } else {
        self = Date(timeIntervalSince1970: PostgresTimestamp.epochOffset + Double(days) * 86_400)
      }
    default: throw .mismatch(type, Date.self)
    }
  }
}

extension [UInt8]: PostgresDecodable {
  public init(postgresBinary bytes: PostgresBytes, type: UInt32) throws(PostgresDecodingError) {
    guard type == PostgresType.bytea else { throw .mismatch(type, [UInt8].self) }
    self = Array(bytes.buffer)
  }
}
