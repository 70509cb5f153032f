import ArgumentParser
import WorkoutStore

/// `buddy passwd`: change the password.
struct PasswdCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "passwd",
    abstract: "Change your password (every other session is signed out).",
    discussion: """
      Asks for the current password, then the new one twice. With --password-stdin, standard \
      input holds two lines: the current password, then the new one.

      Examples:
        buddy passwd
        printf '%s\\n%s\\n' "$OLD" "$NEW" | buddy passwd --password-stdin
      """
  )

  @Flag(help: "Read the current and the new password from two lines of standard input.")
  var passwordStdin = false
  @OptionGroup var database: DatabaseOptions

  func run() throws {
    let current = try CurrentUser.require(database, outbox: .upload)
    let old = try PasswordPrompt.read("Current password", fromStandardInput: passwordStdin)
    let new = try PasswordPrompt.read(
      "New password", confirm: true, fromStandardInput: passwordStdin)
    PasswordTransport.check(current.connection)
    let revoked = try current.store.changePassword(
      username: current.user.username, current: old, new: new)
    print("Password changed; \(revoked) other session\(revoked == 1 ? "" : "s") signed out.")
  }
}
