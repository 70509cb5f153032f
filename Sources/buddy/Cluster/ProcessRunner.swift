import Glibc
internal import Spawn

/// Runs a helper program to completion and captures what it printed.
///
/// This uses ``SpawnedProgram`` (`posix_spawn` and `waitpid`) rather than Foundation's
/// `Process`: on Linux, `Process` notices a child's exit through a descriptor the child
/// inherits, so a daemon that the child leaves running (the postmaster that `pg_ctl start`
/// forks) makes it wait forever.
enum ProcessRunner {
  /// The outcome of a run.
  struct Outcome {
    var status: Int32
    var output: String
  }

  /// Runs `executable` with `arguments`; as `user` (through `runuser`) when one is given.
  /// Standard input is /dev/null; standard output and error go to a temporary file that is read
  /// once the program has exited.
  static func run(_ executable: String, _ arguments: [String], asUser user: String? = nil) throws
    -> Outcome
  {
    // Start in / : the server user may not be able to enter our working directory.
    var argv = ["/bin/sh", "-c", "cd / && exec \"$0\" \"$@\"", executable] + arguments
    if let user {
      argv = [try locate("runuser", in: ["/usr/sbin", "/sbin"]), "-u", user, "--"] + argv
    }
    // Standard output and error both go to the program's temporary file. Nothing else is
    // inherited: every descriptor above 2 (this process's own and any it inherited, e.g. a
    // parent's exit-monitoring pipe) stays out of the child and of the server `pg_ctl` leaves
    // running, so whoever waits for buddy is not kept waiting by it.
    let program: SpawnedProgram
    do {
      program = try SpawnedProgram(
        executable: argv[0], arguments: Array(argv.dropFirst()), output: .withErrors)
    } catch {
      throw CLIError(error.kind == .program ? .config : .unexpected, error.reason)
    }
    let outcome = program.wait(limit: .max)
    if let failure = outcome.waitError {
      throw CLIError(.unexpected, "waitpid failed: \(String(cString: strerror(failure)))")
    }
    return Outcome(status: outcome.status, output: outcome.captured)
  }

  /// The first executable named `name` in `directories` or on `PATH`.
  static func locate(_ name: String, in directories: [String] = []) throws -> String {
    guard let path = SpawnedProgram.executable(named: name, in: directories) else {
      throw CLIError(.config, "`\(name)` is not installed or not on PATH")
    }
    return path
  }
}
