internal import CSpawn
internal import Glibc

/// A helper program started with `posix_spawn`, inheriting nothing but its three standard
/// streams: what it writes to standard error (and, when asked, standard output) goes to an
/// unnamed temporary file, read back once it has exited.
///
/// The pipe and the file are close-on-exec from the start and every descriptor from 3 up is
/// closed in the child. Otherwise a program started on another thread at the same moment
/// (`buddy import` counts videos on several threads) would keep this one's pipe open, and its
/// reader would see the end of the output only when that other program ended; and a daemon a
/// program leaves running (the postmaster of `pg_ctl start`) would hold whoever waits for buddy.
/// The temporary file is unlinked at once (`cspawn_temporary_file`), so nothing is left in /tmp
/// if this process dies.
///
/// PoseInput's `ChildProcess` (ffprobe, ffmpeg writing frames), Annotation's `VideoEncoder`
/// (ffmpeg reading frames) and buddy's `ProcessRunner` (the PostgreSQL programs) are this, with
/// their own errors.
public final class SpawnedProgram {
  /// Where the program's standard input comes from.
  public enum Input: Sendable {
    /// /dev/null.
    case null
    /// A pipe whose write end is ``input``.
    case pipe
  }

  /// Where the program's standard output goes.
  public enum Output: Sendable {
    /// /dev/null.
    case null
    /// A pipe whose read end is ``output``.
    case pipe
    /// The temporary file standard error goes to, read back by ``wait(limit:)``.
    case withErrors
  }

  /// Why a program could not be started: no pipe or no temporary file (`resources`), or
  /// `posix_spawn` failed (`program`: missing or not executable); `reason` says which, with
  /// the system's words.
  public struct Failure: Error, Sendable {
    public enum Kind: Sendable { case resources, program }
    public var kind: Kind
    public var reason: String
  }

  /// How a program ended: its exit code (128 + the signal when a signal ended it) and what it
  /// wrote to the temporary file (at most the `limit` given to ``wait(limit:)``). When
  /// `waitpid` itself failed (e.g. ECHILD: someone else reaped the child), `waitError` is its
  /// `errno` and `status` is 255, never a success.
  public struct Outcome: Sendable {
    public var status: Int32
    public var captured: String
    public var waitError: Int32?
  }

  /// The write end of the program's standard input (``Input/pipe``), else -1. Close-on-exec;
  /// closed by ``closeInput()`` or ``wait(limit:)``.
  public private(set) var input: Int32
  /// The read end of the program's standard output (``Output/pipe``), else -1. Close-on-exec;
  /// closed by ``wait(limit:)``.
  public let output: Int32
  /// The process id.
  public let pid: Int32
  /// The temporary file standard error (and standard output, ``Output/withErrors``) go to.
  private let captureFile: Int32
  private var outcome: Outcome?

