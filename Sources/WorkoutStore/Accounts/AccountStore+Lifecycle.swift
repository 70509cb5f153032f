import Foundation
import Postgres

extension AccountStore {
  // MARK: - Reactivation

  /// Logs in to `identifier` (username, or email in any letter case) and, when the account is
  /// deactivated, makes it active again. The password is checked, throttled and recorded by the
  /// database exactly as a login (`buddy_api.login`); `buddy_api.reactivate` then redeems that
  /// attempt in a later transaction. Throws `wrongCredentials` or `throttled` as `login` does.
  public func reactivate(identifier: String, password: String, label: String) throws
    -> Reactivation
  {
    let claim = try checkPassword(identifier: identifier, password: password, label: label)
    let row = try connection.query(
      """
      SELECT outcome, token, user_id, email, username, is_active, user_created_at,
        session_id, label, session_created_at, expires_at, last_used_at
      FROM buddy_api.reactivate($1)
      """, [claim])[0]
    let outcome = try row.decode(0, as: String.self)
    switch outcome {
    case "reactivated", "active":
      guard let token = SessionToken(hex: try row.decode(1, as: String.self)) else {
        throw PostgresError(kind: .typeMismatch, message: "the server sent a malformed token")
      }
      try use(token)
      let login = Login(
        token: token, user: try Self.user(row, offset: 2),
        session: try Self.session(row, offset: 7))
      return Reactivation(login: login, wasDeactivated: outcome == "reactivated")
    case "wrong_credentials": throw AccountError.wrongCredentials
    default:
      throw PostgresError(kind: .other, message: "unexpected reactivation outcome \(outcome)")
    }
  }

  // MARK: - Deletion

  /// Deletes the connection's user (`username`) for good, with every row of theirs, after the
  /// database checked the password (as a login: throttled and recorded). The connection acts
  /// for nobody afterwards. Throws `wrongCredentials` for a wrong password, `notLoggedIn`
  /// without a valid session.
  public func deleteAccount(username: String, password: String) throws -> AccountDeletion {
    let claim = try checkPassword(identifier: username, password: password, label: "delete")
    let row = try connection.query(
      """
      SELECT outcome, workouts, settings, sessions, login_attempts
      FROM buddy_api.delete_account($1)
      """, [claim])[0]
    switch try row.decode(0, as: String.self) {
    case "deleted":
      try use(nil)
      return AccountDeletion(
        workouts: try row.decode(1), settings: try row.decode(2), sessions: try row.decode(3),
        loginAttempts: try row.decode(4))
    case "not_logged_in": throw AccountError.notLoggedIn
    default: throw AccountError.wrongCredentials
    }
  }
}
