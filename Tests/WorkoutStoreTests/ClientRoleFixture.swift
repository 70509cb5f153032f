import Foundation
import Postgres
import TestSupport
import WorkoutStore

/// A migrated test database set up as a shared server (`ServerSetup`): an administrator's
/// connection, and connections as the client role `buddy_client`, which users hold.
///
/// Users are made through the account API as a client would (bcrypt cost 12, so each costs
/// about a quarter of a second).
struct ClientRoleFixture {
  /// One user as the tests know them.
  struct Member {
    var id: UUID
    var username: String
    var email: String
    var password: String
    var token: SessionToken
  }

  static let clientRole = "buddy_client"

  let database: TestDatabase
  /// A superuser connection (bypasses row-level security).
  let admin: PostgresConnection
  /// The URL of the client role (Unix socket, trust authentication on the test cluster).
  let clientURL: String

  init() throws {
    database = try TestDatabase.create()
    do {
      admin = try database.connect()
      try SchemaMigrator(connection: admin).migrate()
      let setup = ServerSetup(connection: admin)
      _ = try setup.ensureClientRole(name: Self.clientRole, password: nil)
      clientURL = setup.clientURL(role: Self.clientRole)
    } catch {
      database.drop()
      throw error
    }
  }

  /// A new connection as the client role, acting for `token` when given.
  func client(_ token: SessionToken? = nil) throws -> PostgresConnection {
    let connection = try PostgresConnection(clientURL, logger: TestDatabase.quietLogger)
    if let token { try AccountStore(connection: connection).use(token) }
    return connection
  }

  /// Registers and logs in `name` through the client role.
  func member(_ name: String, password: String = "correct horse battery") throws -> Member {
    let accounts = AccountStore(connection: try client())
    let email = "\(name)@example.org"
    let user = try accounts.register(email: email, username: name, password: password)
    let login = try accounts.login(identifier: name, password: password, label: "test")
    return Member(
      id: user.id, username: name, email: email, password: password, token: login.token)
  }

  /// The single integer an administrator's query returns.
  func count(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) throws -> Int {
    try admin.query(sql, parameters)[0].decode(0, as: Int.self)
  }

  func close() { database.drop() }
}
