internal import Glibc
internal import PoseEstimation

extension PoseFrameSource {
  /// What an input turned out to hold, decided from the path and, for files and streams, from
  /// the first bytes: landmarks (JSON), or JPEG frames (a file, a directory of JPEGs, a list,
  /// an MJPEG stream — `FF D8` first — or a video file that ffmpeg turns into an MJPEG stream).
  enum Opened {
    case landmarks(PoseReader)
    /// `fps`: the frames' rate when the source knows it (a resampled video); `process`: the
    /// ffmpeg writing the stream.
    case frames(JPEGFrameSource, kind: Kind, fps: Double?, process: ChildProcess?)
  }

  /// Opens `input`. `fps` is the caller's rate (--fps); a video is resampled to it, else to
  /// `videoFPS`, never above the video's own rate. `threads` parse a large landmark file; 1, or
  /// as many as this process has CPUs, also keeps ffmpeg on one thread: several inputs counted
  /// at once, one per core, or the pose models' threads on every core, leave it no core of its
  /// own, and its extra threads would only take turns with the models' (the same frames, byte
  /// for byte, either way). `onVideo` is called once a video's ffprobe and ffmpeg are
  /// running, before waiting for ffprobe (e.g. to start loading the pose models meanwhile).
  static func open(
    _ input: Input, fps: Double?, videoFPS: Double, threads: Int = 1, onVideo: () -> Void = {}
  ) throws(PoseInputError) -> Opened {
    switch input {
    case .frameFiles(let paths):
      return .frames(try JPEGFrameSource.files(paths), kind: .jpegFiles, fps: nil, process: nil)
    case .path(let path):
      return try open(path, fps: fps, videoFPS: videoFPS, threads: threads, onVideo: onVideo)
    }
  }

  private static func open(
    _ path: String, fps: Double?, videoFPS: Double, threads: Int, onVideo: () -> Void
  ) throws(PoseInputError) -> Opened {
    let options = PoseReader.Options(fps: fps, threads: threads)
    if path == "-" { return try sniffStream(descriptor: 0, name: "-", options: options) }
    switch PathKind(path) {
    case .missing:
      throw PoseInputError(.missingInput, file: path, reason: "no such file or directory")
    case .directory:
      return .frames(try JPEGFrameSource.open(path), kind: .jpegDirectory, fps: nil, process: nil)
    case .stream:
      // A FIFO, `<(process substitution)`, a device: its bytes can be read once only, so it is
      // opened once and sniffed like standard input.
      let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
      guard descriptor >= 0 else {
        throw PoseInputError(.missingInput, file: path, reason: String(cString: strerror(errno)))
      }
      return try sniffStream(descriptor: descriptor, name: path, options: options)
    case .regularFile:
      break
    }
    if VideoFile.isVideo(path) {
      let tools = try FFmpeg.locate(for: path)
      // The caller's rate resamples; otherwise the default rate, never above the video's own.
      // ffprobe, ffmpeg and `onVideo`'s work run side by side (VideoStart).
      let start = try VideoStart(
        path, tools: tools, fps: fps, videoFPS: videoFPS,
        singleThreaded: threads == 1 || threads >= ComputeThreads.availableCores)
      onVideo()
      let (process, rate) = try start.stream()
      return .frames(
        .stream(descriptor: process.output, prefix: [], name: path), kind: .video, fps: rate,
        process: process)
    }
    if startsWithJPEG(path) {
      return .frames(try JPEGFrameSource.open(path), kind: .jpeg, fps: nil, process: nil)
    }
    return .landmarks(try PoseReader(path: path, options: options))
  }

  /// Whether the regular file at `path` starts with the JPEG marker `FF D8` (a stream is never
  /// read here: its bytes would be gone).
  static func startsWithJPEG(_ path: String) -> Bool {
    LocalFiles.head(path, count: 2) == [0xFF, 0xD8]
  }

  /// Reads a stream (standard input, a FIFO) up to its first non-blank byte: `FF` starts JPEG
  /// frames, a video container is refused (ffmpeg needs a file it can seek in), anything else
  /// is landmark JSON. The bytes read are handed on, so nothing is lost; the descriptor stays
  /// open for the rest of the process.
  private static func sniffStream(descriptor: Int32, name: String, options: PoseReader.Options)
    throws(PoseInputError) -> Opened
  {
    func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
    var prefix: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while prefix.count < 1 << 20 {
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else { break }
      prefix += chunk.prefix(count)
      if prefix.contains(where: { !isBlank($0) }) { break }
    }
    let shownName = name == "-" ? "<stdin>" : name
    if prefix.first(where: { !isBlank($0) }) == 0xFF {
      return .frames(
        .stream(descriptor: descriptor, prefix: prefix, name: shownName), kind: .mjpeg, fps: nil,
        process: nil)
    }
    if VideoFile.isVideo(head: Array(prefix.prefix(12))) {
      throw PoseInputError(
        .badData, file: shownName,
        reason: "a video cannot be read from a pipe (ffmpeg needs a file); save it to a file, "
          + "or pipe MJPEG: ffmpeg -i clip.mp4 -f mjpeg - | buddy count -")
    }
    return .landmarks(
      PoseReader(descriptor: descriptor, prefix: prefix, name: name, options: options))
  }
}
