import ArgumentParser
import Foundation
import WorkoutStore

/// `buddy login USER`: open a session.
struct LoginCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "login",
    abstract: "Log in with a username or email address.",
    discussion: """
      The session lasts 30 days; its token is saved in \
      $XDG_CONFIG_HOME/exercise-buddy/session (mode 0600). After 5 failed attempts within \
      15 minutes, the account refuses logins for 15 minutes.

      Examples:
        buddy login ann
        buddy login Ann@Example.com
        printf '%s\\n' "$PW" | buddy login --password-stdin ann
      """
  )

  @Argument(help: "Username, or email address in any letter case.") var user: String
  @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false
  @OptionGroup var database: DatabaseOptions

  func run() throws {
    let password = try PasswordPrompt.read("Password", fromStandardInput: passwordStdin)
    let connection = try database.connectMigrated()
    let store = AccountStore(connection: connection)
    PasswordTransport.check(connection)
    let login: Login
    do {
      login = try store.login(identifier: user, password: password, label: Self.label)
    } catch AccountError.deactivated {
      guard !passwordStdin, isatty(0) != 0, offerReactivation() else {
        throw CLIError(
          .noPermission,
          "account \(user) is deactivated; `buddy account reactivate \(user)` revives it")
      }
      let reactivation = try store.reactivate(
        identifier: user, password: password, label: Self.label)
      try Self.keep(reactivation.login, store: store)
      print(
        "Account \(reactivation.login.user.username) reactivated; logged in (until "
          + "\(DisplayTime.local(reactivation.login.session.expiresAt)))")
      return
    }
    try Self.keep(login, store: store)
    print(
      "Logged in as \(login.user.username) (until \(DisplayTime.local(login.session.expiresAt)))")
  }

  /// Asks on the terminal whether to reactivate the deactivated account.
  private func offerReactivation() -> Bool {
    Terminal.writeStderr("Account \(user) is deactivated. Reactivate it? [y/N] ")
    let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
    return answer == "y" || answer == "yes"
  }

  /// Saves the session of `login` as this machine's, ending the one it replaces.
  static func keep(_ login: Login, store: AccountStore) throws {
    if let previous = SessionFile.load(), previous != login.token {
      try? store.logout(previous)  // Replace, not pile up, this machine's session.
      try store.use(login.token)
    }
    try SessionFile.save(login.token)
  }

  /// Names the session in `buddy sessions`: the host it was opened on.
  static var label: String {
    var name = [CChar](repeating: 0, count: 256)
    let host =
      gethostname(&name, name.count) == 0
      ? String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?"
    return "\(host) (buddy \(BuddyVersion.number))"
  }
}
