internal import Glibc

/// A helper program (ffprobe, ffmpeg) started with `posix_spawn`: standard input is
/// /dev/null, standard output a pipe read through ``output``, standard error a temporary file
/// read once the program has exited.
final class ChildProcess {
  /// The read end of the program's standard output (close-on-exec).
  let output: Int32
  private let pid: pid_t
  private let errorPath: String
  private var outcome: (status: Int32, errorText: String)?

  /// Starts `executable`; `name` is the input the error messages name.
  init(executable: String, arguments: [String], name: String) throws(PoseInputError) {
    var pipeEnds: [Int32] = [0, 0]
    guard pipe(&pipeEnds) == 0 else {
      throw PoseInputError(
        .unavailable, file: name,
        reason: "cannot create a pipe: \(String(cString: strerror(errno)))")
    }
    var template = Array("/tmp/buddy-ffmpeg-XXXXXX".utf8CString)
    let errorDescriptor = mkstemp(&template)
    guard errorDescriptor >= 0 else {
      let reason = String(cString: strerror(errno))
      close(pipeEnds[0])
      close(pipeEnds[1])
      throw PoseInputError(
        .unavailable, file: name, reason: "cannot create a temporary file: \(reason)")
    }
    errorPath = String(
      decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
    posix_spawn_file_actions_adddup2(&actions, errorDescriptor, 2)
    posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer {
      for argument in argv { free(argument) }
    }
    var child = pid_t()
    let status = posix_spawn(&child, executable, &actions, nil, argv, environ)
    close(pipeEnds[1])
    close(errorDescriptor)
    guard status == 0 else {
      close(pipeEnds[0])
      unlink(errorPath)
      throw PoseInputError(
        .unavailable, file: name,
        reason: "cannot run \(executable): \(String(cString: strerror(status)))")
    }
    pid = child
    output = pipeEnds[0]
    _ = fcntl(output, F_SETFD, FD_CLOEXEC)
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
    let text = Self.contents(of: errorPath)
    unlink(errorPath)
    let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    outcome = (exitCode, text)
    return (exitCode, text)
  }

  /// The last non-empty line of `text`, if any.
  static func lastLine(_ text: String) -> String? {
    text.split(whereSeparator: \.isNewline).last.map(String.init)
  }

  private static func contents(of path: String) -> String {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return "" }
    defer { close(descriptor) }
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
