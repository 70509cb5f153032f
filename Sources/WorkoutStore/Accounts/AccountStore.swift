import Foundation
import Postgres

/// Accounts and login sessions in PostgreSQL: registration, login with throttling, token
/// authentication, session management, password change and deactivation.
public struct AccountStore {
  /// How long a session lasts.
  public static let sessionLifetime: TimeInterval = 30 * 24 * 3600

  private let connection: PostgresConnection
  private let throttle: LoginThrottle

  public init(connection: PostgresConnection, throttle: LoginThrottle = LoginThrottle()) {
    self.connection = connection
    self.throttle = throttle
  }

  // MARK: - Registration

  /// Creates an active account; it does not log in. Throws `emailTaken`/`usernameTaken` without
  /// writing anything when either is in use (email compared case-insensitively).
  @discardableResult
  public func register(email: String, username: String, password: String) throws -> User {
    try AccountRules.validateEmail(email)
    try AccountRules.validateUsername(username)
    try AccountRules.validatePassword(password)
    try checkAvailable(email: email, username: username)
    let hash = try PasswordHasher.hash(password)
    do {
      let row = try connection.query(
        "INSERT INTO users (email, username, hashed_password) VALUES ($1, $2, $3) "
          + "RETURNING \(Self.userColumns)", [email, username, hash])[0]
      return try Self.user(row)
    } catch let error as PostgresError where error.kind == .uniqueViolation {
      // Lost a race with a concurrent registration.
      throw error.constraint == "idx_users_email"
        ? AccountError.emailTaken : AccountError.usernameTaken
    }
  }

  private func checkAvailable(email: String, username: String) throws {
    let row = try connection.query(
      "SELECT EXISTS (SELECT 1 FROM users WHERE username = $1), "
        + "EXISTS (SELECT 1 FROM users WHERE lower(email) = lower($2))", [username, email])[0]
    if try row.decode(0, as: Bool.self) { throw AccountError.usernameTaken }
    if try row.decode(1, as: Bool.self) { throw AccountError.emailTaken }
  }

  // MARK: - Login

  /// Checks the password of `identifier` (username, or email in any letter case) and opens a
  /// session. Unknown users cost the same bcrypt time; every attempt is recorded.
  public func login(identifier: String, password: String, label: String) throws -> Login {
    let key = String(identifier.lowercased().prefix(255))
    let found = try connection.query(
      "SELECT \(Self.userColumns), hashed_password FROM users "
        + "WHERE username = $1 OR lower(email) = lower($1) ORDER BY username = $1 DESC LIMIT 1",
      [identifier]
    ).first
    let user = try found.map(Self.user)
    if let until = try lockedUntil(userID: user?.id, key: key) {
      try record(user?.id, key, "throttled")
      throw AccountError.throttled(until: until)
    }
    let hash = try found?.decode("hashed_password", as: String.self)
    let matches = PasswordHasher.verify(password, against: hash ?? PasswordHasher.timingEqualiser)
    guard let user, matches else {
      try record(user?.id, key, user == nil ? "unknown_user" : "wrong_password")
      throw AccountError.wrongCredentials
    }
    guard user.isActive else {
      try record(user.id, key, "inactive")
      throw AccountError.deactivated
    }
    return try connection.transaction {
      try record(user.id, key, "success")
      let token = SessionToken.random()
      let row = try connection.query(
        "INSERT INTO sessions (user_id, token_sha256, label, expires_at) "
          + "VALUES ($1, $2, $3, now() + make_interval(secs => $4)) RETURNING \(Self.sessionColumns)",
        [user.id, token.digest, String(label.prefix(255)), Self.sessionLifetime])[0]
      return Login(token: token, user: user, session: try Self.session(row, offset: 0))
    }
  }

  private func lockedUntil(userID: UUID?, key: String) throws -> Date? {
    let match = userID == nil ? "user_id IS NULL AND identifier = $1" : "user_id = $1"
    let subject: any PostgresEncodable = userID.map { $0 as any PostgresEncodable } ?? key
    let rows = try connection.query(
      """
      SELECT attempted_at, now() FROM login_attempts
      WHERE \(match) AND outcome IN ('wrong_password', 'unknown_user')
        AND attempted_at > coalesce(
          (SELECT max(attempted_at) FROM login_attempts WHERE \(match) AND outcome = 'success'),
          '-infinity')
      ORDER BY attempted_at DESC LIMIT $2
      """, [subject, throttle.maximumFailures])
    guard let first = rows.first else { return nil }
    let now = try first.decode(1, as: Date.self)
    let failures = try rows.all.map { try $0.decode(0, as: Date.self) }
    return throttle.lockedUntil(recentFailures: failures, now: now)
  }

  private func record(_ userID: UUID?, _ key: String, _ outcome: String) throws {
    try connection.query(
      "INSERT INTO login_attempts (user_id, identifier, outcome) VALUES ($1, $2, $3)",
      [userID, key, outcome])
  }

  // MARK: - Sessions

