import CSpawn
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A program a test runs, started with `posix_spawn` instead of Foundation's `Process`.
///
/// `Process.run()` in the Swift 6.3 toolchain walks /proc/self/fd copying 256 bytes of each
/// entry's name, past the end of readdir's buffer (swift-corelibs-foundation #5472): now and
/// then that crashes the test process, more often the more descriptors are open. Here the
/// child gets exactly its three standard streams (every other descriptor is closed in it), in a
/// process group of its own as `Process` gave it, with default signal dispositions and no
/// blocked signals; every descriptor this side opens is close-on-exec and closed after the run.
///
///     let result = try ChildRun("/usr/bin/ffprobe", ["-v", "error", video]).run(timeout: 30)
///     #expect(result.termination == .exited(0), "\(result.stderrText)")
public struct ChildRun: Sendable {
  /// What the child reads on standard input.
  public enum Input: Sendable {
    /// `/dev/null`.
    case nullDevice
    /// These bytes, from an unlinked temporary regular file (as with `program < file`), so the
    /// child can read it at its own pace and seek in it.
    case data(Data)
    /// The file at this path.
    case file(String)
    /// A pipe the test writes through ``RunningChild/write(_:)`` and closes with
    /// ``RunningChild/closeInput()``; only with ``start()``.
    case pipe
  }

  /// Where one of the child's output streams goes.
  public enum Output: Sendable {
    /// Into ``Result/stdout`` or ``Result/stderr``, read through a pipe as it comes.
    case capture
    /// To `/dev/null`.
    case discard
    /// Into the file at this path, created or truncated.
    case file(String)
    /// Handed to this closure chunk by chunk, as it arrives (on the child's monitor thread).
    case stream(@Sendable (Data) -> Void)
  }

  /// The child's environment.
  public enum Environment: Sendable {
    /// This process's environment with these variables added or replaced.
    case inherited([String: String])
    /// Exactly these variables.
    case exactly([String: String])
  }

  /// How the child ended.
  public enum Termination: Sendable, Equatable, CustomStringConvertible {
    /// It called `exit` with this status.
    case exited(Int32)
    /// A signal with this number ended it.
    case signalled(Int32)
    /// `waitpid` failed with this errno value: how it ended is not known.
    case unknown(Int32)

    /// The status a shell reports: the exit status, or 128 + the signal number.
    public var shellStatus: Int32 {
      switch self {
      case .exited(let status): status
      case .signalled(let signal): 128 + signal
      case .unknown: -1
      }
    }

    public var description: String {
      switch self {
      case .exited(let status): "exit status \(status)"
      case .signalled(let signal): "signal \(signal)"
      case .unknown(let code): "unknown end (waitpid: \(String(cString: strerror(code))))"
      }
    }
  }

  /// What a finished run printed and how it ended.
  public struct Result: Sendable {
    public var termination: Termination
    /// Captured standard output (empty unless it was ``Output/capture``).
    public var stdout: Data
    /// Captured standard error (empty unless it was ``Output/capture``).
    public var stderr: Data

    /// ``Termination/shellStatus``.
    public var status: Int32 { termination.shellStatus }
    /// Standard output as UTF-8 text (invalid bytes replaced).
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    /// Standard error as UTF-8 text (invalid bytes replaced).
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
  }

  /// A path, or a name looked up on the child's `PATH`.
  public var executable: String
  public var arguments: [String]
  public var environment: Environment
  /// Where the child starts; the test process's working directory when nil.
  public var currentDirectory: String?
  public var stdin: Input
  public var stdout: Output
  public var stderr: Output
  /// Whether the child leads a new process group (as with Foundation's `Process`); a timeout
  /// or ``RunningChild/signal(_:)`` then reaches the whole group.
  public var newProcessGroup: Bool

  public init(
    _ executable: String, _ arguments: [String] = [], environment: Environment = .inherited([:]),
    currentDirectory: String? = nil, stdin: Input = .nullDevice, stdout: Output = .capture,
    stderr: Output = .capture, newProcessGroup: Bool = true
  ) {
    self.executable = executable
    self.arguments = arguments
    self.environment = environment
    self.currentDirectory = currentDirectory
    self.stdin = stdin
    self.stdout = stdout
    self.stderr = stderr
    self.newProcessGroup = newProcessGroup
  }

  /// The command line, for messages.
  public var commandLine: String { ([executable] + arguments).joined(separator: " ") }

  /// Runs the program to its end and returns what it printed. After `timeout` seconds it is
  /// sent SIGTERM, 5 s later SIGKILL, and ``ChildRunTimeout`` is thrown.
  ///
  /// The run ends when the child has exited and its output is read: a daemon it leaves behind
  /// holding the output pipes does not keep the caller waiting.
  public func run(timeout: TimeInterval = 120) throws -> Result {
    let child = try start()
    if let result = child.wait(timeout: timeout) { return result }
    child.terminate(grace: 5)
    throw ChildRunTimeout(command: commandLine, seconds: timeout)
  }

