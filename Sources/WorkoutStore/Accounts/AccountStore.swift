import Foundation
import Postgres

/// Accounts and login sessions, through the `buddy_api` functions of the database (schema v2):
/// the database checks passwords, throttles logins and decides whose rows a connection sees, so
/// the same calls are safe on a shared server where every user holds a database credential.
///
/// A connection acts for the user whose session token it set (`use(_:)`, done by
/// `authenticate(_:)`); the token travels only as a bind parameter.
public struct AccountStore {
  let connection: PostgresConnection

  public init(connection: PostgresConnection) {
    self.connection = connection
  }

  // MARK: - Registration

  /// Creates an active account; it does not log in. Throws `emailTaken`/`usernameTaken` without
  /// writing anything when either is in use (email compared case-insensitively). The password is
  /// hashed here (bcrypt cost 12) and only the hash is sent.
  @discardableResult
  public func register(email: String, username: String, password: String) throws -> User {
    try AccountRules.validateEmail(email)
    try AccountRules.validateUsername(username)
    try AccountRules.validatePassword(password)
    let hash = try PasswordHasher.hash(password)
    do {
      let row = try connection.query(
        "SELECT id, email, username, is_active, created_at FROM buddy_api.register($1, $2, $3)",
        [email, username, hash])[0]
      return try Self.user(row, offset: 0)
    } catch let error as PostgresError where error.kind == .uniqueViolation {
      throw error.constraint == "idx_users_email"
        ? AccountError.emailTaken : AccountError.usernameTaken
    }
  }

  // MARK: - Login

  /// Checks the password of `identifier` (username, or email in any letter case) and opens a
  /// session. The database records every attempt and throttles (5 failures in 15 minutes lock
  /// the account for 15 minutes); the check and its outcome are two transactions, so the record
  /// of an attempt is committed before its outcome is known.
  public func login(identifier: String, password: String, label: String) throws -> Login {
    let claim = try checkPassword(identifier: identifier, password: password, label: label)
    let row = try connection.query(
      """
      SELECT outcome, token, user_id, email, username, is_active, user_created_at,
        session_id, label, session_created_at, expires_at, last_used_at
      FROM buddy_api.login_result($1)
      """, [claim])[0]
    switch try row.decode(0, as: String.self) {
    case "success":
      guard let token = SessionToken(hex: try row.decode(1, as: String.self)) else {
        throw PostgresError(kind: .typeMismatch, message: "the server sent a malformed token")
      }
      try use(token)
      return Login(
        token: token, user: try Self.user(row, offset: 2),
        session: try Self.session(row, offset: 7))
    case "inactive": throw AccountError.deactivated
    case "wrong_credentials": throw AccountError.wrongCredentials
    case let other:
      throw PostgresError(kind: .other, message: "unexpected login outcome \(other)")
    }
  }

  /// Step 1 of a login: the database checks the password, throttles and records the attempt,
  /// and answers with a one-time claim whose outcome only a later transaction can learn.
  func checkPassword(identifier: String, password: String, label: String) throws
    -> String
  {
    let attempt = try connection.query(
      "SELECT outcome, claim, locked_until FROM buddy_api.login($1, $2, $3)",
      [identifier, password, String(label.prefix(255))])[0]
    let outcome: String = try attempt.decode(0)
    if outcome == "throttled" {
      throw AccountError.throttled(until: try attempt.decode(2, as: Date.self))
    }
    guard outcome == "checked", let claim = try attempt.decode(1, as: String?.self) else {
      throw PostgresError(kind: .other, message: "unexpected login outcome \(outcome)")
    }
    return claim
  }

  // MARK: - Sessions

  /// Makes this connection act for the session of `token` (nil: for nobody). Row-level security
  /// and the account functions read it; the token is sent as a bind parameter only.
  public func use(_ token: SessionToken?) throws {
    try connection.query(
      "SELECT set_config('buddy.session_token', $1, false)", [token?.hex ?? ""])
  }

  /// Acts for `token` and returns its user and session, refreshing `last_used_at`; throws
  /// `notLoggedIn` for an unknown, expired or revoked token or a deactivated account.
  public func authenticate(_ token: SessionToken) throws -> Authenticated {
    try authenticate(token, through: "whoami")
  }

