import ArgumentParser
import WorkoutStore

/// `buddy whoami`: the logged-in user.
struct WhoamiCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "whoami",
    abstract: "Show who is logged in (exit 77 when nobody is).",
    discussion: """
      Examples:
        buddy whoami
        buddy whoami --format json
      """
  )

  @OptionGroup var output: FormatOption<OutputFormat>
  @OptionGroup var database: DatabaseOptions

  func run() throws {
    let current = try CurrentUser.require(database, outbox: .leavePending, access: .read)
    let user = current.user
    switch output.format {
    case .text:
      print(
        "\(user.username) <\(user.email)>, member since \(DisplayTime.day(user.createdAt)), "
          + "logged in until \(DisplayTime.local(current.session.expiresAt))")
    case .json:
      print(
        JSON.text(
          .object([
            ("id", .string(user.id.uuidString.lowercased())), ("username", .string(user.username)),
            ("email", .string(user.email)),
            ("member_since", .string(DisplayTime.iso(user.createdAt))),
            ("session_id", .string(current.session.id.uuidString.lowercased())),
            ("session_expires_at", .string(DisplayTime.iso(current.session.expiresAt))),
          ])))
    }
  }
}
