import Postgres
import WorkoutStore

/// The logged-in user of a command: the saved token resolved through the database.
struct CurrentUser {
  let connection: PostgresConnection
  let store: AccountStore
  let token: SessionToken
  let authenticated: Authenticated

  var user: User { authenticated.user }
  var session: Session { authenticated.session }

  /// Resolves the session file; exit 77 when there is no valid session, 69 when the database
  /// cannot be reached, 78 when its schema is not current.
  static func require(_ database: DatabaseOptions) throws -> CurrentUser {
    guard let token = SessionFile.load() else { throw AccountError.notLoggedIn }
    let connection = try database.connectMigrated()
    let store = AccountStore(connection: connection)
    do {
      let authenticated = try store.authenticate(token)
      return CurrentUser(
        connection: connection, store: store, token: token, authenticated: authenticated)
    } catch AccountError.notLoggedIn {
      SessionFile.remove()  // Expired or revoked: the file is of no further use.
      throw AccountError.notLoggedIn
    }
  }
}
