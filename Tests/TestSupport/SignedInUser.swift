/// A throwaway database set up as a shared server (`buddy server init`) and one user registered
/// and logged in at their own terminal through the client role, so row-level security is in
/// force: how the end-to-end tests that store workouts begin. `database` stays the
/// administrator's view (its `count` sees every row). `close()` removes both.
public struct SignedInUser: Sendable {
  public let database: TestDatabase
  public let buddy: BuddyProcess

  /// Creates the database, migrates it and signs `name` in (see `BuddyProcess.loggedIn`).
  public init(_ name: String, environment: [String: String] = [:]) throws {
    database = try TestDatabase.create()
    do {
      let clientURL = try BuddyProcess.serverInit(database.url)
      buddy = try BuddyProcess.loggedIn(name, databaseURL: clientURL, environment: environment)
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
