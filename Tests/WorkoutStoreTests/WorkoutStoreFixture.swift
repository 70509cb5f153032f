import Foundation
import Postgres
import TestSupport
import WorkoutStore

/// A migrated test database with users inserted directly (no bcrypt cost).
struct WorkoutStoreFixture {
  let database: TestDatabase
  let connection: PostgresConnection

  init() throws {
    database = try TestDatabase.create()
    connection = try database.connect()
    try SchemaMigrator(connection: connection).migrate()
  }

  func addUser(_ name: String) throws -> UUID {
    try connection.query(
      "INSERT INTO users (email, username, hashed_password) VALUES ($1, $2, 'x') RETURNING id",
      ["\(name)@example.com", name])[0].decode(0, as: UUID.self)
  }

  func workouts(of user: UUID) -> WorkoutRepository {
    WorkoutRepository(connection: connection, userID: user)
  }

  func close() { database.drop() }

  /// The instant of a local wall-clock time in an IANA zone.
  static func instant(_ local: String, in zone: String) -> Date {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: zone)
    formatter.dateFormat = "yyyy-MM-dd HH:mm"
    return formatter.date(from: local) ?? .distantPast
  }
}
