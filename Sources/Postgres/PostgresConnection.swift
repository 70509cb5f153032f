internal import CLibPQ
import Foundation
import Logging

/// One connection to a PostgreSQL server through libpq; owns the `PGconn` and finishes it.
///
/// A connection is not thread-safe: use it from one task or thread at a time.
public final class PostgresConnection {
  private var connection: OpaquePointer?
  private let secrets: [String]
  let logger: Logger

  /// Connects using a `postgresql://` URL or a `key=value` conninfo string.
  ///
  /// An empty string uses libpq's defaults (`PG*` variables, service files, `~/.pgpass`).
  /// `connectTimeout` (seconds, at least 2 as libpq enforces) applies unless the string or
  /// `PGCONNECT_TIMEOUT` sets one. `target` adds `target_session_attrs` when the string names
  /// several hosts and sets no attribute of its own (``SessionTarget/attribute(for:environment:)``).
  public init(
    _ conninfo: String, connectTimeout: Int = 5, applicationName: String = "buddy",
    target: SessionTarget? = nil, logger: Logger
  ) throws {
    self.logger = logger
    secrets = Self.passwords(in: conninfo)
    var keywords: [String] = ["application_name", "client_encoding"]
    var values: [String] = [applicationName, "UTF8"]
    if ProcessInfo.processInfo.environment["PGCONNECT_TIMEOUT"] == nil {
      keywords.append("connect_timeout")
      values.append(String(max(connectTimeout, 2)))
    }
    if !conninfo.isEmpty {
      keywords.append("dbname")
      values.append(conninfo)
    }
    // After `dbname`, so that libpq applies it on top of the expanded URL or conninfo.
    if let attribute = target?.attribute(for: conninfo) {
      keywords.append("target_session_attrs")
      values.append(attribute)
    }
    connection = withCStringArray(keywords) { keywordPointers in
      withCStringArray(values) { valuePointers in
        PQconnectdbParams(keywordPointers, valuePointers, 1)
      }
    }
    guard let connection, PQstatus(connection) == CONNECTION_OK else {
      let message = lastErrorMessage()
      PQfinish(connection)
      self.connection = nil
      throw PostgresError(kind: .connectionFailure, message: message)
    }
    PQsetNoticeProcessor(connection, noticeProcessor, Unmanaged.passUnretained(self).toOpaque())
  }

  deinit {
    PQfinish(connection)
  }

  /// Closes the connection; later calls fail with a connection error.
  public func close() {
    PQfinish(connection)
    connection = nil
  }

  /// The server's version number, e.g. 150018 for 15.18.
  public var serverVersion: Int { Int(PQserverVersion(connection)) }

  /// The host the connection reached: a name or address, or a Unix socket directory.
  public var host: String { PQhost(connection).map { String(cString: $0) } ?? "" }

  /// The server's port, as libpq reports it.
  public var port: String { PQport(connection).map { String(cString: $0) } ?? "" }

  /// The database name of the connection.
  public var databaseName: String { PQdb(connection).map { String(cString: $0) } ?? "" }

  /// The role the connection logged in as.
  public var user: String { PQuser(connection).map { String(cString: $0) } ?? "" }

  /// Whether the connection is encrypted with TLS.
  public var isEncrypted: Bool { PQsslInUse(connection) == 1 }

  /// Whether the connection goes to this machine: a Unix socket, `localhost` or a loopback
  /// address (secrets sent over it never cross a network).
  public var isLocal: Bool { Self.isLocal(host: host) }

  /// Whether `host` (as libpq reports it) names this machine.
  public static func isLocal(host: String) -> Bool {
    if host.isEmpty || host.hasPrefix("/") || host.hasPrefix("@") { return true }
    let name = host.lowercased()
    if name == "localhost" || name.hasSuffix(".localhost") || name == "::1" { return true }
    let parts = name.split(separator: ".", omittingEmptySubsequences: false)
    return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
  }

  /// The SCRAM-SHA-256 verifier of `password` for `role`, made here by libpq
  /// (`PQencryptPasswordConn`), so that `CREATE/ALTER ROLE … PASSWORD` never carries the password.
  public func scramVerifier(password: String, role: String) throws -> String {
    let connection = try liveConnection()
    guard let encrypted = PQencryptPasswordConn(connection, password, role, "scram-sha-256") else {
      throw PostgresError(kind: .other, message: lastErrorMessage())
    }
    defer { PQfreemem(encrypted) }
    return String(cString: encrypted)
  }

  /// Runs one statement with `$1…$n` bind parameters and returns its rows (binary format).
  @discardableResult
  public func query(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) throws
    -> PostgresRows
  {
    let connection = try liveConnection()
    var types: [UInt32] = []
    var texts: [String?] = []
    for parameter in parameters {
      guard let parameter else {
        types.append(0)
        texts.append(nil)
        continue
      }
      let text = parameter.postgresText
      if text.utf8.contains(0) {
        throw PostgresError(
          kind: .typeMismatch, message: "parameter $\(texts.count + 1) contains a NUL byte")
      }
      types.append(type(of: parameter).postgresType)
      texts.append(text)
    }
    let result = withOptionalCStringArray(texts) { valuePointers in
      PQexecParams(
        connection, sql, Int32(texts.count), types, valuePointers, nil, nil, 1)
    }
    return try check(result)
  }

  /// Runs a fixed script of one or more statements without parameters (migrations, setup).
  ///
  /// The SQL is a `StaticString` so that no runtime value can be spliced into it.
  public func execute(script: StaticString) throws {
    let connection = try liveConnection()
    let sql = script.withUTF8Buffer { String(decoding: $0, as: UTF8.self) }
    var result = PQexec(connection, sql)
    var firstError: (any Error)?
    // A multi-statement string yields one result; drain any others to keep the connection clean.
    while let current = result {
      do {
        _ = try check(current)
      } catch {
        firstError = firstError ?? error
      }
      result = PQgetResult(connection)
    }
    if let firstError { throw firstError }
  }

