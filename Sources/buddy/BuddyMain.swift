import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// Entry point: parse, run, and turn any error into one `buddy: …` line and an exit code.
@main
enum BuddyMain {
  static func main() {
    do {
      var command = try Buddy.parseAsRoot()
      try command.run()
      fflush(nil)
    } catch {
      fflush(nil)
      // Help, `--version`, usage errors, `ExitCode` and `CleanExit` come from ArgumentParser.
      if String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") {
        let code = Buddy.exitCode(for: error)
        guard code != .success, !(error is ExitCode) else { Buddy.exit(withError: error) }
        let message = Buddy.message(for: error).split(whereSeparator: \.isNewline).first ?? ""
        Terminal.printError("\(message) (see `\(commandPath()) --help`)")
        exit(code.rawValue)
      }
      Terminal.printError("\(error)")
      exit(ExitStatus.of(error).rawValue)
    }
  }

  /// The longest run of leading arguments that names a command, e.g. `buddy db status`.
  private static func commandPath() -> String {
    var path = ["buddy"]
    var commands = Buddy.configuration.subcommands
    for argument in CommandLine.arguments.dropFirst() {
      guard
        let next = commands.first(where: {
          $0.configuration.commandName == argument || $0.configuration.aliases.contains(argument)
        })
      else { break }
      path.append(argument)
      commands = next.configuration.subcommands
    }
    return path.joined(separator: " ")
  }
}
