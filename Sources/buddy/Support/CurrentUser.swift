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

  /// Whether a command uploads the workouts saved offline before it goes on.
  enum OutboxStep {
    /// Upload them quietly (`OutboxSync.uploadQuietly`): commands that read or write workouts,
    /// and those that end sessions (an entry waits for the session that recorded it).
    case upload
    /// Leave them pending.
    case leavePending
  }

  /// Resolves the session file, uploading the outbox first when `outbox` is `.upload`; exit 77
  /// when there is no valid session, 69 when the database cannot be reached, 78 when its schema
  /// is not current.
  static func require(_ database: DatabaseOptions, outbox: OutboxStep) throws -> CurrentUser {
    guard let token = SessionFile.load() else { throw AccountError.notLoggedIn }
    let connection = try database.connectMigrated()
    // Before authenticating: the upload leaves the connection acting for nobody.
    if outbox == .upload { OutboxSync.uploadQuietly(connection) }
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
