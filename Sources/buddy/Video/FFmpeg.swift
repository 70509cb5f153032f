import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// ffmpeg and ffprobe, used to turn a video file into an MJPEG stream of frames.
struct FFmpeg {
  let ffmpeg: String
  let ffprobe: String

  /// Finds both programs on PATH, or explains how to install them (exit 69).
  static func locate() throws -> FFmpeg {
    guard let ffmpeg = try? ProcessRunner.locate("ffmpeg"),
      let ffprobe = try? ProcessRunner.locate("ffprobe")
    else {
      throw CLIError(
        .unavailable,
        "reading video files needs ffmpeg, which is not installed; install it with "
          + "`sudo apt-get install -y ffmpeg` (or give frames: `ffmpeg -i VIDEO frames/%05d.jpg`)")
    }
    return FFmpeg(ffmpeg: ffmpeg, ffprobe: ffprobe)
  }

  /// The video's average frame rate and frame count, as far as ffprobe knows them.
  func probe(_ path: String) throws -> (fps: Double?, frames: Int?) {
    let result = try ProcessRunner.run(
      ffprobe,
      [
        "-v", "error", "-select_streams", "v:0", "-show_entries",
        "stream=avg_frame_rate,nb_frames", "-of", "default=noprint_wrappers=1",
      ] + Self.inputArguments(path))
    guard result.status == 0 else {
      throw CLIError(.dataError, "\(path): not a readable video (\(Self.lastLine(result.output)))")
    }
    var fps: Double?
    var frames: Int?
    for line in result.output.split(separator: "\n") {
      let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2 else { continue }
      switch parts[0] {
      case "avg_frame_rate":
        let ratio = parts[1].split(separator: "/").compactMap { Double($0) }
        if ratio.count == 2, ratio[1] > 0, ratio[0] > 0 { fps = ratio[0] / ratio[1] }
      case "nb_frames":
        frames = Int(parts[1])
      default:
        break
      }
    }
    return (fps, frames)
  }

  /// Starts ffmpeg writing `path` as concatenated JPEG frames to a pipe, resampled to `fps` when
  /// given; read the frames from `output`, then call `finish()`.
  func mjpegStream(_ path: String, fps: Double?) throws -> MJPEGProcess {
    var arguments = ["-nostdin", "-v", "error"] + Self.inputArguments(path) + ["-an"]
    if let fps { arguments += ["-vf", "fps=\(fps)"] }
    arguments += ["-f", "mjpeg", "-q:v", "2", "-"]
    return try MJPEGProcess(executable: ffmpeg, arguments: arguments, source: path)
  }

  /// The input options that make ffmpeg and ffprobe read `path` as a local file and nothing else.
  ///
  /// ffprobe runs in `/` (see `ProcessRunner`), so a relative path is first made absolute against
  /// buddy's own working directory. Both programs would also take a name like
  /// `http:/host/clip.mp4` or `concat:a|b` for a URL, so the path is given as a `file:` URL
  /// (ffmpeg takes everything after `file:` literally: spaces, `%`, `?`, `#` and a leading `-`
  /// stay part of the name) and the protocols are limited to `file` and `pipe`, which also keeps
  /// a container from pointing ffmpeg at the network.
  static func inputArguments(_ path: String) -> [String] {
    ["-protocol_whitelist", "file,pipe", "-i", "file:" + Paths.absolute(path)]
  }

  private static func lastLine(_ text: String) -> String {
    text.split(whereSeparator: \.isNewline).last.map(String.init) ?? "no output"
  }
}

/// A running ffmpeg whose standard output is a pipe of JPEG frames.
final class MJPEGProcess {
  /// The read end of ffmpeg's standard output.
  let output: Int32
  private let pid: pid_t
  private let errorPath: String
  private let source: String

  init(executable: String, arguments: [String], source: String) throws {
    self.source = source
    var pipeEnds: [Int32] = [0, 0]
    guard pipe(&pipeEnds) == 0 else {
      throw CLIError(.unexpected, "cannot create a pipe: \(String(cString: strerror(errno)))")
    }
    var template = Array("/tmp/buddy-ffmpeg-XXXXXX".utf8CString)
    let errorDescriptor = mkstemp(&template)
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
      throw CLIError(.unavailable, "cannot run \(executable): \(String(cString: strerror(status)))")
    }
    pid = child
    output = pipeEnds[0]
    _ = fcntl(output, F_SETFD, FD_CLOEXEC)
  }

  /// Waits for ffmpeg; throws with its last error line when it failed.
  func finish() throws {
    close(output)
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let message = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
    unlink(errorPath)
    let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    // 141: ffmpeg was stopped by SIGPIPE because the reader closed early, which is not an error.
    guard exitCode == 0 || exitCode == 128 + SIGPIPE else {
      let line =
        message.split(whereSeparator: \.isNewline).last.map(String.init) ?? "exit \(exitCode)"
      throw CLIError(.dataError, "\(source): ffmpeg failed: \(line)")
    }
  }
}
