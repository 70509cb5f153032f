import ArgumentParser
import WorkoutStore

/// `buddy account`: account-wide actions.
struct AccountCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "account",
    abstract: "Account-wide actions.",
    discussion: """
      Examples:
        buddy account deactivate
        buddy account reactivate ann
        buddy account delete
      """,
    subcommands: [
      AccountDeactivateCommand.self, AccountReactivateCommand.self, AccountDeleteCommand.self,
    ]
  )
}

/// `buddy account deactivate`: soft-delete the account.
struct AccountDeactivateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "deactivate",
    abstract: "Deactivate your account (asks for the password; workouts are kept).",
    discussion: """
      Every session is revoked and login is refused afterwards. The account and its workouts \
      stay in the database; `buddy account reactivate USER` revives it.

      Examples:
        buddy account deactivate
        printf '%s\\n' "$PW" | buddy account deactivate --password-stdin
      """
  )

  @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false
  @OptionGroup var database: DatabaseOptions

  func run() throws {
    let current = try CurrentUser.require(database, outbox: .upload)
    let password = try PasswordPrompt.read("Password", fromStandardInput: passwordStdin)
    PasswordTransport.check(current.connection)
    try current.store.deactivate(username: current.user.username, password: password)
    SessionFile.remove()
    let name = current.user.username
    print(
      "Account \(name) deactivated; its workouts are kept "
        + "(`buddy account reactivate \(name)` revives it).")
  }
}
