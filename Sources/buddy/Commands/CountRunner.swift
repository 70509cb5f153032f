import Foundation
import PoseEstimation
import PoseInput
import RepCounting

/// Counts one input (a landmark file, a FIFO or `-`, JPEG frames, MJPEG, a video) into a
/// ``SessionSummary``, reporting each repetition as it becomes final: the input is a
/// `PoseFrameSource`, and counting is one loop over its frames. Shared by `buddy count` and
/// anything else that counts a recorded or live stream.
struct CountRunner {
  /// What to count.
  var mode: CountSession.Mode
  /// Frame rate for frames without timestamps.
  var fps: FrameRate?
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
    /// What the input was (`PoseFrameSource.Kind`'s raw value): `document`, `array`,
    /// `jsonLines`, `jpeg`, `jpeg-directory`, `jpeg-files`, `mjpeg`, `video`.
    var kind: String
  }

  /// Counts `input`, passing the input's bytes in order to `onBytes` (the raw landmark bytes,
  /// or each frame's JPEG bytes).
  func count(
    _ input: CountInput, onEvent: (CountSession.Event) -> Void = { _ in },
    onBytes: @escaping (UnsafeRawBufferPointer) -> Void = { _ in }
  ) throws -> Counted {
    let threads = threads
    let videoFPS: Double
    switch mode {
    case .fixed(let exercise): videoFPS = exercise.videoFPS
    case .auto: videoFPS = Exercise.detectionVideoFPS
    }
    let source = try PoseFrameSource(
      input,
      options: PoseFrameSource.Options(
        fps: fps?.framesPerSecond, videoFPS: videoFPS,
        geometry: size.map { ImageGeometry(width: Double($0.width), height: Double($0.height)) },
        threads: threads),
      makePipeline: {
        try CPUFeatures.requirePoseKernels()
        return try PosePipeline(models: ModelIntegrity.files(), mode: .tracking, threads: threads)
      },
      onRawBytes: onBytes, onNotice: { Terminal.note("\($0)") })
    if let rate = source.frameRate, case .fixed(let exercise) = mode, rate < exercise.minimumFPS {
      Terminal.note(
        "\(input.name): \(exercise.name) needs at least \(Int(exercise.minimumFPS)) frames per "
          + "second \(exercise.minimumFPSReason); these frames are \(rate) fps, so the count may "
          + "be low")
    }
    var progress = ProgressLine(enabled: source.kind?.isImages == true && isatty(2) != 0)
    defer { progress.clear() }
    var session: CountSession?
    while let frame = try source.next() {
      progress.show(source.progress)
      var running = session ?? CountSession(mode: mode, geometry: source.geometry ?? .normalised)
      session = nil  // keep the state uniquely referenced while it mutates
      for event in running.consume(frame) { onEvent(event) }
      session = running
    }
    var final = session ?? CountSession(mode: mode)
    for event in final.finish() { onEvent(event) }
    return Counted(
      summary: final.summary, startTime: source.startTime,
      kind: source.kind?.rawValue ?? "unknown")
  }

  /// The progress line of image inputs on a terminal: frames, frames/s and, when the number of
  /// frames is known, an ETA; redrawn at most four times a second.
  private struct ProgressLine {
    var enabled: Bool
    private let started = Date()
    private var last = Date()
    private var shown = false

    init(enabled: Bool) { self.enabled = enabled }

    mutating func show(_ progress: PoseFrameSource.Progress) {
      guard enabled, Date().timeIntervalSince(last) >= 0.25 else { return }
      last = Date()
      shown = true
      let index = progress.framesRead
      let rate = Double(index) / max(last.timeIntervalSince(started), 0.001)
      var line = "\r\u{1B}[K  \(index)"
      if let total = progress.totalFrames {
        let remaining = Int((Double(max(total - index, 0)) / max(rate, 0.001)).rounded())
        line +=
          "/\(total) frames  \(Int(rate.rounded())) frames/s  ETA \(DurationText.clock(remaining))"
      } else {
        line += " frames  \(Int(rate.rounded())) frames/s"
      }
      Terminal.writeStderr(line)
    }

    func clear() {
      if shown { Terminal.writeStderr("\r\u{1B}[K") }
    }
  }
}
