internal import Glibc
internal import Spawn

/// ffmpeg (a ``SpawnedProgram``) turning raw RGB frames written to its standard input into an
/// H.264 MP4 file.
///
/// Raw `rgb24` frames (not JPEGs) go down the pipe, so the video is compressed once. An odd
/// width or height is padded by one pixel (H.264 with 4:2:0 chroma needs even sizes). Standard
/// output is /dev/null, standard error an unnamed temporary file (`cspawn_temporary_file`:
/// nothing is left in /tmp if this process dies) whose last line explains a failure; nothing
/// else is inherited (the pipe is close-on-exec from the start, every descriptor from 3
/// up is closed in the child). Writing never raises SIGPIPE, so an ffmpeg that died is an
/// error, not the end of the process.
final class VideoEncoder {
  /// Waited for when dropped unfinished (an error ended the counting): the pipe closes and
  /// the video is incomplete.
  private let program: SpawnedProgram
  private let path: String
  private var finished = false

  /// The first executable `ffmpeg` on `PATH`.
  static func locateFFmpeg() -> String? { SpawnedProgram.executable(named: "ffmpeg") }

  /// Starts ffmpeg writing `path` from `width`×`height` frames at `fps`.
  init(ffmpeg: String, path: String, width: Int, height: Int, fps: Double) throws(AnnotationError) {
    self.path = path
    let rate = fps.isFinite && fps > 0 && fps <= 1000 ? fps : 30
    let arguments = [
      "-v", "error", "-y",
      "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "\(width)x\(height)",
      "-framerate", "\(rate)", "-i", "pipe:0",
      "-an", "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2",
      "-c:v", "libx264", "-pix_fmt", "yuv420p", "-f", "mp4",
      // `file:` keeps a name like `http:x.mp4` or `-x.mp4` a local file name.
      "file:" + SpawnedProgram.absolutePath(path),
    ]
    do {
      program = try SpawnedProgram(
        executable: ffmpeg, arguments: arguments, input: .pipe, output: .null)
    } catch {
      throw AnnotationError(.writeFailed, path: path, reason: error.reason)
    }
  }

  /// Writes one frame's `width * height * 3` bytes.
  func write(_ bytes: [UInt8]) throws(AnnotationError) {
    guard let failure = bytes.withUnsafeBytes({ program.write($0) }) else { return }
    let (status, text) = wait()
    finished = true
    throw AnnotationError(
      .writeFailed, path: path,
      reason: "ffmpeg stopped (\(SpawnedProgram.lastLine(text) ?? "exit \(status)"); "
        + "\(String(cString: strerror(failure))))")
  }

  /// Closes the pipe and waits for ffmpeg; its failure is an error with its last line.
  func finish() throws(AnnotationError) {
    guard !finished else { return }
    finished = true
    let (status, text) = wait()
    guard status == 0 else {
      throw AnnotationError(
        .writeFailed, path: path,
        reason: "ffmpeg failed: \(SpawnedProgram.lastLine(text) ?? "exit \(status)")")
    }
  }

  /// Closes the pipe, waits for the program and returns its exit code (128 + the signal) and
  /// what it wrote to standard error.
  private func wait() -> (status: Int32, text: String) {
    let outcome = program.wait()
    return (outcome.status, outcome.captured)
  }
}
