import Postgres

extension AccountStore {
  /// Acts for `token` and returns its user and session like ``authenticate(_:)``, but writes
  /// nothing (`last_used_at` stays as it is), so it works on a standby; throws `notLoggedIn`
  /// for an unknown, expired or revoked token or a deactivated account.
  public func authenticateWithoutRefresh(_ token: SessionToken) throws -> Authenticated {
    try use(token)
    let rows = try connection.query(
      """
      SELECT user_id, email, username, is_active, user_created_at,
        session_id, label, session_created_at, expires_at, last_used_at
      FROM buddy_api.whoami_unrefreshed()
      """)
    guard let row = rows.first else { throw AccountError.notLoggedIn }
    return Authenticated(
      user: try Self.user(row, offset: 0), session: try Self.session(row, offset: 5))
  }
}