  /// Starts `executable` (a path) with `arguments` (after `argv[0]`, which is `executable`).
  public init(executable: String, arguments: [String], input: Input = .null, output: Output)
    throws(Failure)
  {
    var inputEnds: [Int32] = [-1, -1]
    var outputEnds: [Int32] = [-1, -1]
    func closeAll(_ descriptors: [Int32]) {
      for descriptor in descriptors where descriptor >= 0 { close(descriptor) }
    }
    if input == .pipe, cspawn_pipe(&inputEnds) != 0 {
      throw Failure(kind: .resources, reason: "cannot create a pipe: \(Self.systemText(errno))")
    }
    if output == .pipe, cspawn_pipe(&outputEnds) != 0 {
      let reason = Self.systemText(errno)
      closeAll(inputEnds)
      throw Failure(kind: .resources, reason: "cannot create a pipe: \(reason)")
    }
    let capture = cspawn_temporary_file("/tmp")
    guard capture >= 0 else {
      let reason = Self.systemText(errno)
      closeAll(inputEnds + outputEnds)
      throw Failure(kind: .resources, reason: "cannot create a temporary file: \(reason)")
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    switch input {
    case .null: posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    case .pipe: posix_spawn_file_actions_adddup2(&actions, inputEnds[0], 0)
    }
    switch output {
    case .null: posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    case .pipe: posix_spawn_file_actions_adddup2(&actions, outputEnds[1], 1)
    case .withErrors: posix_spawn_file_actions_adddup2(&actions, capture, 1)
    }
    posix_spawn_file_actions_adddup2(&actions, capture, 2)
    // dup2 clears close-on-exec on 0, 1 and 2; everything above is closed whatever its flag.
    cspawn_add_closefrom(&actions, 3)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer {
      for argument in argv { free(argument) }
    }
    var child = pid_t()
    let status = posix_spawn(&child, executable, &actions, nil, argv, environ)
    // The child's ends.
    closeAll([inputEnds[0], outputEnds[1]])
    guard status == 0 else {
      closeAll([inputEnds[1], outputEnds[0], capture])
      throw Failure(kind: .program, reason: "cannot run \(executable): \(Self.systemText(status))")
    }
    pid = child
    self.input = inputEnds[1]
    self.output = outputEnds[0]
    captureFile = capture
  }

  /// Waits for the program when nobody did.
  deinit { _ = wait() }

  /// Writes all of `bytes` to ``input``; nil, or the `errno` of the failed write (EPIPE when
  /// the program has gone: SIGPIPE is never raised in this process).
  public func write(_ bytes: UnsafeRawBufferPointer) -> Int32? {
    var offset = 0
    while offset < bytes.count {
      let count = cspawn_write_quietly(
        input, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
      guard count >= 0 else { return errno }
      offset += count
    }
    return nil
  }

  /// Closes ``input`` (the end of the program's standard input), if open.
  public func closeInput() {
    if input >= 0 { close(input) }
    input = -1
  }

  /// Ends the program at once (SIGKILL: ffmpeg would finish its output on SIGTERM) unless it
  /// was waited for already, then waits for it.
  public func kill() {
    if outcome == nil { Glibc.kill(pid, SIGKILL) }
    _ = wait()
  }

  /// Closes the pipes, waits for the program and returns how it ended, with at most `limit`
  /// bytes of what it wrote to the temporary file. Later calls return the same.
  public func wait(limit: Int = 1 << 20) -> Outcome {
    if let outcome { return outcome }
    closeInput()
    if output >= 0 { close(output) }
    var status: Int32 = 0
    var waitError: Int32?
    while waitpid(pid, &status, 0) < 0 {
      if errno == EINTR { continue }
      waitError = errno
      break
    }
    let captured = Self.contents(of: captureFile, limit: limit)
    close(captureFile)
    let exitCode =
      waitError != nil
      ? 255 : (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    let ended = Outcome(status: exitCode, captured: captured, waitError: waitError)
    outcome = ended
    return ended
  }

  /// The last non-empty line of `text`, if any.
  public static func lastLine(_ text: String) -> String? {
    text.split(whereSeparator: \.isNewline).last.map(String.init)
  }

  /// Everything the program writes to standard output (``Output/pipe``), up to its end (for
  /// short outputs).
  public func readOutput() -> [UInt8] { Self.bytes(from: output, limit: .max) }

  /// At most `limit` bytes of the file `descriptor`, from its start.
  private static func contents(of descriptor: Int32, limit: Int) -> String {
    guard lseek(descriptor, 0, SEEK_SET) == 0 else { return "" }
    return String(decoding: bytes(from: descriptor, limit: limit), as: UTF8.self)
  }

  /// At most `limit` bytes read from `descriptor`, up to its end.
  private static func bytes(from descriptor: Int32, limit: Int) -> [UInt8] {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 14)
    while bytes.count < limit {
      let wanted = min(chunk.count, limit - bytes.count)
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, wanted) }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else { break }
      bytes += chunk.prefix(count)
    }
    return bytes
  }

  private static func systemText(_ code: Int32) -> String { String(cString: strerror(code)) }
}

extension SpawnedProgram {
  /// The first executable regular file named `name` in `directories`, then on `PATH` (or
  /// /usr/local/bin, /usr/bin and /bin without one); nil when there is none.
  public static func executable(named name: String, in directories: [String] = []) -> String? {
    let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
    for directory in directories + path.split(separator: ":").map(String.init) {
      let candidate = directory + "/" + name
      var status = stat()
      if stat(candidate, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG,
        access(candidate, X_OK) == 0
      {
        return candidate
      }
    }
    return nil
  }
}
