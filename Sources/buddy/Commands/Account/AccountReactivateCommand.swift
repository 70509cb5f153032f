import ArgumentParser
import Foundation
import WorkoutStore

#if canImport(Glibc)
import Glibc
#endif

/// `buddy account reactivate [USER]`: revive a deactivated account and log in.
struct AccountReactivateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reactivate",
    abstract: "Reactivate a deactivated account and log in (asks for its password).",
    discussion: """
      The password is checked as a login is: after 5 failed attempts within 15 minutes the \
      account refuses for 15 minutes, reactivation included. The account's workouts come back \
      with it. Without USER, the username is asked for on the terminal. An account that was \
      not deactivated is simply logged in to.

      Examples:
        buddy account reactivate ann
        printf '%s\\n' "$PW" | buddy account reactivate --password-stdin ann
      """
  )

  @Argument(help: "Username, or email address in any letter case (asked for when omitted).")
  var user: String?
  @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false
  @OptionGroup var database: DatabaseOptions

  func run() throws {
    let identifier = try user ?? Self.askUsername(passwordStdin: passwordStdin)
    let password = try PasswordPrompt.read("Password", fromStandardInput: passwordStdin)
    let connection = try database.connectMigrated()
    let store = AccountStore(connection: connection)
    PasswordTransport.check(connection)
    let reactivation = try store.reactivate(
      identifier: identifier, password: password, label: LoginCommand.label)
    try LoginCommand.keep(reactivation.login, store: store)
    let login = reactivation.login
    let until = DisplayTime.local(login.session.expiresAt)
    print(
      reactivation.wasDeactivated
        ? "Account \(login.user.username) reactivated; logged in (until \(until))"
        : "Account \(login.user.username) was not deactivated; logged in (until \(until))")
  }

  /// The username typed on the terminal (standard input), for a command line without USER.
  private static func askUsername(passwordStdin: Bool) throws -> String {
    guard !passwordStdin, isatty(0) != 0 else {
      throw CLIError(.usage, "name the account: buddy account reactivate USER")
    }
    Terminal.writeStderr("Username or email: ")
    guard let line = readLine(), !line.trimmingCharacters(in: .whitespaces).isEmpty else {
      throw CLIError(.usage, "no username given")
    }
    return line.trimmingCharacters(in: .whitespaces)
  }
}