  /// Runs `body` inside a transaction: COMMIT when it returns, ROLLBACK when it throws.
  public func transaction<T>(
    _ isolation: IsolationLevel = .readCommitted, _ body: () throws -> T
  ) throws -> T {
    try query("BEGIN ISOLATION LEVEL \(isolation.sql)")
    let value: T
    do {
      value = try body()
    } catch {
      _ = try? query("ROLLBACK")
      throw error
    }
    let commit = try query("COMMIT")
    if commit.commandTag == "ROLLBACK" {
      throw PostgresError(
        kind: .other, message: "the transaction was rolled back because a statement in it failed")
    }
    return value
  }

  /// Streams rows into `COPY … FROM STDIN` (text format) and returns how many rows were copied.
  ///
  /// When `body` throws, the COPY is aborted and nothing it wrote is kept.
  @discardableResult
  public func copy(_ sql: String, _ body: (inout PostgresCopyWriter) throws -> Void) throws -> Int {
    let connection = try liveConnection()
    let start = PQexec(connection, sql)
    guard PQresultStatus(start) == PGRES_COPY_IN else {
      _ = try check(start)
      throw PostgresError(kind: .other, message: "the statement did not start COPY FROM STDIN")
    }
    PQclear(start)
    var writer = PostgresCopyWriter(connection: self)
    var bodyError: (any Error)?
    do {
      try body(&writer)
      try writer.flush()
    } catch {
      bodyError = error
    }
    let endStatus = PQputCopyEnd(connection, bodyError == nil ? nil : "aborted by the client")
    var resultError: (any Error)?
    var copied = 0
    while let result = PQgetResult(connection) {
      do {
        let rows = try check(result)
        copied = rows.affectedRows ?? copied
      } catch {
        resultError = resultError ?? error
      }
    }
    if let bodyError { throw bodyError }
    if let resultError { throw resultError }
    if endStatus != 1 { throw connectionError() }
    return copied
  }

  func putCopyData(_ bytes: [UInt8]) throws {
    let connection = try liveConnection()
    let status = bytes.withUnsafeBufferPointer { buffer in
      buffer.withMemoryRebound(to: CChar.self) {
        PQputCopyData(connection, $0.baseAddress, Int32($0.count))
      }
    }
    if status != 1 { throw connectionError() }
  }

  func logNotice(_ message: String) {
    logger.notice("\(Redaction.oneLine(Redaction.scrub(message, secrets: secrets)))")
  }

  // MARK: - Results and errors

  private func liveConnection() throws -> OpaquePointer {
    guard let connection else {
      throw PostgresError(kind: .connectionFailure, message: "the connection is closed")
    }
    return connection
  }

  private func check(_ result: OpaquePointer?) throws -> PostgresRows {
    guard let result else { throw connectionError() }
    let status = PQresultStatus(result)
    if status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY {
      return PostgresRows(result: result)
    }
    defer { PQclear(result) }
    let field = { (code: Int32) -> String? in
      PQresultErrorField(result, code).map { String(cString: $0) }
    }
    let sqlState = field(BuddyPGDiagSQLState)
    let message =
      field(BuddyPGDiagMessagePrimary)
      ?? PQresultErrorMessage(result).map { String(cString: $0) } ?? "unknown error"
    var error = PostgresError(
      sqlState: sqlState,
      message: Redaction.oneLine(Redaction.scrub(message, secrets: secrets)),
      detail: field(BuddyPGDiagMessageDetail).map {
        Redaction.oneLine(Redaction.scrub($0, secrets: secrets))
      },
      constraint: field(BuddyPGDiagConstraintName))
    if PQstatus(connection) == CONNECTION_BAD { error.kind = .connectionFailure }
    throw error
  }

  private func connectionError() -> PostgresError {
    PostgresError(kind: .connectionFailure, message: lastErrorMessage())
  }

  private func lastErrorMessage() -> String {
    let raw = connection.flatMap { PQerrorMessage($0) }.map { String(cString: $0) } ?? ""
    let message = Redaction.oneLine(Redaction.scrub(raw, secrets: secrets))
    return message.isEmpty ? "could not connect to the database" : message
  }

  /// The password values a conninfo string or URL carries, so they can be scrubbed from messages.
  private static func passwords(in conninfo: String) -> [String] {
    var found: [String] = []
    if let environment = ProcessInfo.processInfo.environment["PGPASSWORD"] {
      found.append(environment)
    }
    guard !conninfo.isEmpty, let options = PQconninfoParse(conninfo, nil) else { return found }
    defer { PQconninfoFree(options) }
    var option = options
    while let keyword = option.pointee.keyword {
      if String(cString: keyword) == "password", let value = option.pointee.val {
        found.append(String(cString: value))
      }
      option += 1
    }
    return found
  }
}

/// The isolation level of a transaction.
public enum IsolationLevel: Sendable {
  case readCommitted
  case repeatableRead
  case serializable

  var sql: String {
    switch self {
    case .readCommitted: return "READ COMMITTED"
    case .repeatableRead: return "REPEATABLE READ"
    case .serializable: return "SERIALIZABLE"
    }
  }
}

private func noticeProcessor(context: UnsafeMutableRawPointer?, message: UnsafePointer<CChar>?) {
  guard let context, let message else { return }
  let connection = Unmanaged<PostgresConnection>.fromOpaque(context).takeUnretainedValue()
  connection.logNotice(String(cString: message))
}