  /// Starts the program and returns at once; see ``RunningChild``.
  public func start() throws -> RunningChild {
    let path = try resolvedExecutable()
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    // Descriptors that go to the child, closed here once it has started (or failed to).
    var childEnds: [Int32] = []
    // Descriptors this side keeps: the standard input pipe and the output pipes.
    var kept: [Int32] = []
    var started = false
    defer {
      for descriptor in childEnds { close(descriptor) }
      if !started { for descriptor in kept { close(descriptor) } }
    }

    var inputWriter: Int32 = -1
    switch stdin {
    case .nullDevice:
      try check(posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0), "stdin")
    case .data(let data):
      let descriptor = cspawn_temporary_file(NSTemporaryDirectory())
      guard descriptor >= 0 else { throw ChildRunError(commandLine, "temporary file", errno) }
      childEnds.append(descriptor)
      try writeAll(data, to: descriptor)
      guard lseek(descriptor, 0, SEEK_SET) == 0 else {
        throw ChildRunError(commandLine, "temporary file", errno)
      }
      try check(posix_spawn_file_actions_adddup2(&actions, descriptor, 0), "stdin")
    case .file(let file):
      let descriptor = open(file, O_RDONLY | O_CLOEXEC)
      guard descriptor >= 0 else { throw ChildRunError(commandLine, file, errno) }
      childEnds.append(descriptor)
      try check(posix_spawn_file_actions_adddup2(&actions, descriptor, 0), "stdin")
    case .pipe:
      var ends: [Int32] = [-1, -1]
      guard cspawn_pipe(&ends) == 0 else { throw ChildRunError(commandLine, "pipe", errno) }
      childEnds.append(ends[0])
      kept.append(ends[1])
      inputWriter = ends[1]
      try check(posix_spawn_file_actions_adddup2(&actions, ends[0], 0), "stdin")
    }

    var readers: [RunningChild.Reader] = []
    for (output, target) in [(stdout, Int32(1)), (stderr, Int32(2))] {
      switch output {
      case .discard:
        try check(
          posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_WRONLY, 0), "output")
      case .file(let file):
        let descriptor = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw ChildRunError(commandLine, file, errno) }
        childEnds.append(descriptor)
        try check(posix_spawn_file_actions_adddup2(&actions, descriptor, target), "output")
      case .capture, .stream:
        var ends: [Int32] = [-1, -1]
        guard cspawn_pipe(&ends) == 0 else { throw ChildRunError(commandLine, "pipe", errno) }
        childEnds.append(ends[1])
        kept.append(ends[0])
        try check(posix_spawn_file_actions_adddup2(&actions, ends[1], target), "output")
        var sink: RunningChild.Sink = .captured
        if case .stream(let handler) = output { sink = .streamed(handler) }
        readers.append(RunningChild.Reader(descriptor: ends[0], stream: target, sink: sink))
      }
    }
    // Nothing but the three standard streams reaches the child.
    try check(cspawn_add_closefrom(&actions, 3), "closefrom")
    if let currentDirectory { try check(cspawn_add_chdir(&actions, currentDirectory), "chdir") }

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
    if newProcessGroup { flags |= Int32(POSIX_SPAWN_SETPGROUP) }
    try check(posix_spawnattr_setflags(&attributes, Int16(flags)), "attributes")
    try check(posix_spawnattr_setpgroup(&attributes, 0), "attributes")
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    try check(posix_spawnattr_setsigmask(&attributes, &noSignals), "attributes")
    // Every signal the test process ignores (SIGPIPE, say) is back to its default in the child.
    var defaults = sigset_t()
    sigfillset(&defaults)
    try check(posix_spawnattr_setsigdefault(&attributes, &defaults), "attributes")

    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    let envp = environmentEntries().map { strdup($0) } + [nil]
    defer {
      for pointer in argv { free(pointer) }
      for pointer in envp { free(pointer) }
    }
    var pid = pid_t()
    let status = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
    guard status == 0 else { throw ChildRunError(commandLine, "cannot start", status) }
    started = true
    return RunningChild(
      pid: pid, command: commandLine, group: newProcessGroup, input: inputWriter,
      readers: readers)
  }

  /// `executable` itself when it holds a slash, else the first match on the child's `PATH`.
  private func resolvedExecutable() throws -> String {
    if executable.contains("/") { return executable }
    let variables: [String: String]
    switch environment {
    case .inherited(let overrides):
      variables = ProcessInfo.processInfo.environment.merging(overrides) { _, new in new }
    case .exactly(let exact): variables = exact
    }
    let path = variables["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for directory in path.split(separator: ":") {
      let candidate = directory + "/" + executable
      if access(candidate, X_OK) == 0 { return candidate }
    }
    throw ChildRunError(commandLine, "not found on PATH \(path)", ENOENT)
  }

  /// `NAME=value` entries for the child.
  private func environmentEntries() -> [String] {
    switch environment {
    case .exactly(let exact):
      return exact.map { "\($0.key)=\($0.value)" }
    case .inherited(let overrides):
      let merged = ProcessInfo.processInfo.environment.merging(overrides) { _, new in new }
      return merged.map { "\($0.key)=\($0.value)" }
    }
  }

  private func writeAll(_ data: Data, to descriptor: Int32) throws {
    try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
      guard let base = bytes.baseAddress else { return }  // nothing to write
      var offset = 0
      while offset < bytes.count {
        let written = write(descriptor, base + offset, bytes.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          throw ChildRunError(commandLine, "temporary file", errno)
        }
        offset += written
      }
    }
  }

  private func check(_ status: Int32, _ step: String) throws {
    guard status == 0 else { throw ChildRunError(commandLine, step, status) }
  }
}

/// A child could not be started.
public struct ChildRunError: Error, CustomStringConvertible {
  public var description: String

  init(_ command: String, _ step: String, _ code: Int32) {
    description = "\(command): \(step): \(String(cString: strerror(code)))"
  }
}

/// A child run did not finish in time (it was killed).
public struct ChildRunTimeout: Error, CustomStringConvertible {
  public var command: String
  public var seconds: TimeInterval
  public var description: String { "timed out after \(seconds) s: \(command)" }
}
