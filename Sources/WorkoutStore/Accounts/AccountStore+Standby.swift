extension AccountStore {
  /// Acts for `token` and returns its user and session like ``authenticate(_:)``, but writes
  /// nothing (`last_used_at` stays as it is), so it works on a standby; throws `notLoggedIn`
  /// for an unknown, expired or revoked token or a deactivated account.
  public func authenticateWithoutRefresh(_ token: SessionToken) throws -> Authenticated {
    try authenticate(token, through: "whoami_unrefreshed")
  }
}
