internal import Glibc
internal import Spawn

/// ffmpeg and ffprobe, used to turn a video file into an MJPEG stream of frames.
struct FFmpeg {
  let ffmpeg: String
  let ffprobe: String

  /// Finds both programs on PATH, or explains how to install them (a `.unavailable` error
  /// naming `input`).
  static func locate(for input: String) throws(PoseInputError) -> FFmpeg {
    guard let ffmpeg = SpawnedProgram.executable(named: "ffmpeg"),
      let ffprobe = SpawnedProgram.executable(named: "ffprobe")
    else {
      throw PoseInputError(
        .unavailable, file: input,
        reason: "reading video files needs ffmpeg, which is not installed; install it with "
          + "`sudo apt-get install -y ffmpeg` (or give frames: `ffmpeg -i VIDEO frames/%05d.jpg`)")
    }
    return FFmpeg(ffmpeg: ffmpeg, ffprobe: ffprobe)
  }

  /// The video's average frame rate and frame count, as far as ffprobe knows them.
  func probe(_ path: String) throws(PoseInputError) -> (fps: Double?, frames: Int?) {
    try Self.probeResult(try startProbe(path), path: path)
  }

  /// Starts ffprobe on `path`; ``probeResult(_:path:)`` waits for it. Lets other work (ffmpeg
  /// starting, the models loading) overlap ffprobe's run.
  func startProbe(_ path: String) throws(PoseInputError) -> ChildProcess {
    try ChildProcess(
      executable: ffprobe,
      arguments: [
        "-v", "error", "-select_streams", "v:0", "-show_entries",
        "stream=avg_frame_rate,nb_frames", "-of", "default=noprint_wrappers=1",
      ] + Self.inputArguments(path), name: path)
  }

  /// What the ffprobe started by ``startProbe(_:)`` found: the video's average frame rate and
  /// frame count; a `.badData` error ("not a readable video") when ffprobe failed.
  static func probeResult(_ process: ChildProcess, path: String)
    throws(PoseInputError) -> (fps: Double?, frames: Int?)
  {
    let output = String(decoding: process.readOutput(), as: UTF8.self)
    let (status, errorText) = process.finish()
    guard status == 0 else {
      let line = ChildProcess.lastLine(errorText) ?? ChildProcess.lastLine(output) ?? "no output"
      throw PoseInputError(.badData, file: path, reason: "not a readable video (\(line))")
    }
    var fps: Double?
    var frames: Int?
    for line in output.split(separator: "\n") {
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
  /// given; read the frames from `output`, then call `finish()`. `singleThreaded`: decode,
  /// filter and encode on one thread (`-threads 1 -filter_threads 1`).
  func mjpegStream(_ path: String, fps: Double?, singleThreaded: Bool = false)
    throws(PoseInputError) -> ChildProcess
  {
    let threads = singleThreaded ? ["-threads", "1", "-filter_threads", "1"] : []
    var arguments = ["-nostdin", "-v", "error"] + threads + Self.inputArguments(path) + ["-an"]
    arguments += threads
    if let fps { arguments += ["-vf", "fps=\(fps)"] }
    arguments += ["-f", "mjpeg", "-q:v", "2", "-"]
    return try ChildProcess(executable: ffmpeg, arguments: arguments, name: path)
  }

  /// Waits for a stream started by ``mjpegStream(_:fps:singleThreaded:)``; a failure is a `.badData` error
  /// with ffmpeg's last error line. ffmpeg stopped by SIGPIPE (the reader closed early) is not
  /// a failure.
  static func finish(_ process: ChildProcess, source: String) throws(PoseInputError) {
    let (status, errorText) = process.finish()
    guard status == 0 || status == 128 + SIGPIPE else {
      throw PoseInputError(
        .badData, file: source,
        reason: "ffmpeg failed: \(ChildProcess.lastLine(errorText) ?? "exit \(status)")")
    }
  }

  /// The input options that make ffmpeg and ffprobe read `path` as a local file and nothing else.
  ///
  /// A relative path is first made absolute against the working directory. Both programs
  /// would also take a name like `http:/host/clip.mp4` or `concat:a|b` for a URL, so the path
  /// is given as a `file:` URL (ffmpeg takes everything after `file:` literally: spaces, `%`,
  /// `?`, `#` and a leading `-` stay part of the name) and the protocols are limited to `file`
  /// and `pipe`, which also keeps a container from pointing ffmpeg at the network.
  static func inputArguments(_ path: String) -> [String] {
    ["-protocol_whitelist", "file,pipe", "-i", "file:" + SpawnedProgram.absolutePath(path)]
  }
}
