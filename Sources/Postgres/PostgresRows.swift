internal import CLibPQ

/// The rows a statement returned; owns the libpq result and frees it when released.
public final class PostgresRows {
  private let result: OpaquePointer?

  /// How many rows the statement returned.
  public let count: Int
  /// How many columns each row has.
  public let columnCount: Int
  /// The number of rows the command affected (INSERT/UPDATE/DELETE/COPY), when it reports one.
  public let affectedRows: Int?
  /// The command tag of the statement, e.g. `INSERT 0 1` or `COMMIT`.
  public let commandTag: String

  init(result: OpaquePointer?) {
    self.result = result
    count = Int(PQntuples(result))
    columnCount = Int(PQnfields(result))
    let tuples = PQcmdTuples(result).map { String(cString: $0) } ?? ""
    affectedRows = Int(tuples)
    commandTag = PQcmdStatus(result).map { String(cString: $0) } ?? ""
  }

  deinit {
    PQclear(result)
  }

  /// The row at `index` (0-based).
  public subscript(index: Int) -> PostgresRow {
    precondition(index >= 0 && index < count, "row index out of range")
    return PostgresRow(rows: self, index: Int32(index))
  }

  /// The rows in order.
  public var all: [PostgresRow] { (0..<count).map { self[$0] } }

  /// The first row, if any.
  public var first: PostgresRow? { count > 0 ? self[0] : nil }

  /// The name of the column at `column`.
  public func columnName(_ column: Int) -> String {
    PQfname(result, Int32(column)).map { String(cString: $0) } ?? "column \(column + 1)"
  }

  func decode<T: PostgresDecodable>(row: Int32, column: Int, as type: T.Type) throws -> T {
    guard column >= 0 && column < columnCount else {
      throw PostgresError(
        kind: .typeMismatch, message: "column \(column + 1) does not exist (\(columnCount) columns)"
      )
    }
    let field = Int32(column)
    do {
      if PQgetisnull(result, row, field) != 0 { return try T.postgresNull() }
      let length = Int(PQgetlength(result, row, field))
      let type = UInt32(PQftype(result, field))
      let pointer = UnsafeRawPointer(PQgetvalue(result, row, field))
      let bytes = PostgresBytes(buffer: UnsafeRawBufferPointer(start: pointer, count: length))
      return try T(postgresBinary: bytes, type: type)
    } catch {
      throw PostgresError(
        kind: .typeMismatch, message: "column \"\(columnName(column))\" \(error.reason)")
    }
  }

  func columnIndex(named name: String) throws -> Int {
    let index = Int(PQfnumber(result, "\"\(name)\""))
    guard index >= 0 else {
      throw PostgresError(kind: .typeMismatch, message: "no column named \"\(name)\" in the result")
    }
    return index
  }
}

/// One row of a result, read column by column into Swift types.
public struct PostgresRow {
  let rows: PostgresRows
  let index: Int32

  /// Decodes the column at `column` (0-based); use an Optional type for nullable columns.
  public func decode<T: PostgresDecodable>(_ column: Int, as type: T.Type = T.self) throws -> T {
    try rows.decode(row: index, column: column, as: type)
  }

  /// Decodes the column named `name`; use an Optional type for nullable columns.
  public func decode<T: PostgresDecodable>(_ name: String, as type: T.Type = T.self) throws -> T {
    try rows.decode(row: index, column: try rows.columnIndex(named: name), as: type)
  }
}
