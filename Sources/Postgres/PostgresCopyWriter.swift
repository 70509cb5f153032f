/// Writes rows in COPY's text format, sending them to the server in large chunks.
public struct PostgresCopyWriter {
  private let connection: PostgresConnection
  private var buffer: [UInt8] = []
  private let chunkSize = 1 << 16

  init(connection: PostgresConnection) {
    self.connection = connection
    buffer.reserveCapacity(chunkSize + 1024)
  }

  /// Appends one row; `nil` fields are NULL.
  public mutating func append(_ fields: [(any PostgresEncodable)?]) throws {
    for (index, field) in fields.enumerated() {
      if index > 0 { buffer.append(UInt8(ascii: "\t")) }
      guard let field else {
        buffer.append(UInt8(ascii: "\\"))
        buffer.append(UInt8(ascii: "N"))
        continue
      }
      for byte in field.postgresText.utf8 {
        switch byte {
        case UInt8(ascii: "\\"):
          buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
        case UInt8(ascii: "\t"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
        case UInt8(ascii: "\n"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
        case UInt8(ascii: "\r"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
        case 0:
          throw PostgresError(kind: .typeMismatch, message: "a COPY field contains a NUL byte")
        default: buffer.append(byte)
        }
      }
    }
    buffer.append(UInt8(ascii: "\n"))
    if buffer.count >= chunkSize { try flush() }
  }

  mutating func flush() throws {
    guard !buffer.isEmpty else { return }
    try connection.putCopyData(buffer)
    buffer.removeAll(keepingCapacity: true)
  }
}
