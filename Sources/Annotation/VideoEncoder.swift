internal import CSpawn
internal import Foundation
internal import Glibc

/// ffmpeg turning raw RGB frames written to its standard input into an H.264 MP4 file.
///
/// Raw `rgb24` frames (not JPEGs) go down the pipe, so the video is compressed once. An odd
/// width or height is padded by one pixel (H.264 with 4:2:0 chroma needs even sizes). Standard
/// output is /dev/null, standard error an unnamed temporary file (`cspawn_temporary_file`:
/// nothing is left in /tmp if this process dies) whose last line explains a failure; nothing
/// else is inherited (the pipe is close-on-exec from the start, every descriptor from 3
/// up is closed in the child).
/// SIGPIPE is blocked on the writing thread while it writes, so an ffmpeg that died is an
/// error, not the end of the process.
final class VideoEncoder {
  private let pid: pid_t
  private let input: Int32
  /// The temporary file ffmpeg's standard error goes to (open until ``wait()``).
  private let errorFile: Int32
  private let path: String
  private var finished = false

  /// The first executable `ffmpeg` on `PATH`.
  static func locateFFmpeg() -> String? {
    let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
    for directory in path.split(separator: ":") {
      let candidate = String(directory) + "/ffmpeg"
      var status = stat()
      if stat(candidate, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG,
        access(candidate, X_OK) == 0
      {
        return candidate
      }
    }
    return nil
  }

  /// Starts ffmpeg writing `path` from `width`×`height` frames at `fps`.
  init(ffmpeg: String, path: String, width: Int, height: Int, fps: Double) throws(AnnotationError) {
    self.path = path
    let rate = fps.isFinite && fps > 0 && fps <= 1000 ? fps : 30
    let absolute =
      path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    let arguments = [
      "-v", "error", "-y",
      "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "\(width)x\(height)",
      "-framerate", "\(rate)", "-i", "pipe:0",
      "-an", "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2",
      "-c:v", "libx264", "-pix_fmt", "yuv420p", "-f", "mp4",
      // `file:` keeps a name like `http:x.mp4` or `-x.mp4` a local file name.
      "file:" + absolute,
    ]
    var pipeEnds: [Int32] = [0, 0]
    guard cspawn_pipe(&pipeEnds) == 0 else {
      throw AnnotationError(
        .writeFailed, path: path, reason: "cannot create a pipe: \(Self.errorText(errno))")
    }
    let errorDescriptor = cspawn_temporary_file("/tmp")
    guard errorDescriptor >= 0 else {
      let reason = Self.errorText(errno)
      close(pipeEnds[0])
      close(pipeEnds[1])
      throw AnnotationError(
        .writeFailed, path: path, reason: "cannot create a temporary file: \(reason)")
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, pipeEnds[0], 0)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, errorDescriptor, 2)
    cspawn_add_closefrom(&actions, 3)
    let argv = ([ffmpeg] + arguments).map { strdup($0) } + [nil]
    defer {
      for argument in argv { free(argument) }
    }
    var child = pid_t()
    let status = posix_spawn(&child, ffmpeg, &actions, nil, argv, environ)
    close(pipeEnds[0])
    guard status == 0 else {
      close(pipeEnds[1])
      close(errorDescriptor)
      throw AnnotationError(
        .writeFailed, path: path, reason: "cannot run \(ffmpeg): \(Self.errorText(status))")
    }
    pid = child
    input = pipeEnds[1]
    errorFile = errorDescriptor
  }

  /// Stops ffmpeg when nobody finished it (an error ended the counting): the video is
  /// incomplete.
  deinit {
    if !finished { _ = wait() }
  }

  /// Writes one frame's `width * height * 3` bytes.
  func write(_ bytes: [UInt8]) throws(AnnotationError) {
    var blocked = sigset_t()
    sigemptyset(&blocked)
    sigaddset(&blocked, SIGPIPE)
    var previous = sigset_t()
    pthread_sigmask(SIG_BLOCK, &blocked, &previous)
    defer {
      // A write into a closed pipe left a SIGPIPE pending on this thread: take it back.
      var pending = sigset_t()
      sigpending(&pending)
      if sigismember(&pending, SIGPIPE) == 1 {
        var zero = timespec()
        _ = sigtimedwait(&blocked, nil, &zero)
      }
      pthread_sigmask(SIG_SETMASK, &previous, nil)
    }
    let failure: Int32? = bytes.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let count = Glibc.write(input, raw.baseAddress.map { $0 + offset }, raw.count - offset)
        if count < 0 {
          if errno == EINTR { continue }
          return errno
        }
        offset += count
      }
      return nil
    }
    guard let failure else { return }
    let (status, text) = wait()
    finished = true
    throw AnnotationError(
      .writeFailed, path: path,
      reason: "ffmpeg stopped (\(Self.lastLine(text) ?? "exit \(status)"); "
        + "\(Self.errorText(failure)))")
  }

  /// Closes the pipe and waits for ffmpeg; its failure is an error with its last line.
  func finish() throws(AnnotationError) {
    guard !finished else { return }
    finished = true
    let (status, text) = wait()
    guard status == 0 else {
      throw AnnotationError(
        .writeFailed, path: path,
        reason: "ffmpeg failed: \(Self.lastLine(text) ?? "exit \(status)")")
    }
  }

  /// Closes the pipe, waits for the program and returns its exit code (128 + the signal) and
  /// what it wrote to standard error.
  private func wait() -> (status: Int32, text: String) {
    close(input)
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let text = Self.contents(of: errorFile)
    close(errorFile)
    let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return (code, text)
  }

  /// What ffmpeg wrote to the temporary file `descriptor`, from its start (at most 1 MiB:
  /// plenty for the last line of a failure).
  private static func contents(of descriptor: Int32) -> String {
    guard lseek(descriptor, 0, SEEK_SET) == 0 else { return "" }
    let file = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
    let bytes = (try? file.read(upToCount: 1 << 20)) ?? nil
    return String(decoding: bytes ?? Data(), as: UTF8.self)
  }

  private static func lastLine(_ text: String) -> String? {
    text.split(whereSeparator: \.isNewline).last.map(String.init)
  }

  private static func errorText(_ code: Int32) -> String {
    String(cString: strerror(code))
  }
}
