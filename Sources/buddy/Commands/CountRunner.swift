import Foundation
import PoseEstimation
import PoseInput
import RepCounting

/// Turns one landmark input (a file, a FIFO or `-`) into a ``SessionSummary``, reporting each
/// repetition as it becomes final. Shared by `buddy count` and anything else that counts a
/// recorded or live stream.
struct CountRunner {
  /// What to count.
  var mode: CountSession.Mode
  /// Frame rate for frames without timestamps.
  var fps: Double?
  /// Image size overriding the document's.
  var size: ImageSize?
  /// Threads for JPEG sources: they share each frame's pose work, and with 2 or more a reader
  /// thread decodes the next frames while the pose models run.
  var threads = PoseThreads.defaultCount

  /// What counting one input gave.
  struct Counted {
    var summary: SessionSummary
    /// The landmark document's `start_time`, if any.
    var startTime: String?
    /// What the input was: `document`, `jsonl`, `array`, `jpeg`, `jpeg-directory`, `mjpeg`, `video`.
    var kind: String
  }

  /// Counts `input` (landmarks, JPEG frames, MJPEG, video, or a list of JPEG files), passing
  /// the input's bytes in order to `onBytes` (the raw landmark bytes, or each frame's JPEG
  /// bytes).
  func count(
    _ input: CountInput, onEvent: (CountSession.Event) -> Void = { _ in },
    onBytes: @escaping (UnsafeRawBufferPointer) -> Void = { _ in }
  ) throws -> Counted {
    let videoFPS: Double
    switch mode {
    case .fixed(let exercise): videoFPS = exercise.videoFPS
    case .auto: videoFPS = Exercise.detectionVideoFPS
    }
    switch try CountSource.open(
      input, options: PoseReader.Options(fps: fps), videoDefaultFPS: videoFPS)
    {
    case .landmarks(let reader):
      reader.onRawBytes = onBytes
      let summary = try run(reader: reader, onEvent: onEvent)
      return Counted(
        summary: summary, startTime: reader.header.startTime,
        kind: reader.format.map { "\($0)" } ?? "unknown")
    case .frames(var frames, let name, let kind, let sourceFPS, let ffmpeg):
      let rate = fps ?? sourceFPS ?? 30
      let label = name == "-" ? "<stdin>" : name
      if fps == nil && sourceFPS == nil {
        Terminal.note("\(label): no --fps given; timing frames at 30 fps")
      }
      if case .fixed(let exercise) = mode, rate < exercise.minimumFPS {
        Terminal.note(
          "\(label): \(exercise.name) needs at least \(Int(exercise.minimumFPS)) frames per second "
            + "\(exercise.minimumFPSReason); these frames are \(rate) fps, so the count may be low")
      }
      do {
        let summary = try runFrames(
          &frames, name: name, fps: rate, onEvent: onEvent, onBytes: onBytes)
        try ffmpeg?.finish()
        return Counted(summary: summary, startTime: nil, kind: kind)
      } catch {
        try? ffmpeg?.finish()
        throw error
      }
    }
  }

