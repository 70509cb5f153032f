/// What deleting an account removed from the database, row by row.
public struct AccountDeletion: Sendable, Equatable {
  /// The user's workouts (and whatever referenced them).
  public var workouts: Int
  /// The user's settings row (0 or 1).
  public var settings: Int
  /// Login sessions, on every machine.
  public var sessions: Int
  /// Login attempts recorded against the account.
  public var loginAttempts: Int

  /// Makes a report.
  public init(workouts: Int, settings: Int, sessions: Int, loginAttempts: Int) {
    self.workouts = workouts
    self.settings = settings
    self.sessions = sessions
    self.loginAttempts = loginAttempts
  }
}
