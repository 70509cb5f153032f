internal import CSpawn
import Foundation

/// Runs a helper program to completion and captures what it printed.
///
/// This uses `posix_spawn` and `waitpid` rather than Foundation's `Process`: on Linux, `Process`
/// notices a child's exit through a descriptor the child inherits, so a daemon that the child
/// leaves running (the postmaster that `pg_ctl start` forks) makes it wait forever.
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
    // Unlinked at once (nothing is left behind if buddy dies) and close-on-exec; read back once
    // the program has exited.
    let outputDescriptor = cspawn_temporary_file("/tmp")
    guard outputDescriptor >= 0 else {
      throw CLIError(.unexpected, "cannot create a temporary file: \(errorText())")
    }
    defer { close(outputDescriptor) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, outputDescriptor, 1)
    posix_spawn_file_actions_adddup2(&actions, outputDescriptor, 2)
    // dup2 clears close-on-exec on 1 and 2; every descriptor above 2 (this process's own and
    // any it inherited, e.g. a parent's exit-monitoring pipe) stays out of the child and of the
    // server `pg_ctl` leaves running, so whoever waits for buddy is not kept waiting by it.
    cspawn_add_closefrom(&actions, 3)

    var pid = pid_t()
    let cArguments = argv.map { strdup($0) } + [nil]
    defer {
      for argument in cArguments { free(argument) }
    }
    let spawnStatus = posix_spawn(&pid, argv[0], &actions, nil, cArguments, environ)
    guard spawnStatus == 0 else {
      throw CLIError(.config, "cannot run \(argv[0]): \(String(cString: strerror(spawnStatus)))")
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
      guard errno == EINTR else { throw CLIError(.unexpected, "waitpid failed: \(errorText())") }
    }
    let file = FileHandle(fileDescriptor: outputDescriptor, closeOnDealloc: false)
    try? file.seek(toOffset: 0)
    let output = String(decoding: (try? file.readToEnd()) ?? Data(), as: UTF8.self)
    let exitCode: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return Outcome(status: exitCode, output: output)
  }

  /// The first executable named `name` in `directories` or on `PATH`.
  static func locate(_ name: String, in directories: [String] = []) throws -> String {
    let path = Paths.environment("PATH") ?? "/usr/local/bin:/usr/bin:/bin"
    let candidates = directories + path.split(separator: ":").map(String.init)
    for directory in candidates
    where FileManager.default.isExecutableFile(atPath: directory + "/" + name) {
      return directory + "/" + name
    }
    throw CLIError(.config, "`\(name)` is not installed or not on PATH")
  }

  private static func errorText() -> String { String(cString: strerror(errno)) }
}
