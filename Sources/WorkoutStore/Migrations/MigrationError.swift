/// The database schema does not match the version this binary was built for.
public enum MigrationError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The database is at `current` (0 = never migrated), older than `latest`.
  case databaseBehind(current: Int, latest: Int)
  /// The database is at `current`, newer than this binary's `latest`.
  case databaseAhead(current: Int, latest: Int)

  public var description: String {
    switch self {
    case .databaseBehind(0, let latest):
      return "the database has no Exercise Buddy schema yet (this buddy needs version \(latest)); "
        + "run `buddy db migrate`"
    case .databaseBehind(let current, let latest):
      return "the database schema is at version \(current), this buddy needs version \(latest); "
        + "run `buddy db migrate`"
    case .databaseAhead(let current, let latest):
      return "the database schema is at version \(current), newer than this buddy understands "
        + "(\(latest)); upgrade buddy"
    }
  }
}