  /// Estimates the pose in each JPEG frame (BlazePose, tracking) and counts, frame by frame,
  /// with memory independent of the number of frames.
  private func runFrames(
    _ source: inout JPEGFrameSource, name: String, fps: Double,
    onEvent: (CountSession.Event) -> Void, onBytes: (UnsafeRawBufferPointer) -> Void
  ) throws -> SessionSummary {
    let frames = FramePrefetcher(source, threads: threads)
    defer { frames.stop() }
    var pipeline: PosePipeline?
    var session: CountSession?
    var index = 0
    var decoded = 0
    let showProgress = isatty(2) != 0
    let started = Date()
    var lastProgress = started
    defer { if showProgress && index > 0 { Terminal.writeStderr("\r\u{1B}[K") } }
    while let frame = frames.next() {
      let time = Double(index) / fps
      index += 1
      if showProgress, Date().timeIntervalSince(lastProgress) >= 0.25 {
        lastProgress = Date()
        let rate = Double(index) / max(lastProgress.timeIntervalSince(started), 0.001)
        var line = "\r\u{1B}[K  \(index)"
        if let total = frames.frameCount {
          let remaining = Int((Double(max(total - index, 0)) / max(rate, 0.001)).rounded())
          line +=
            "/\(total) frames  \(Int(rate.rounded())) frames/s  ETA \(DurationText.clock(remaining))"
        } else {
          line += " frames  \(Int(rate.rounded())) frames/s"
        }
        Terminal.writeStderr(line)
      }
      var landmarks: [Landmark] = []
      switch frame.bytes {
      case .failure(let error):
        Terminal.note("warning: skipped \(frame.name): \(error.reason)")
      case .success(let bytes):
        bytes.withUnsafeBytes { onBytes($0) }
        guard case .success(let image) = frame.decoded else {
          if case .failure(let error) = frame.decoded {
            Terminal.note("warning: skipped \(frame.name): \(error.reason)")
          }
          break  // counted as a frame without a pose
        }
        decoded += 1
        if pipeline == nil {
          try CPUFeatures.requirePoseKernels()
          pipeline = try PosePipeline(
            models: ModelIntegrity.files(),
            mode: .tracking, threads: threads)
        }
        if session == nil {
          let geometry: ImageGeometry
          if let size {
            geometry = ImageGeometry(width: Double(size.width), height: Double(size.height))
          } else {
            geometry = ImageGeometry(width: Double(image.width), height: Double(image.height))
          }
          session = CountSession(mode: mode, geometry: geometry)
        }
        if let estimate = try pipeline?.process(image, at: time) {
          landmarks = estimate.landmarks.map {
            Landmark(x: $0.x, y: $0.y, z: $0.z, visibility: $0.visibility)
          }
        }
      }
      guard var running = session else { continue }
      session = nil  // keep the state uniquely referenced while it mutates
      for event in running.consume(PoseFrame(time: time, landmarks: landmarks)) { onEvent(event) }
      session = running
    }
    guard decoded > 0, var final = session else {
      throw PoseInputError(
        .badData, file: name,
        reason: index == 0 ? "no JPEG frame found" : "no frame could be decoded")
    }
    for event in final.finish() { onEvent(event) }
    return final.summary
  }

  /// A reader for `path` with this runner's options (callers may observe its raw bytes).
  func reader(_ path: String) throws -> PoseReader {
    try PoseReader(path: path, options: PoseReader.Options(fps: fps))
  }

  /// The largest frame time, in seconds either side of 0, that a landmark input may hold
  /// (about 31,700 years: room for Unix times, while every time and duration stays exactly
  /// representable as whole seconds or tenths in an `Int`).
  static let maximumFrameTime = 1e12

  /// Reads `reader` to the end, calling `onEvent` for every repetition the moment it is final.
  func run(reader: PoseReader, onEvent: (CountSession.Event) -> Void = { _ in }) throws
    -> SessionSummary
  {
    let path = reader.name
    var session: CountSession?
    var index = 0
    while let frame = try reader.next() {
      guard abs(frame.time) <= Self.maximumFrameTime else {
        throw PoseInputError(
          .badData, file: path, frameIndex: index,
          reason: "time \(frame.time) s is beyond the ±1e12 s a frame may have")
      }
      index += 1
      if session == nil {
        session = CountSession(mode: mode, geometry: geometry(header: reader.header))
      }
      if var running = session {
        session = nil  // keep the state uniquely referenced while it mutates
        for event in running.consume(frame) { onEvent(event) }
        session = running
      }
    }
    var final = session ?? CountSession(mode: mode)
    for event in final.finish() { onEvent(event) }
    if reader.usedDefaultFPS {
      Terminal.note(
        "\(path == "-" ? "<stdin>" : path): frames have no timestamps and no fps is known;"
          + " assuming 30 fps (use --fps)")
    }
    return final.summary
  }

  private func geometry(header: PoseDocumentHeader) -> ImageGeometry {
    if let size {
      return ImageGeometry(width: Double(size.width), height: Double(size.height))
    }
    if let width = header.width, let height = header.height {
      return ImageGeometry(width: width, height: height)
    }
    return .normalised
  }
}
