public import PoseEstimation
public import RepCounting

/// Every kind of pose input as one stream of ``PoseFrame``s, so that counting is one loop:
/// `while let frame = try source.next() { … }`.
///
/// The input is a landmark file (a document, an array or JSON Lines, read by ``PoseReader``),
/// a JPEG file, a directory of JPEGs or a list of them, an MJPEG stream on standard input or
/// a FIFO (recognised by its first bytes, which are handed on), or a video file that ffmpeg
/// turns into an MJPEG stream. Images are read ahead on a second thread
/// (``FramePrefetcher``), decoded, and go through the pose pipeline, which `makePipeline`
/// makes on the first decoded image: landmark inputs never load the pose models.
///
/// Timing: landmark frames keep their times (untimed ones: `Options.fps`, else the
/// document's `fps`, else 30 fps with a notice). Image frame `i` is at `i / rate`, the rate
/// being `Options.fps`, else a video's resampled rate, else 30 fps (with a notice). A video is
/// resampled to `Options.fps`, else `Options.videoFPS`, never above its own rate. A frame more
/// than ``maximumFrameTime`` seconds from 0 is a `.badData` error.
///
/// Geometry: `Options.geometry`, else the landmark document's `width` and `height`, else the
/// first decoded image's size; fixed once the first frame is returned.
///
/// **Frame size changes** (images): the session's size is the first decoded image's, and a
/// later image of another size is skipped with a ``Notice/skippedFrame(name:reason:)`` ("the
/// frame is WxH, the sequence WxH") and returned as a frame without a pose, as `buddy pose`
/// does. Landmarks are normalised to their own image, so keeping the first geometry for a
/// differently shaped image would bend every angle the counters measure, while refusing the
/// whole input would lose a live session to one odd frame. A frame that cannot be read or
/// decoded is handled the same way; frames before the first decoded image are not returned.
///
/// The raw bytes observer sees the landmark bytes as they are read, or each readable frame's
/// JPEG bytes in order, so a digest over them is the same however the frames were given.
public final class PoseFrameSource {
  /// The largest frame time, in seconds either side of 0, that an input may hold (about
  /// 31,700 years: room for Unix times, while every time and duration stays exactly
  /// representable as whole seconds or tenths in an `Int`).
  public static let maximumFrameTime = 1e12

  /// How far reading has come.
  public struct Progress: Sendable, Equatable {
    /// Frames read so far (skipped image frames too).
    public var framesRead: Int
    /// The number of frames in the input, when known before reading (JPEG files and
    /// directories).
    public var totalFrames: Int?
  }

  private enum Reading {
    case landmarks(PoseReader)
    case images(ImageFrames, kind: Kind)
  }

  private let reading: Reading
  private let geometryOverride: ImageGeometry?
  private let onNotice: (Notice) -> Void
  private var sessionGeometry: ImageGeometry?
  private var ended = false
  /// Whether the input is a video resampled to `Options.videoFPS` (no `Options.fps` given).
  public let isVideoAtDefaultRate: Bool

  /// Opens `input`. `makePipeline` makes the pose pipeline on the first decoded image (e.g.
  /// after checking the CPU and the model files); `onRawBytes` observes the input's bytes in
  /// order; `onNotice` hears what does not stop the reading. Throws a ``PoseInputError`` when
  /// the input is missing, unreadable, or needs a program that is not there.
  public convenience init(
    _ input: Input, options: Options = Options(),
    makePipeline: @escaping () throws -> PosePipeline,
    onRawBytes: ((UnsafeRawBufferPointer) -> Void)? = nil,
    onNotice: @escaping (Notice) -> Void = { _ in }
  ) throws(PoseInputError) {
    try self.init(
      input, options: options,
      makeEstimator: {
        var pipeline = try makePipeline()
        return { image, time in
          guard let estimate = try pipeline.process(image, at: time) else { return [] }
          return estimate.landmarks.map {
            Landmark(x: $0.x, y: $0.y, z: $0.z, visibility: $0.visibility)
          }
        }
      }, onRawBytes: onRawBytes, onNotice: onNotice)
  }

