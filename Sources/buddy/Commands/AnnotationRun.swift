import Annotation
import PoseEstimation
import PoseInput
import Recording
import RepCounting

/// `--annotate`: every counted frame drawn (``FrameAnnotator``) and written to the output
/// (``AnnotationSink``), on the frame's own image, else the matching image of `--frames DIR`,
/// else a plain background of the input's size.
final class AnnotationRun {
  private let sink: AnnotationSink
  private var annotator = FrameAnnotator()
  private let framesPath: String?
  private let frames: FramePrefetcher?
  private let fps: Double?
  private var framesUsed = 0
  private var framesRanOut = false
  private var notedMismatch = false

  /// Opens the output (and `--frames DIR`); `fps` is `--fps`, which sets a video's rate.
  init(_ options: AnnotateOptions, output: String, fps: Double?, threads: Int) throws {
    sink = try AnnotationSink(path: output)
    framesPath = options.frames
    frames = try options.frames.map {
      FramePrefetcher(try JPEGFrameSource.open($0), threads: min(threads, 2))
    }
    self.fps = fps
  }

  /// Draws and writes one counted frame.
  func write(_ step: SessionCounting.Step) throws {
    if step.index == 0 {
      if step.image != nil, let framesPath {
        throw CLIError(
          .usage,
          "--frames \(framesPath) is for landmark input; image and video input is drawn on its "
            + "own frames")
      }
      sink.frameRate = fps ?? step.frameRate ?? 30
    }
    var image = step.image ?? nextFrame()
    // A video keeps the size of its first frame.
    if sink.kind == .video, let size = sink.frameSize, let shown = image,
      shown.width != size.width || shown.height != size.height
    {
      noteOnce(
        "frame \(step.index + 1) is \(shown.width)x\(shown.height), the video "
          + "\(size.width)x\(size.height); drawn on a plain background")
      image = nil
    }
    let background: FrameAnnotator.Background
    if let image {
      background = .image(image)
    } else if let size = sink.frameSize {
      background = .plain(width: size.width, height: size.height)
    } else {
      background = FrameAnnotator.plainBackground(for: step.geometry)
    }
    try sink.write(
      annotator.annotate(
        step.frame, exercise: step.exercise, trace: step.trace, events: step.events,
        on: background))
  }

  /// Completes the output (a video is only playable then).
  func finish() throws {
    if let frames, let total = frames.frameCount, total > framesUsed, let framesPath {
      Terminal.note(
        "\(framesPath) holds \(total) JPEG frames and the input \(framesUsed) frames; "
          + "the last \(total - framesUsed) were not drawn on")
    }
    try sink.finish()
  }

  /// The next image of `--frames DIR`, or nil (none given, run out, or undecodable).
  private func nextFrame() -> RGBImage? {
    guard let frames, let framesPath, !framesRanOut else { return nil }
    guard let item = frames.next() else {
      framesRanOut = true
      Terminal.note(
        "\(framesPath) holds \(framesUsed) JPEG frames, fewer than the input; the rest are "
          + "drawn on a plain background")
      return nil
    }
    framesUsed += 1
    switch item.decoded {
    case .success(let image): return image
    case .failure(let error):
      noteOnce("\(item.name): \(error.reason); drawn on a plain background")
      return nil
    }
  }

  private func noteOnce(_ message: String) {
    guard !notedMismatch else { return }
    notedMismatch = true
    Terminal.note(message)
  }
}
