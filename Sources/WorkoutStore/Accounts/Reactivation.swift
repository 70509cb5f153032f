/// The result of `AccountStore.reactivate`: a login, and whether it revived the account.
public struct Reactivation: Sendable {
  /// The session opened (the connection now acts for it).
  public var login: Login
  /// True when the account was deactivated and is active again; false when it was active all
  /// along (then this was an ordinary login).
  public var wasDeactivated: Bool
}