  /// Opens `input` with any estimator (tests use one without models).
  init(
    _ input: Input, options: Options, makeEstimator: @escaping () throws -> ImageFrames.Estimator,
    onRawBytes: ((UnsafeRawBufferPointer) -> Void)?, onNotice: @escaping (Notice) -> Void
  ) throws(PoseInputError) {
    geometryOverride = options.geometry
    self.onNotice = onNotice
    // A video's models start loading while ffprobe and ffmpeg start (2 or more CPUs).
    var estimator: ImageFrames.PendingEstimator?
    switch try Self.open(
      input, fps: options.fps, videoFPS: options.videoFPS, threads: options.threads,
      onVideo: {
        estimator = ImageFrames.startEstimator(
          makeEstimator, threads: options.threads, besideProgram: true)
      })
    {
    case .landmarks(let reader):
      reader.onRawBytes = onRawBytes
      reading = .landmarks(reader)
      isVideoAtDefaultRate = false
    case .frames(let frames, let kind, let sourceFPS, let process):
      isVideoAtDefaultRate = kind == .video && options.fps == nil
      let rate = options.fps ?? sourceFPS ?? 30
      if options.fps == nil && sourceFPS == nil {
        onNotice(.assumedFrameRate(input: input.name, fps: rate))
      }
      let images = ImageFrames(
        frames, name: input.label, fps: rate, threads: options.threads, process: process,
        makeEstimator: makeEstimator, started: estimator, onRawBytes: onRawBytes,
        onNotice: onNotice)
      reading = .images(images, kind: kind)
    }
  }

  /// What the input is; nil for a landmark input before the first call to ``next()``.
  public var kind: Kind? {
    switch reading {
    case .landmarks(let reader): return reader.format.map(Kind.init)
    case .images(_, let kind): return kind
    }
  }

  /// The image geometry of the session: nil until the first frame is returned, then fixed.
  public var geometry: ImageGeometry? { sessionGeometry }

  /// The landmark document's `start_time` as written, if any (read it after the last frame:
  /// the key may follow the frames).
  public var startTime: String? {
    guard case .landmarks(let reader) = reading else { return nil }
    return reader.header.startTime
  }

  /// The rate image frames are timed at (nil for landmarks, which carry their own times).
  public var frameRate: Double? {
    guard case .images(let images, _) = reading else { return nil }
    return images.fps
  }

  /// The decoded image of the frame last returned by ``next()``, for image inputs (nil for
  /// landmarks, and for an image frame that was skipped: unreadable, undecodable, or of another
  /// size). Each frame's image replaces the one before, so memory stays flat.
  public var image: RGBImage? {
    guard case .images(let images, _) = reading else { return nil }
    return images.image
  }

  /// The frame rate the input states: the rate image frames are timed at, or a landmark
  /// document's `fps` (as far as it has been read; `Options.fps` does not change it), else nil.
  public var statedFrameRate: Double? {
    switch reading {
    case .landmarks(let reader): return reader.header.fps
    case .images(let images, _): return images.fps
    }
  }

  /// Frames read so far, and the total when known.
  public var progress: Progress {
    switch reading {
    case .landmarks(let reader): return Progress(framesRead: reader.frameCount, totalFrames: nil)
    case .images(let images, _):
      return Progress(framesRead: images.framesRead, totalFrames: images.totalFrames)
    }
  }

  /// The next frame, or nil at the end (and after it). Throws a ``PoseInputError`` for bad
  /// data, or what the pipeline (or `makePipeline`) throws.
  public func next() throws -> PoseFrame? {
    guard !ended else { return nil }
    switch reading {
    case .landmarks(let reader):
      let index = reader.frameCount
      guard let frame = try reader.next() else {
        ended = true
        if reader.usedDefaultFPS {
          onNotice(
            .untimedFrames(
              input: reader.name == "-" ? "<stdin>" : reader.name,
              fps: PoseReader.Options().defaultFPS))
        }
        return nil
      }
      try Self.checkTime(frame.time, file: reader.name, frameIndex: index)
      if sessionGeometry == nil {
        sessionGeometry =
          geometryOverride
          ?? reader.header.width.flatMap { width in
            reader.header.height.map { ImageGeometry(width: width, height: $0) }
          } ?? .normalised
      }
      return frame
    case .images(let images, _):
      guard let frame = try images.next() else {
        ended = true
        return nil
      }
      if sessionGeometry == nil, let size = images.firstSize {
        sessionGeometry =
          geometryOverride ?? ImageGeometry(width: Double(size.width), height: Double(size.height))
      }
      return frame
    }
  }

  /// Throws unless `time` is within ``maximumFrameTime`` of 0.
  static func checkTime(_ time: Double, file: String, frameIndex: Int) throws(PoseInputError) {
    guard abs(time) <= maximumFrameTime else {
      throw PoseInputError(
        .badData, file: file, frameIndex: frameIndex,
        reason: "time \(time) s is beyond the ±1e12 s a frame may have")
    }
  }
}
