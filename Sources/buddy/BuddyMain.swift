import ArgumentParser

#if canImport(Glibc)
  import Glibc
#endif

/// Entry point: parse, run, and turn any error into one `buddy: …` line and an exit code.
@main
enum BuddyMain {
  static func main() {
    let command: any ParsableCommand
    do {
      command = try Buddy.parseAsRoot()
    } catch {
      Buddy.exit(withError: error)
    }
    do {
      var command = command
      try command.run()
      fflush(nil)
    } catch let error as ExitCode {
      fflush(nil)
      exit(error.rawValue)
    } catch let error as CleanExit {
      fflush(nil)
      Buddy.exit(withError: error)
    } catch {
      fflush(nil)
      let status = ExitStatus.of(error)
      // `--help` on a subcommand arrives here as ArgumentParser's help request (exit code 0);
      // let ArgumentParser print it, as it does for its own usage errors.
      if status == .unexpected, Buddy.exitCode(for: error) != .failure {
        Buddy.exit(withError: error)
      }
      Terminal.printError("\(error)")
      exit(status.rawValue)
    }
  }
}
