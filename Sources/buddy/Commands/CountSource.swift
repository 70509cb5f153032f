import Foundation
import PoseInput

#if canImport(Glibc)
import Glibc
#endif

/// What one count input holds, decided from the path and, for files and standard input, from
/// the first bytes: landmarks (JSON), JPEG frames (a file, a directory of JPEGs, an MJPEG
/// stream — `FF D8` first), or a video file that ffmpeg turns into an MJPEG stream.
enum CountSource {
  case landmarks(PoseReader)
  /// `fps`: the frame rate of the frames, when the source knows it (a resampled video).
  case frames(JPEGFrameSource, name: String, kind: String, fps: Double?, ffmpeg: MJPEGProcess?)

  /// Opens `path` (`-` for standard input). `fps` is --fps; `videoDefaultFPS` the rate a video
  /// is resampled to without --fps.
  static func open(
    _ path: String, options: PoseReader.Options, videoDefaultFPS: Double
  ) throws -> CountSource {
    if path == "-" { return try sniffStream(descriptor: 0, name: "-", options: options) }
    switch PathKind(path) {
    case .missing:
      throw PoseInputError(.missingInput, file: path, reason: "no such file or directory")
    case .directory:
      return .frames(
        try JPEGFrameSource.open(path), name: path, kind: "jpeg-directory", fps: nil, ffmpeg: nil)
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
      let tools = try FFmpeg.locate()
      // --fps resamples; otherwise the exercise's default rate, never above the video's own.
      let sourceFPS = try tools.probe(path).fps
      let rate = options.fps ?? min(videoDefaultFPS, sourceFPS ?? videoDefaultFPS)
      let process = try tools.mjpegStream(path, fps: rate)
      return .frames(
        .stream(descriptor: process.output, prefix: [], name: path), name: path, kind: "video",
        fps: rate, ffmpeg: process)
    }
    if startsWithJPEG(path) {
      return .frames(
        try JPEGFrameSource.open(path), name: path, kind: "jpeg", fps: nil, ffmpeg: nil)
    }
    return .landmarks(try PoseReader(path: path, options: options))
  }

  /// Opens `input`: a path as `open(_:options:videoDefaultFPS:)` does, a list of JPEG files as
  /// one frame sequence.
  static func open(
    _ input: CountInput, options: PoseReader.Options, videoDefaultFPS: Double
  ) throws -> CountSource {
    switch input {
    case .path(let path):
      return try open(path, options: options, videoDefaultFPS: videoDefaultFPS)
    case .frameFiles(let paths):
      return .frames(
        try JPEGFrameSource.files(paths), name: input.name, kind: "jpeg-files", fps: nil,
        ffmpeg: nil)
    }
  }

  /// Whether a directory holds JPEG frames and no landmark files (then it is one session).
  static func isFrameDirectory(_ path: String) -> Bool {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
      return false
    }
    let visible = names.filter { !$0.hasPrefix(".") }.map { $0.lowercased() }
    let hasJPEG = visible.contains(where: JPEGFrameSource.hasJPEGExtension)
    let hasLandmarks = visible.contains { name in
      [".json", ".jsonl", ".ndjson"].contains { name.hasSuffix($0) }
    }
    return hasJPEG && !hasLandmarks
  }

  /// Whether the regular file at `path` starts with the JPEG marker `FF D8` (a stream is never
  /// read here: its bytes would be gone).
  static func startsWithJPEG(_ path: String) -> Bool {
    guard PathKind(path) == .regularFile, let handle = FileHandle(forReadingAtPath: path) else {
      return false
    }
    defer { try? handle.close() }
    let head = [UInt8]((try? handle.read(upToCount: 2)) ?? Data())
    return head == [0xFF, 0xD8]
  }

  /// Reads a stream (standard input, a FIFO) up to its first non-blank byte: `FF` starts JPEG
  /// frames, a video container is refused (ffmpeg needs a file it can seek in), anything else
  /// is landmark JSON. The bytes read are handed on, so nothing is lost; the descriptor stays
  /// open for the rest of the process.
  private static func sniffStream(descriptor: Int32, name: String, options: PoseReader.Options)
    throws -> CountSource
  {
    var prefix: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while prefix.count < 1 << 20 {
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else { break }
      prefix += chunk.prefix(count)
      if prefix.contains(where: { !(($0 == 0x20) || ($0 >= 0x09 && $0 <= 0x0D)) }) { break }
    }
    let first = prefix.first { !(($0 == 0x20) || ($0 >= 0x09 && $0 <= 0x0D)) }
    if first == 0xFF {
      return .frames(
        .stream(descriptor: descriptor, prefix: prefix, name: name == "-" ? "<stdin>" : name),
        name: name, kind: "mjpeg", fps: nil, ffmpeg: nil)
    }
    if VideoFile.isVideo(head: Array(prefix.prefix(12))) {
      throw PoseInputError(
        .badData, file: name == "-" ? "<stdin>" : name,
        reason: "a video cannot be read from a pipe (ffmpeg needs a file); save it to a file, "
          + "or pipe MJPEG: ffmpeg -i clip.mp4 -f mjpeg - | buddy count -")
    }
    return .landmarks(
      PoseReader(descriptor: descriptor, prefix: prefix, name: name, options: options))
  }
}
