internal import PoseEstimation
import RepCounting

/// The image half of ``PoseFrameSource``: JPEG frames read ahead by a ``FramePrefetcher``,
/// decoded, and turned into landmarks by an estimator needed from the first decoded image on
/// (made there, or with 2 or more threads started beside the reading as the input opens, so
/// the models load while ffmpeg starts and the first frame is decoded).
///
/// Frame `i` is timed `i / fps`, counting every frame read, readable or not. Frames before the
/// first decoded image are skipped (nothing is known about the session yet); after it, a frame
/// that cannot be read or decoded, or whose size differs from the first image's, is a frame
/// without a pose, with a ``PoseFrameSource/Notice/skippedFrame(name:reason:)``.
final class ImageFrames {
  /// Landmarks of the one person in an image taken at a time in seconds, or none.
  typealias Estimator = (RGBImage, Double) throws -> [Landmark]
  /// An estimator being made on a thread of its own.
  typealias PendingEstimator = BackgroundWork<Estimator, any Error>

  /// The rate the frames are timed at.
  let fps: Double
  /// The size of the first decoded image.
  private(set) var firstSize: (width: Int, height: Int)?
  /// Frames read so far (skipped ones too).
  private(set) var framesRead = 0
  /// The decoded image of the frame last returned (nil when that frame was skipped).
  private(set) var image: RGBImage?

  private let frames: FramePrefetcher
  private let process: ChildProcess?
  private let name: String
  private let makeEstimator: () throws -> Estimator
  private var estimator: Estimator?
  /// With 2 or more threads (and CPUs), the estimator already being made on a thread of its
  /// own while the first frames are read and decoded (ffmpeg starting, for a video); waited
  /// for at the first decoded image. Its error, if any, surfaces only there, so an input
  /// without any decodable image still fails for that reason.
  private var pendingEstimator: PendingEstimator?
  private let onRawBytes: ((UnsafeRawBufferPointer) -> Void)?
  private let onNotice: (PoseFrameSource.Notice) -> Void
  private var ended = false

  /// `name` names the input in errors (`-` for standard input); `process` is the ffmpeg
  /// writing `source`, waited for at the end; `started`, the estimator already being made
  /// (``startEstimator(_:threads:)``, e.g. while ffprobe ran), else it is started here.
  init(
    _ source: JPEGFrameSource, name: String, fps: Double, threads: Int, process: ChildProcess?,
    makeEstimator: @escaping () throws -> Estimator, started: PendingEstimator? = nil,
    onRawBytes: ((UnsafeRawBufferPointer) -> Void)?,
    onNotice: @escaping (PoseFrameSource.Notice) -> Void
  ) {
    frames = FramePrefetcher(source, threads: threads)
    self.name = name
    self.fps = fps
    self.process = process
    self.makeEstimator = makeEstimator
    self.onRawBytes = onRawBytes
    self.onNotice = onNotice
    pendingEstimator = started ?? Self.startEstimator(makeEstimator, threads: threads)
  }

  /// With 2 or more threads (and CPUs), `makeEstimator` running on a thread of its own; nil
  /// otherwise (it is then called at the first decoded image). `besideProgram`: a program
  /// (ffmpeg) is starting meanwhile, in a process of its own, and the first frame waits for
  /// it: then the models load meanwhile with one thread too (given 2 or more CPUs), on
  /// time that would otherwise be spent waiting (~20 ms of a warm load off a video's start).
  static func startEstimator(
    _ makeEstimator: @escaping () throws -> Estimator, threads: Int, besideProgram: Bool = false
  ) -> PendingEstimator? {
    guard threads > 1 || besideProgram, ComputeThreads.availableCores > 1 else { return nil }
    return BackgroundWork { () throws(any Error) -> Estimator in try makeEstimator() }
  }

  deinit { frames.stop() }

  /// How many frames the input holds, when known before reading (files and directories).
  var totalFrames: Int? { frames.frameCount }

  /// Landmarks of `image` at `time`, the estimator made (or waited for) on the first call.
  ///
  /// The estimator is kept as made and called as kept: passing the stored closure through a
  /// generic operator on every frame (`estimator ?? …`) wrapped it in one more reabstraction
  /// thunk each time, so frame n called through n nested thunks (stack growing with the
  /// video's length, time with its square).
  private func estimate(_ image: RGBImage, _ time: Double) throws -> [Landmark] {
    if let estimator { return try estimator(image, time) }
    let made: Estimator
    if let pendingEstimator {
      made = try pendingEstimator.wait()
    } else {
      made = try makeEstimator()
    }
    estimator = made
    pendingEstimator = nil
    return try made(image, time)
  }

  /// The next frame, or nil at the end. Throws when no frame at all could be decoded, when
  /// ffmpeg failed, or when the estimator does.
  func next() throws -> PoseFrame? {
    guard !ended else { return nil }
    while let item = frames.next() {
      let index = framesRead
      let time = Double(index) / fps
      framesRead += 1
      try PoseFrameSource.checkTime(time, file: name, frameIndex: index)
      var landmarks: [Landmark] = []
      image = nil
      switch item.bytes {
      case .failure(let error):
        onNotice(.skippedFrame(name: item.name, reason: error.reason))
      case .success(let bytes):
        bytes.withUnsafeBytes { onRawBytes?($0) }
        switch item.decoded {
        case .failure(let error):
          onNotice(.skippedFrame(name: item.name, reason: error.reason))
        case .success(let image):
          if let firstSize, image.width != firstSize.width || image.height != firstSize.height {
            onNotice(
              .skippedFrame(
                name: item.name,
                reason: "the frame is \(image.width)x\(image.height), "
                  + "the sequence \(firstSize.width)x\(firstSize.height)"))
            break
          }
          firstSize = (image.width, image.height)
          self.image = image
          landmarks = try estimate(image, time)
        }
      }
      // Nothing is yielded before the first decoded image: its size is the session's.
      guard firstSize != nil else { continue }
      return PoseFrame(time: time, landmarks: landmarks)
    }
    ended = true
    guard firstSize != nil else {
      if let process { _ = process.finish() }
      throw PoseInputError(
        .badData, file: name,
        reason: framesRead == 0 ? "no JPEG frame found" : "no frame could be decoded")
    }
    if let process { try FFmpeg.finish(process, source: name) }
    return nil
  }
}
