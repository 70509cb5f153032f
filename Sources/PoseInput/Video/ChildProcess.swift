internal import CSpawn
internal import Glibc

/// A helper program (ffprobe, ffmpeg) started with `posix_spawn`: standard input is
/// /dev/null, standard output a pipe read through ``output``, standard error a temporary file
/// read once the program has exited.
///
/// The program inherits nothing else: the pipe and the file are made close-on-exec from the
/// start and every descriptor from 3 up is closed in the child. Otherwise a program started on
/// another thread at the same moment (`buddy import` counts videos on several threads) would
/// keep this one's pipe open, and its reader would see the end of the output only when that
/// other program ended (ffprobe's answer waiting for a whole other video).
final class ChildProcess {
  /// The read end of the program's standard output (close-on-exec from the start).
  let output: Int32
  private let pid: pid_t
  /// The program's standard error: an unlinked temporary file, closed by ``finish()``.
  private let errorFile: Int32
  private var outcome: (status: Int32, errorText: String)?

  /// Starts `executable`; `name` is the input the error messages name.
  init(executable: String, arguments: [String], name: String) throws(PoseInputError) {
    var pipeEnds: [Int32] = [0, 0]
    guard cspawn_pipe(&pipeEnds) == 0 else {
      throw PoseInputError(
        .unavailable, file: name,
        reason: "cannot create a pipe: \(String(cString: strerror(errno)))")
    }
    // Unlinked at once (nothing is left behind if buddy dies); read back at `finish()`.
    let errorDescriptor = cspawn_temporary_file("/tmp")
    guard errorDescriptor >= 0 else {
      let reason = String(cString: strerror(errno))
      close(pipeEnds[0])
      close(pipeEnds[1])
      throw PoseInputError(
        .unavailable, file: name, reason: "cannot create a temporary file: \(reason)")
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
    posix_spawn_file_actions_adddup2(&actions, errorDescriptor, 2)
    // dup2 clears close-on-exec on 0, 1 and 2; everything above is closed whatever its flag.
    cspawn_add_closefrom(&actions, 3)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer {
      for argument in argv { free(argument) }
    }
    var child = pid_t()
    let status = posix_spawn(&child, executable, &actions, nil, argv, environ)
    close(pipeEnds[1])
    guard status == 0 else {
      close(pipeEnds[0])
      close(errorDescriptor)
      throw PoseInputError(
        .unavailable, file: name,
        reason: "cannot run \(executable): \(String(cString: strerror(status)))")
    }
    pid = child
    output = pipeEnds[0]
    errorFile = errorDescriptor
  }

  /// Waits for the program when nobody did (the reader gave up early).
  deinit { _ = finish() }

  /// Everything the program writes to standard output, up to its end (for short outputs).
  func readOutput() -> [UInt8] {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 14)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else { return bytes }
      bytes += chunk.prefix(count)
    }
  }

  /// Ends the program at once (SIGKILL: ffmpeg would finish its output on SIGTERM) and waits
  /// for it: for a program whose output is no longer wanted. Nothing when it was waited for.
  func stop() {
    if outcome == nil { kill(pid, SIGKILL) }
    _ = finish()
  }

  /// Closes ``output``, waits for the program and returns its exit code (128 + the signal
  /// when a signal ended it) and what it wrote to standard error. Later calls return the same.
  func finish() -> (status: Int32, errorText: String) {
    if let outcome { return outcome }
    close(output)
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let text = Self.contents(of: errorFile)
    close(errorFile)
    let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    outcome = (exitCode, text)
    return (exitCode, text)
  }

  /// The last non-empty line of `text`, if any.
  static func lastLine(_ text: String) -> String? {
    text.split(whereSeparator: \.isNewline).last.map(String.init)
  }

  /// What the program wrote to the temporary file `descriptor`, from its start.
  private static func contents(of descriptor: Int32) -> String {
    guard lseek(descriptor, 0, SEEK_SET) == 0 else { return "" }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 14)
    // Standard error of a failed ffmpeg is a few lines; 1 MiB is plenty for the last one.
    while bytes.count < 1 << 20 {
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else { break }
      bytes += chunk.prefix(count)
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
