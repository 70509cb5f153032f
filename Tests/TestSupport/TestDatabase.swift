import Foundation
import Logging
import Postgres

/// A throwaway database on the test cluster that `scripts/test.sh` starts.
///
/// `BUDDY_TEST_DATABASE_URL` names a superuser connection to the cluster's `postgres` database;
/// each `TestDatabase` creates its own database from it and drops it on `drop()`.
public struct TestDatabase: Sendable {
  /// The admin URL of the test cluster.
  public static var adminURL: String? {
    ProcessInfo.processInfo.environment["BUDDY_TEST_DATABASE_URL"]
  }

  /// Whether tests that need PostgreSQL can run.
  public static var isAvailable: Bool { adminURL != nil }

  /// A logger that drops everything (server NOTICEs included).
  public static let quietLogger = Logger(label: "test") { SwiftLogNoOpLogHandler($0) }

  /// The new database's name.
  public let name: String
  /// A URL for the new database.
  public let url: String

  /// Creates a fresh, empty database with a unique name.
  public static func create(prefix: String = "t") throws -> TestDatabase {
    guard let admin = adminURL else {
      throw PostgresError(
        kind: .connectionFailure, message: "BUDDY_TEST_DATABASE_URL is not set; run scripts/test.sh"
      )
    }
    let name = "\(prefix)_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
    let connection = try PostgresConnection(admin, logger: Self.quietLogger)
    // A database name cannot be a bind parameter; `name` is built above from a UUID only.
    try connection.query("CREATE DATABASE \(name)")
    return TestDatabase(name: name, url: Self.url(admin, database: name))
  }

  /// Drops the database, disconnecting anyone still on it.
  public func drop() {
    guard let admin = Self.adminURL,
      let connection = try? PostgresConnection(admin, logger: Self.quietLogger)
    else { return }
    _ = try? connection.query("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
  }

  /// The single integer a query returns, e.g. `SELECT count(*) FROM workouts`.
  public func count(_ sql: String = "SELECT count(*) FROM workouts") throws -> Int {
    try connect().query(sql)[0].decode(0, as: Int.self)
  }

  /// Opens a connection to this database.
  public func connect() throws -> PostgresConnection {
    try PostgresConnection(url, logger: Self.quietLogger)
  }

  /// `admin` with its database path replaced by `database`.
  public static func url(_ admin: String, database: String) -> String {
    guard let schemeEnd = admin.range(of: "://") else { return admin + " dbname=\(database)" }
    let afterScheme = admin[schemeEnd.upperBound...]
    let pathStart = afterScheme.firstIndex(of: "/")
    let queryStart = afterScheme.firstIndex(of: "?")
    let authorityEnd = pathStart ?? queryStart ?? afterScheme.endIndex
    let rest = queryStart.map { String(afterScheme[$0...]) } ?? ""
    return String(admin[..<authorityEnd]) + "/" + database + rest
  }
}
