import Foundation
import Postgres
import TestSupport
import WorkoutStore

/// A migrated test database set up as a shared server, with users registered and logged in
/// through the client role (row-level security in force), as `buddy` uploads the outbox.
struct SignedInDatabase {
  /// One signed-in user.
  struct Member {
    var id: UUID
    var token: SessionToken
  }

  let database: TestDatabase
  /// A superuser connection (sees every row).
  let admin: PostgresConnection
  private let clientURL: String

  init() throws {
    database = try TestDatabase.create(prefix: "rec")
    do {
      admin = try database.connect()
      try SchemaMigrator(connection: admin).migrate()
      let setup = ServerSetup(connection: admin)
      _ = try setup.ensureClientRole(name: "buddy_client", password: nil)
      clientURL = setup.clientURL(role: "buddy_client")
    } catch {
      database.drop()
      throw error
    }
  }

  /// A new connection as the client role, acting for nobody.
  func client() throws -> PostgresConnection {
    try PostgresConnection(clientURL, logger: TestDatabase.quietLogger)
  }

  /// Registers and logs in `name`.
  func member(_ name: String) throws -> Member {
    let accounts = AccountStore(connection: try client())
    let user = try accounts.register(
      email: "\(name)@example.org", username: name, password: "correct horse battery")
    let login = try accounts.login(
      identifier: name, password: "correct horse battery", label: "test")
    return Member(id: user.id, token: login.token)
  }

  /// The single integer an administrator's query returns.
  func count(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) throws -> Int {
    try admin.query(sql, parameters)[0].decode(0, as: Int.self)
  }

  func close() { database.drop() }
}
