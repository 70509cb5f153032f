import ArgumentParser
import Foundation
import Recording
import WorkoutStore

#if canImport(Glibc)
import Glibc
#endif

/// `buddy account delete`: remove the account and everything of it, for good.
struct AccountDeleteCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "delete",
    abstract: "Delete your account and all its workouts for good (asks for the password).",
    discussion: """
      Removes, in the database, the account with its workouts, settings, sessions on every \
      machine and recorded login attempts; on this machine, the session file and the workouts \
      saved offline under any session of this account. Nothing can bring them back (`buddy \
      account deactivate` is the reversible way). Before that it asks, on a terminal, to type \
      the username; without a terminal it refuses (exit 64) unless --yes.

      Examples:
        buddy account delete
        printf '%s\\n' "$PW" | buddy account delete --password-stdin --yes
        buddy account delete --password-stdin --yes --format json < password.txt
      """
  )

  @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false
  @Flag(name: [.short, .long], help: "Do not ask to type the username to confirm.") var yes = false
  @OptionGroup var output: FormatOption<OutputFormat>
  @OptionGroup var database: DatabaseOptions

  func run() throws {
    // Refused before anything is read or sent: a script must say --yes.
    guard yes || isatty(0) != 0 else {
      throw CLIError(
        .usage,
        "account delete asks to type the username on a terminal; without one, add --yes")
    }
    // Offline workouts stay where they are: this account's go with it, others' are not ours.
    let current = try CurrentUser.require(database, outbox: .leavePending)
    let username = current.user.username
    if !yes {
      Terminal.writeStderr(
        "This deletes account \(username) and all its workouts for good.\n"
          + "Type the username to confirm: ")
      guard readLine()?.trimmingCharacters(in: .whitespaces) == username else {
        print("Kept account \(username).")
        return
      }
    }
    let password = try PasswordPrompt.read("Password", fromStandardInput: passwordStdin)
    // Whose offline entries these are can be asked only while their sessions exist.
    let outbox = OutboxSync.outbox
    let entries = try outbox.entries(
      ofUser: current.user.id, token: current.token, connection: current.connection)
    PasswordTransport.check(current.connection)
    let deleted = try current.store.deleteAccount(username: username, password: password)
    SessionFile.remove()
    let discarded = outbox.discard(entries)
    switch output.format {
    case .json:
      print(
        JSON.text(
          .object([
            ("status", .string("deleted")), ("username", .string(username)),
            ("workouts", .integer(deleted.workouts)), ("settings", .integer(deleted.settings)),
            ("sessions", .integer(deleted.sessions)),
            ("login_attempts", .integer(deleted.loginAttempts)),
            ("offline_workouts", .integer(discarded)),
          ])))
    case .text:
      print(
        "Deleted account \(username) for good: \(Self.count(deleted.workouts, "workout")), "
          + "\(Self.count(deleted.settings, "settings row")), "
          + "\(Self.count(deleted.sessions, "session")), "
          + "\(Self.count(deleted.loginAttempts, "login attempt")); on this machine the session "
          + "file and \(Self.count(discarded, "offline workout")).")
    }
  }

  private static func count(_ number: Int, _ noun: String) -> String {
    "\(number) \(noun)\(number == 1 ? "" : "s")"
  }
}
