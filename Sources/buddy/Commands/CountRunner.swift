import Foundation
import PoseEstimation
import PoseInput
import Recording
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
  /// `--annotate` and `--frames`: draw every counted frame (nil: draw nothing).
  var annotate: AnnotateOptions?
  /// `record --keep-landmarks`: keep the session's landmark stream for storage.
  var keepLandmarks = false
  /// `count --dump-frames FILE` (hidden): write the frames the counters are fed (``FrameDump``).
  var dumpFrames: String?
  /// `count --replay-video-fps R` (hidden): the input is a `--dump-frames` file of a video
  /// decoded at R fps by default; auto mode feeds the counters as for that video.
  var replayedVideoFPS: Double?

  /// Counts `input` (`buddy count`).
  func count(_ input: CountInput, onEvent: (CountSession.Event) -> Void = { _ in }) throws
    -> SessionSummary
  {
    var feedback = Feedback(input: input, mode: mode)
    defer { feedback.end() }
    let source = try PoseFrameSource(
      input, options: options, makePipeline: makePipeline, onNotice: { Terminal.note("\($0)") })
    let annotation = try openAnnotation()
    let dump = try dumpFrames.map { path in try FrameDump(path: path) }
    let videoFPS = source.isVideoAtDefaultRate ? source.frameRate : nil
    var onStep: ((SessionCounting.Step) throws -> Void)? = annotation.map { run in
      { try run.write($0) }
    }
    if let dump {
      onStep = { [onStep] step in
        try dump.write(step, videoFPS: videoFPS)
        try onStep?(step)
      }
    }
    let summary = try SessionCounting.count(
      source, mode: mode, replayedVideoFPS: replayedVideoFPS, onFrame: { feedback.frame($0) },
      onEvent: onEvent, onStep: onStep)
    try annotation?.finish()
    try dump?.close()
    return summary
  }

  /// Counts `input` for storage (`record`, `import`): the session with the SHA-256 of the
  /// input's bytes and the details to store (``CountedSession/count(_:mode:options:keepLandmarks:makePipeline:onNotice:onFrame:onEvent:onStep:)``).
  func session(_ input: CountInput, onEvent: (CountSession.Event) -> Void = { _ in }) throws
    -> CountedSession
  {
    var feedback = Feedback(input: input, mode: mode)
    defer { feedback.end() }
    let annotation = try openAnnotation()
    let counted = try CountedSession.count(
      input, mode: mode, options: options, keepLandmarks: keepLandmarks,
      makePipeline: makePipeline, onNotice: { Terminal.note("\($0)") },
      onFrame: { feedback.frame($0) }, onEvent: onEvent,
      onStep: annotation.map { run in { try run.write($0) } })
    try annotation?.finish()
    return counted
  }

  /// The `--annotate` output, opened (a directory made, ffmpeg found) before counting starts.
  private func openAnnotation() throws -> AnnotationRun? {
    guard let annotate, let output = annotate.output else { return nil }
    return try AnnotationRun(
      annotate, output: output, fps: fps?.framesPerSecond, threads: threads)
  }

  /// The source options: --fps, the exercise's video rate, --size, the threads.
  private var options: PoseFrameSource.Options {
    let videoFPS: Double
    switch mode {
    case .fixed(let exercise): videoFPS = exercise.videoFPS
    case .auto: videoFPS = Exercise.detectionVideoFPS
    }
    return PoseFrameSource.Options(
      fps: fps?.framesPerSecond, videoFPS: videoFPS,
      geometry: size.map { ImageGeometry(width: Double($0.width), height: Double($0.height)) },
      threads: threads)
  }

  /// Makes the pose pipeline on the first image: the CPU check, the verified model files.
  private var makePipeline: () throws -> PosePipeline {
    let threads = threads
    return {
      try CPUFeatures.requirePoseKernels()
      return try PosePipeline(models: ModelIntegrity.files(), mode: .tracking, threads: threads)
        .tracingStartup()
    }
  }

  /// What the terminal shows while an input is counted: a note when image frames come slower
  /// than the fixed exercise needs, and the progress line.
  private struct Feedback {
    let input: CountInput
    let mode: CountSession.Mode
    var progress: ProgressLine?

    init(input: CountInput, mode: CountSession.Mode) {
      self.input = input
      self.mode = mode
    }

    mutating func frame(_ source: PoseFrameSource) {
      if progress == nil {
        progress = ProgressLine(enabled: source.kind?.isImages == true && isatty(2) != 0)
        if let rate = source.frameRate, case .fixed(let exercise) = mode,
          rate < exercise.minimumFPS
        {
          Terminal.note(
            "\(input.name): \(exercise.name) needs at least \(Int(exercise.minimumFPS)) frames "
              + "per second \(exercise.minimumFPSReason); these frames are \(rate) fps, so the "
              + "count may be low")
        }
      }
      progress?.show(source.progress)
    }

    func end() { progress?.clear() }
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
