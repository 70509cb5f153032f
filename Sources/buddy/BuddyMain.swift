import ArgumentParser
import PoseEstimation
import Postgres

#if canImport(Glibc)
import Glibc
#endif

/// Entry point: parse, run, and turn any error into one `buddy: …` line and an exit code.
@main
enum BuddyMain {
  static func main() {
    // Frames reuse freed buffers instead of faulting fresh pages in (issue 21).
    FrameMemory.keepFreedBuffers()
    // `buddy count FILE` and its everyday options skip argument-parser's reflection (3–4 ms);
    // any other line, and every mistake, is argument-parser's to read and report.
    if let request = CountQuickLine.request(from: CommandLine.arguments.dropFirst()) {
      runCommand { try request.run() }
    }
    let command: any ParsableCommand
    do {
      command = try Buddy.parseAsRoot()
    } catch {
      // Everything parsing throws (help, `--version`, usage errors, and what `validate()` and a
      // value's `transform` throw) is argument-parser's to report.
      exitAsParser(error)
    }
    // `help` and `--help` parse to argument-parser's own help command, whose run() throws the
    // help request; our commands throw ExitCode, CleanExit or ValidationError for it to report.
    var running = command
    runCommand(isOurs: isOurs(type(of: command))) { try running.run() }
  }

  /// Runs a command and exits: 0 when it returns, else with its error's code and one `buddy: …`
  /// line (reported as argument-parser reports its own errors for ExitCode, CleanExit,
  /// ValidationError, and any error of a command that is not `isOurs`).
  private static func runCommand(isOurs: Bool = true, _ body: () throws -> Void) -> Never {
    do {
      try body()
      LastWritePosition.recordTracked()
      fflush(nil)
      exit(0)
    } catch let error
      where !isOurs || error is ExitCode || error is CleanExit || error is ValidationError
    {
      LastWritePosition.recordTracked()
      exitAsParser(error)
    } catch {
      LastWritePosition.recordTracked()
      fflush(nil)
      // The server's DETAIL can quote row values: shown only as a diagnostic (BUDDY_LOG=debug).
      if let error = error as? PostgresError, let detail = error.detail, !detail.isEmpty {
        Log.database.debug("DETAIL: \(detail)")
      }
      Terminal.printError("\(error)")
      exit(ExitStatus.of(error).rawValue)
    }
  }

  /// Exits as argument-parser would for `error`, a usage error printed as one `buddy: …` line.
  private static func exitAsParser(_ error: any Error) -> Never {
    fflush(nil)
    let code = Buddy.exitCode(for: error)
    guard code != .success, !(error is ExitCode) else { Buddy.exit(withError: error) }
    let message = Buddy.message(for: error).split(whereSeparator: \.isNewline).first ?? ""
    Terminal.printError("\(message) (see `\(commandPath()) --help`)")
    exit(code.rawValue)
  }

  /// Whether `command` is `Buddy` or one of its subcommands, at any depth.
  private static func isOurs(
    _ command: any ParsableCommand.Type, among commands: [any ParsableCommand.Type] = [Buddy.self]
  ) -> Bool {
    commands.contains {
      ObjectIdentifier($0) == ObjectIdentifier(command)
        || isOurs(command, among: $0.configuration.subcommands)
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