  /// The user and session a token belongs to, refreshing `last_used_at`; throws `notLoggedIn` for
  /// an unknown, expired or revoked token or a deactivated account.
  public func authenticate(_ token: SessionToken) throws -> Authenticated {
    let rows = try connection.query(
      """
      UPDATE sessions s SET last_used_at = now() FROM users u
      WHERE s.token_sha256 = $1 AND s.expires_at > now() AND u.id = s.user_id AND u.is_active
      RETURNING u.id, u.email, u.username, u.is_active, u.created_at,
        s.id, s.label, s.created_at, s.expires_at, s.last_used_at
      """, [token.digest])
    guard let row = rows.first else { throw AccountError.notLoggedIn }
    return Authenticated(user: try Self.user(row), session: try Self.session(row, offset: 5))
  }

  /// The active user whose unexpired session has this token digest, if any (used to upload
  /// offline entries only under the user who recorded them).
  public func userID(forTokenDigest digest: [UInt8]) throws -> UUID? {
    try connection.query(
      """
      SELECT u.id FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.token_sha256 = $1 AND s.expires_at > now() AND u.is_active
      """, [digest]
    ).first?.decode(0, as: UUID.self)
  }

  /// Ends the session of `token` (no error when it is already gone).
  public func logout(_ token: SessionToken) throws {
    try connection.query("DELETE FROM sessions WHERE token_sha256 = $1", [token.digest])
  }

  /// The user's unexpired sessions, newest first.
  public func sessions(of userID: UUID) throws -> [Session] {
    try connection.query(
      "SELECT \(Self.sessionColumns) FROM sessions WHERE user_id = $1 AND expires_at > now() "
        + "ORDER BY created_at DESC", [userID]
    ).all.map { try Self.session($0, offset: 0) }
  }

  /// Revokes the user's session whose id starts with `idPrefix` (at least 4 hex digits) and
  /// returns its id.
  public func revokeSession(idPrefix: String, of userID: UUID) throws -> UUID {
    let prefix = idPrefix.lowercased()
    let matches = try sessions(of: userID).filter {
      $0.id.uuidString.lowercased().hasPrefix(prefix)
    }
    guard prefix.count >= 4, !matches.isEmpty else { throw AccountError.sessionNotFound(idPrefix) }
    guard matches.count == 1 else { throw AccountError.ambiguousSession(idPrefix) }
    try connection.query(
      "DELETE FROM sessions WHERE id = $1 AND user_id = $2", [matches[0].id, userID])
    return matches[0].id
  }

  /// Revokes every session of the user except `keeping`; returns how many were revoked.
  @discardableResult
  public func revokeOtherSessions(of userID: UUID, keeping sessionID: UUID) throws -> Int {
    try connection.query(
      "DELETE FROM sessions WHERE user_id = $1 AND id <> $2", [userID, sessionID]
    ).affectedRows ?? 0
  }

  // MARK: - Password and deactivation

  /// Replaces the password after checking the current one, and revokes every other session.
  /// Returns how many sessions were revoked.
  public func changePassword(
    of userID: UUID, current: String, new: String, keeping sessionID: UUID
  ) throws -> Int {
    try AccountRules.validatePassword(new)
    try requirePassword(current, of: userID)
    let hash = try PasswordHasher.hash(new)
    return try connection.transaction {
      try connection.query("UPDATE users SET hashed_password = $1 WHERE id = $2", [hash, userID])
      return try revokeOtherSessions(of: userID, keeping: sessionID)
    }
  }

  /// Deactivates the account (soft delete: workouts are kept) after checking the password, and
  /// revokes all its sessions.
  public func deactivate(_ userID: UUID, password: String) throws {
    try requirePassword(password, of: userID)
    try connection.transaction {
      try connection.query("UPDATE users SET is_active = false WHERE id = $1", [userID])
      try connection.query("DELETE FROM sessions WHERE user_id = $1", [userID])
    }
  }

  private func requirePassword(_ password: String, of userID: UUID) throws {
    let rows = try connection.query("SELECT hashed_password FROM users WHERE id = $1", [userID])
    let hash = try rows.first?.decode(0, as: String.self)
    guard PasswordHasher.verify(password, against: hash ?? PasswordHasher.timingEqualiser),
      hash != nil
    else { throw AccountError.wrongCredentials }
  }

  // MARK: - Rows

  private static let userColumns = "id, email, username, is_active, created_at"
  private static let sessionColumns = "id, label, created_at, expires_at, last_used_at"

  private static func user(_ row: PostgresRow) throws -> User {
    User(
      id: try row.decode(0), email: try row.decode(1), username: try row.decode(2),
      isActive: try row.decode(3), createdAt: try row.decode(4))
  }

  private static func session(_ row: PostgresRow, offset: Int) throws -> Session {
    Session(
      id: try row.decode(offset), label: try row.decode(offset + 1),
      createdAt: try row.decode(offset + 2), expiresAt: try row.decode(offset + 3),
      lastUsedAt: try row.decode(offset + 4))
  }
}
