import Foundation
import Logging
import Postgres
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Connections, failures and notices", .enabled(if: TestDatabase.isAvailable))
struct ConnectionTests {
  private var tcpPort: String? { ProcessInfo.processInfo.environment["BUDDY_TEST_TCP_PORT"] }

  @Test func aWrongPasswordFailsWithoutRevealingIt() throws {
    let port = try #require(tcpPort)
    let database = try TestDatabase.create()
    defer { database.drop() }
    let admin = try database.connect()
    let role = "pw_\(UUID().uuidString.prefix(8).lowercased())"
    try admin.query("CREATE ROLE \(role) LOGIN PASSWORD 'right-horse-battery'")
    defer { _ = try? admin.query("DROP ROLE IF EXISTS \(role)") }
    let secret = "Wr0ng-Secret-Password"
    let url = "postgresql://\(role):\(secret)@127.0.0.1:\(port)/\(database.name)"
    let started = Date()
    let error = try #require(throws: PostgresError.self) {
      _ = try PostgresConnection(url, connectTimeout: 3, logger: Logger(label: "test"))
    }
    #expect(Date().timeIntervalSince(started) < 5)
    #expect(error.kind == .connectionFailure)
    #expect(error.description.contains("password authentication failed"))
    #expect(!error.description.contains(secret))
    let right = "postgresql://\(role):right-horse-battery@127.0.0.1:\(port)/\(database.name)"
    let connection = try PostgresConnection(right, logger: Logger(label: "test"))
    #expect(try connection.query("SELECT current_user")[0].decode(0, as: String.self) == role)
  }

  @Test func aServerThatNeverAnswersFailsWithinTheTimeout() throws {
    let listener = try SilentListener()
    defer { listener.close() }
    let secret = "Hidden-Pass-42"
    let url = "postgresql://someone:\(secret)@127.0.0.1:\(listener.port)/db"
    let started = Date()
    let error = try #require(throws: PostgresError.self) {
      _ = try PostgresConnection(url, connectTimeout: 2, logger: Logger(label: "test"))
    }
    let elapsed = Date().timeIntervalSince(started)
    #expect(elapsed >= 1.5 && elapsed < 6, "took \(elapsed) s")
    #expect(error.kind == .connectionFailure)
    #expect(error.description.contains("timeout"))
    #expect(!error.description.contains(secret))
  }

  @Test func aMissingSocketFailsAtOnceWithOneLine() throws {
    let error = try #require(throws: PostgresError.self) {
      _ = try PostgresConnection(
        "postgresql:///db?host=/nonexistent-buddy-dir", logger: Logger(label: "test"))
    }
    #expect(error.kind == .connectionFailure)
    #expect(!error.description.contains("\n"))
  }

  @Test func aKilledBackendIsAConnectionFailure() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let victim = try database.connect()
    let pid = try victim.query("SELECT pg_backend_pid()")[0].decode(0, as: Int.self)
    let admin = try database.connect()
    try admin.query("SELECT pg_terminate_backend($1::int)", [pid])
    Thread.sleep(forTimeInterval: 0.2)
    let error = try #require(throws: PostgresError.self) { try victim.query("SELECT 1") }
    #expect(error.kind == .connectionFailure)
  }

  @Test func noticesGoToTheLogger() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let recorder = RecordingLogHandler.Store()
    let logger = Logger(label: "test") { _ in RecordingLogHandler(store: recorder) }
    let connection = try PostgresConnection(database.url, logger: logger)
    try connection.execute(script: "DO $$ BEGIN RAISE NOTICE 'hello from the server'; END $$")
    #expect(recorder.messages.contains { $0.contains("hello from the server") })
  }

  @Test func urlPasswordsAreRedacted() {
    #expect(
      Redaction.redactingPasswords(
        "postgresql://ann:s3cret@db.example.com:5432/x?sslmode=require")
        == "postgresql://ann:***@db.example.com:5432/x?sslmode=require")
    #expect(
      Redaction.redactingPasswords("postgresql:///buddy?host=/tmp")
        == "postgresql:///buddy?host=/tmp")
    #expect(Redaction.redactingPasswords("postgres://ann@h/db") == "postgres://ann@h/db")
  }
}

/// A TCP listener on 127.0.0.1 that accepts nothing and says nothing.
private struct SilentListener {
  let descriptor: Int32
  let port: Int

  init() throws {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0, listen(fd, 8) == 0 else {
      throw PostgresError(kind: .other, message: "cannot listen on 127.0.0.1")
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    descriptor = fd
    port = Int(UInt16(bigEndian: address.sin_port))
  }

  func close() {
    _ = Glibc.close(descriptor)
  }
}

/// Collects log messages for inspection.
private struct RecordingLogHandler: LogHandler {
  final class Store: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    var messages: [String] { lock.withLock { stored } }
    func add(_ message: String) { lock.withLock { stored.append(message) } }
  }

  let store: Store
  var metadata: Logger.Metadata = [:]
  var logLevel: Logger.Level = .trace

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    store.add("\(event.message)")
  }
}