  /// Acts for `token` and returns the user and session that `buddy_api.<function>()` (whoami or
  /// whoami_unrefreshed, the same columns) gives; throws `notLoggedIn` when it gives none.
  func authenticate(_ token: SessionToken, through function: StaticString) throws
    -> Authenticated
  {
    try use(token)
    let rows = try connection.query(
      """
      SELECT user_id, email, username, is_active, user_created_at,
        session_id, label, session_created_at, expires_at, last_used_at
      FROM buddy_api.\(function)()
      """)
    guard let row = rows.first else { throw AccountError.notLoggedIn }
    return Authenticated(
      user: try Self.user(row, offset: 0), session: try Self.session(row, offset: 5))
  }

  /// The user the connection's session belongs to, if it is valid (unexpired, not revoked,
  /// account active); nil otherwise.
  public func currentUserID() throws -> UUID? {
    try connection.query("SELECT buddy_api.current_account_id()")[0].decode(0, as: UUID?.self)
  }

  /// Ends the session of `token` (no error when it is already gone); the connection then acts
  /// for nobody.
  public func logout(_ token: SessionToken) throws {
    try use(token)
    try connection.query("SELECT buddy_api.logout()")
    try use(nil)
  }

  /// The unexpired sessions of the connection's user, newest first.
  public func sessions() throws -> [Session] {
    try connection.query(
      "SELECT id, label, created_at, expires_at, last_used_at FROM buddy_api.sessions()"
    ).all.map { try Self.session($0, offset: 0) }
  }

  /// Revokes the session of the connection's user whose id starts with `idPrefix` (at least 4
  /// hex digits) and returns its id.
  public func revokeSession(idPrefix: String) throws -> UUID {
    let prefix = idPrefix.lowercased()
    let matches = try sessions().filter { $0.id.uuidString.lowercased().hasPrefix(prefix) }
    guard prefix.count >= 4, !matches.isEmpty else { throw AccountError.sessionNotFound(idPrefix) }
    guard matches.count == 1 else { throw AccountError.ambiguousSession(idPrefix) }
    let revoked = try connection.query(
      "SELECT buddy_api.revoke_session($1)", [matches[0].id])[0].decode(0, as: Bool.self)
    guard revoked else { throw AccountError.sessionNotFound(idPrefix) }
    return matches[0].id
  }

  /// Revokes every session of the connection's user except its own; returns how many.
  @discardableResult
  public func revokeOtherSessions() throws -> Int {
    try connection.query("SELECT buddy_api.revoke_other_sessions()")[0].decode(0, as: Int.self)
  }

  // MARK: - Password and deactivation

  /// Replaces the password of the connection's user (`username`) after the database checked the
  /// current one (as a login: throttled and recorded), and revokes every other session. Returns
  /// how many sessions were revoked.
  public func changePassword(username: String, current: String, new: String) throws -> Int {
    try AccountRules.validatePassword(new)
    let hash = try PasswordHasher.hash(new)
    let claim = try checkPassword(identifier: username, password: current, label: "passwd")
    let row = try connection.query(
      "SELECT outcome, revoked FROM buddy_api.change_password($1, $2)", [claim, hash])[0]
    switch try row.decode(0, as: String.self) {
    case "changed": return try row.decode(1, as: Int.self)
    case "not_logged_in": throw AccountError.notLoggedIn
    default: throw AccountError.wrongCredentials
    }
  }

  /// Deactivates the connection's user (`username`; soft delete: workouts are kept) after the
  /// database checked the password (as a login: throttled and recorded), and revokes all its
  /// sessions.
  public func deactivate(username: String, password: String) throws {
    let claim = try checkPassword(identifier: username, password: password, label: "deactivate")
    let outcome = try connection.query("SELECT buddy_api.deactivate($1)", [claim])[0]
      .decode(0, as: String.self)
    switch outcome {
    case "deactivated": return
    case "not_logged_in": throw AccountError.notLoggedIn
    default: throw AccountError.wrongCredentials
    }
  }

  // MARK: - Rows

  static func user(_ row: PostgresRow, offset: Int) throws -> User {
    User(
      id: try row.decode(offset), email: try row.decode(offset + 1),
      username: try row.decode(offset + 2), isActive: try row.decode(offset + 3),
      createdAt: try row.decode(offset + 4))
  }

  static func session(_ row: PostgresRow, offset: Int) throws -> Session {
    Session(
      id: try row.decode(offset), label: try row.decode(offset + 1),
      createdAt: try row.decode(offset + 2), expiresAt: try row.decode(offset + 3),
      lastUsedAt: try row.decode(offset + 4))
  }
}
