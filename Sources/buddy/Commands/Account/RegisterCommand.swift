import ArgumentParser
import WorkoutStore

/// `buddy register`: create an account.
struct RegisterCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "register",
    abstract: "Create an account (asks for the password twice; does not log in).",
    discussion: """
      The password (8 to 72 bytes) is read from the terminal without echo, or from the first \
      line of standard input with --password-stdin; never from an argument or the environment. \
      It is stored only as a bcrypt hash (cost 12).

      Examples:
        buddy register --email ann@example.com --username ann
        printf '%s\\n' "$PW" | buddy register --email ann@example.com --username ann \\
          --password-stdin
      """
  )

  @Option(help: "Email address (unique, compared without regard to letter case).") var email: String
  @Option(help: "Username: 3 to 50 of A-Z a-z 0-9 _ -.") var username: String
  @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false
  @OptionGroup var database: DatabaseOptions

  func run() throws {
    try AccountRules.validateEmail(email)
    try AccountRules.validateUsername(username)
    let password = try PasswordPrompt.read(
      "Password", confirm: true, fromStandardInput: passwordStdin)
    try AccountRules.validatePassword(password)
    let store = AccountStore(connection: try database.connectMigrated())
    let user = try store.register(email: email, username: username, password: password)
    print(
      "Registered \(user.username) <\(user.email)>. Log in with `buddy login \(user.username)`.")
  }
}
