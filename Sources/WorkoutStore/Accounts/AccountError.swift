import Foundation

/// Why an account operation was refused.
public enum AccountError: Error, Equatable, CustomStringConvertible, Sendable {
  case invalidEmail(String)
  case invalidUsername(String)
  case passwordTooShort(bytes: Int)
  case passwordTooLong(bytes: Int)
  case invalidPassword(String)
  case emailTaken
  case usernameTaken
  /// Unknown user or wrong password: deliberately the same message.
  case wrongCredentials
  /// Too many failed logins for this account; retry after the date.
  case throttled(until: Date)
  /// The password was right but the account is deactivated.
  case deactivated
  /// No valid session: never logged in, logged out, expired or revoked.
  case notLoggedIn
  /// No session with that id (or prefix) belongs to this user.
  case sessionNotFound(String)
  /// The id prefix matches more than one session.
  case ambiguousSession(String)
  /// libxcrypt could not hash (should not happen).
  case hashingFailed

  public var description: String {
    switch self {
    case .invalidEmail(let reason): return "invalid email address: \(reason)"
    case .invalidUsername(let reason): return "invalid username: \(reason)"
    case .passwordTooShort(let bytes):
      return
        "the password is too short (\(bytes) bytes; at least \(AccountRules.minimumPasswordBytes))"
    case .passwordTooLong(let bytes):
      return "the password is too long (\(bytes) bytes; bcrypt uses at most "
        + "\(AccountRules.maximumPasswordBytes), and buddy never truncates)"
    case .invalidPassword(let reason): return "invalid password: \(reason)"
    case .emailTaken: return "an account with that email address already exists"
    case .usernameTaken: return "that username is taken"
    case .wrongCredentials: return "wrong username or password"
    case .throttled(let until):
      let minutes = max(1, Int((until.timeIntervalSinceNow / 60).rounded(.up)))
      return "too many failed logins for this account; try again in \(minutes) "
        + "minute\(minutes == 1 ? "" : "s")"
    case .deactivated: return "this account is deactivated"
    case .notLoggedIn:
      return "not logged in (or the session expired or was revoked); run `buddy login`"
    case .sessionNotFound(let id): return "no session \(id) among yours (see `buddy sessions`)"
    case .ambiguousSession(let id):
      return "\(id) matches more than one session; give more characters"
    case .hashingFailed: return "could not hash the password (libxcrypt failed)"
    }
  }
}
