import ArgumentParser
import WorkoutStore

/// `buddy logout`: end this session.
struct LogoutCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "logout",
    abstract: "End this session (deletes it in the database and removes the token file).",
    discussion: """
      Examples:
        buddy logout
      """
  )

  @OptionGroup var database: DatabaseOptions

  func run() throws {
    guard let token = SessionFile.load() else {
      print("Not logged in.")
      return
    }
    // The local token goes whatever happens, so a dead database cannot keep anyone logged in here.
    defer { SessionFile.remove() }
    let connection = try database.connectMigrated()
    // Before the session ends: an entry waits for the session that recorded it.
    OutboxSync.uploadQuietly(connection)
    let store = AccountStore(connection: connection)
    try store.logout(token)
    print("Logged out.")
  }
}
