/// A throwaway database with the schema and one user registered and logged in at their own
/// terminal: how the end-to-end tests that store workouts begin. `close()` removes both.
public struct SignedInUser: Sendable {
  public let database: TestDatabase
  public let buddy: BuddyProcess

  /// Creates the database, migrates it and signs `name` in (see `BuddyProcess.loggedIn`).
  public init(_ name: String, environment: [String: String] = [:]) throws {
    database = try TestDatabase.create()
    do {
      try BuddyProcess.migrate(database.url)
      buddy = try BuddyProcess.loggedIn(name, databaseURL: database.url, environment: environment)
    } catch {
      database.drop()
      throw error
    }
  }

  /// The single integer `sql` returns (by default, the number of workouts).
  public func count(_ sql: String = "SELECT count(*) FROM workouts") throws -> Int {
    try database.count(sql)
  }

  public func close() {
    buddy.cleanUp()
    database.drop()
  }
}
