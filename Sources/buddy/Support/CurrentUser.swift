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
  /// is not current. With `access` `.read` a multi-host URL may connect to a standby
  /// (``DatabaseOptions/connectMigrated(_:)``), where the session is checked without refreshing
  /// `last_used_at` (a standby takes no writes; the next write refreshes it); workouts waiting
  /// in the outbox make it a write.
  static func require(
    _ database: DatabaseOptions, outbox: OutboxStep, access: DatabaseAccess = .write
  ) throws -> CurrentUser {
    guard let token = SessionFile.load() else { throw AccountError.notLoggedIn }
    let uploads = outbox == .upload && !OutboxSync.outbox.pendingFiles().isEmpty
    let (connection, onStandby) = try database.connectMigrated(uploads ? .write : access)
    // Before authenticating: the upload leaves the connection acting for nobody.
    if outbox == .upload { OutboxSync.uploadQuietly(connection) }
    let store = AccountStore(connection: connection)
    do {
      let authenticated =
        onStandby ? try store.authenticateWithoutRefresh(token) : try store.authenticate(token)
      return CurrentUser(
        connection: connection, store: store, token: token, authenticated: authenticated)
    } catch AccountError.notLoggedIn {
      SessionFile.remove()  // Expired or revoked: the file is of no further use.
      throw AccountError.notLoggedIn
    }
  }
}
