import ArgumentParser
import WorkoutStore

/// `buddy sessions`: list and revoke the user's logins.
struct SessionsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sessions",
    abstract: "List your logins, with the last use of each, and revoke them.",
    discussion: """
      Examples:
        buddy sessions
        buddy sessions --format json
        buddy sessions revoke 3f2c1a9e
        buddy sessions revoke --others
      """,
    subcommands: [SessionsListCommand.self, SessionsRevokeCommand.self],
    defaultSubcommand: SessionsListCommand.self
  )
}

/// `buddy sessions list`.
struct SessionsListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List your sessions (the default).",
    discussion: "Examples:\n  buddy sessions list\n  buddy sessions --format json")

  @OptionGroup var output: FormatOption<OutputFormat>
  @OptionGroup var database: DatabaseOptions

  func run() throws {
    let current = try CurrentUser.require(database, outbox: .leavePending)
    let sessions = try current.store.sessions()
    switch output.format {
    case .text:
      print("ID        CREATED           LAST USED         EXPIRES           WHERE")
      for session in sessions {
        let marker = session.id == current.session.id ? "  (this one)" : ""
        let id = String(session.id.uuidString.lowercased().prefix(8))
        print(
          "\(id)  \(DisplayTime.local(session.createdAt))  \(DisplayTime.local(session.lastUsedAt))  "
            + "\(DisplayTime.local(session.expiresAt))  \(session.label)\(marker)")
      }
    case .json:
      print(
        JSON.text(
          .array(
            sessions.map { session in
              .object([
                ("id", .string(session.id.uuidString.lowercased())),
                ("label", .string(session.label)),
                ("created_at", .string(DisplayTime.iso(session.createdAt))),
                ("last_used_at", .string(DisplayTime.iso(session.lastUsedAt))),
                ("expires_at", .string(DisplayTime.iso(session.expiresAt))),
                ("current", .bool(session.id == current.session.id)),
              ])
            })))
    }
  }
}

/// `buddy sessions revoke ID|--others`.
struct SessionsRevokeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "revoke", abstract: "Revoke one session (by id or id prefix) or all the others.",
    discussion: "Examples:\n  buddy sessions revoke 3f2c1a9e\n  buddy sessions revoke --others")

  @Argument(help: "The session id, or its first characters (at least 4).") var id: String?
  @Flag(help: "Revoke every session except this one.") var others = false
  @OptionGroup var database: DatabaseOptions

  func validate() throws {
    if (id == nil) == !others {
      throw ValidationError("give either a session ID or --others")
    }
  }

  func run() throws {
    let current = try CurrentUser.require(database, outbox: .leavePending)
    if others {
      let count = try current.store.revokeOtherSessions()
      print("Revoked \(count) other session\(count == 1 ? "" : "s").")
      return
    }
    let revoked = try current.store.revokeSession(idPrefix: id ?? "")
    if revoked == current.session.id { SessionFile.remove() }
    print("Revoked session \(revoked.uuidString.lowercased().prefix(8)).")
  }
}
