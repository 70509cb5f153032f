/// BlazePose (MediaPipe 0.10.14 Pose, model complexity 1) on a sequence of frames:
/// detector → ROI → landmarks → heatmap refinement → projection → smoothing → tracking
/// (../shared/blazepose/spec.md §d).
///
/// Feed frames in order with `process(_:at:)`. In `.tracking` mode the detector runs on the
/// first frame and whenever the person is lost, landmarks are smoothed with one-euro
/// filters on the given timestamps, and each frame's ROI comes from the previous frame's
/// landmarks. In `.static` mode every frame is independent.
///
/// Not `Sendable`: it owns the models' fast execution plans and their working memory; use one
/// pipeline per thread.
public struct PosePipeline {
  /// How frames relate to each other.
  public enum Mode: Sendable, Equatable {
    /// A video: track between frames and smooth.
    case tracking
    /// Unrelated images: detect on every frame, no smoothing.
    case `static`
  }

  /// `min_detection_confidence`.
  static let minDetectionScore = 0.5
  /// `min_tracking_confidence`: a pose flag at or below it means no pose.
  static let minPresence = 0.5

  let detector: TFLiteInterpreter
  let landmarkModel: TFLiteInterpreter
  /// The fast, zero-allocation plans of the two models; the landmark model's segmentation
  /// branch is skipped (spec §c.11): the pipeline does not use it.
  private let detectorPlan: TFLiteExecutor
  private let landmarkPlan: TFLiteExecutor
  private let detectorOutputs: (boxes: Int, scores: Int)
  private let landmarkOutputs: (landmarks: Int, flag: Int, heatmap: Int)
  /// The heatmap (`Identity_3`), computed only in the windows the refinement reads (nil when
  /// the landmark plan computes it whole).
  private let heatmapWindows: DeferredPointwiseOutput?
  private(set) var tracker: PoseTracker
  /// Whether a frame where the detector finds nobody retries the ROI of a pose lost within
  /// the last second (`PoseTracker.recentRegion(at:)`); off only in tests, to compare.
  var recoversLostPose = true
  /// The team that shares each frame's crops and convolutions (nil: one thread).
  private let threads: ComputeThreads?

  /// How long loading each model took (empty for already loaded models).
  public let loadTimes: [ModelLoadTimes]
  /// Called once when the first inference starts and once with the first landmarks (for
  /// start-up measurements).
  public var milestone: ((Milestone) -> Void)?
  private var reached: Set<Milestone> = []
  /// Time per stage since `startTimingStages()` (nil: not timed).
  public private(set) var stageTimes: PoseStageTimes?

  /// Starts (or restarts) timing each frame's stages into `stageTimes`.
  public mutating func startTimingStages() { stageTimes = PoseStageTimes() }

  /// A point of the first frames that start-up measurements time.
  public enum Milestone: String, Sendable, Hashable {
    /// The first model run starts (the models are loaded, the first image decoded).
    case firstInferenceStart = "first inference starts"
    /// The first frame with a person's landmarks is done.
    case firstLandmarks = "first landmarks"
  }

  /// Loads both models from `models` (through its packed-weight cache, when set; side by side
  /// with 2 or more threads); a missing file is an error naming the fetch script. `threads` > 1 shares the work of each frame
  /// among that many threads (at most the CPUs this process may use); results are identical
  /// for any number of threads, with or without the cache.
  public init(models: PoseModelFiles, mode: Mode, threads: Int = 1) throws(TFLiteModelError) {
    try self.init(models: models, mode: mode, team: Self.team(threads: threads))
  }

  /// Loads both models as ``init(models:mode:threads:)`` does, sharing the work of each frame
  /// among the threads of `team` (made by ``team(threads:)``, e.g. before the frame reader
  /// that decodes as the team's errands); nil: one thread.
  public init(models: PoseModelFiles, mode: Mode, team: ComputeThreads?) throws(TFLiteModelError) {
    let (detector, landmarks) = try Self.loadModels(models, team: team)
    try self.init(
      detector: detector.interpreter, landmarkModel: landmarks.interpreter, mode: mode, team: team,
      plans: (detector.executor, landmarks.executor), loadTimes: [detector.times, landmarks.times])
  }

  /// Uses already loaded models; checks their input and output shapes.
  public init(
    detector: TFLiteInterpreter, landmarkModel: TFLiteInterpreter, mode: Mode, threads: Int = 1
  ) throws(TFLiteModelError) {
    let team = Self.team(threads: threads)
    try self.init(
      detector: detector, landmarkModel: landmarkModel, mode: mode, team: team,
      plans: (
        try TFLiteExecutor(detector, threads: team),
        try TFLiteExecutor.withoutSegmentation(landmarkModel, threads: team)
      ), loadTimes: [])
  }

  /// The team a pipeline of `threads` threads uses: `threads` at most the CPUs this process
  /// may use; nil for one.
  public static func team(threads: Int) -> ComputeThreads? {
    let teamSize = min(threads, ComputeThreads.availableCores)
    return teamSize > 1 ? ComputeThreads(count: teamSize) : nil
  }

  private init(
    detector: TFLiteInterpreter, landmarkModel: TFLiteInterpreter, mode: Mode,
    team: ComputeThreads?, plans: (detector: TFLiteExecutor, landmarks: TFLiteExecutor),
    loadTimes: [ModelLoadTimes]
  ) throws(TFLiteModelError) {
    func outputIndex(_ interpreter: TFLiteInterpreter, elements: Int, name: String)
      throws(TFLiteModelError) -> Int
    {
      let shapes = interpreter.outputTensors.map { interpreter.model.tensors[$0].shape }
      guard let index = shapes.firstIndex(where: { $0.reduce(1, *) == elements }) else {
        throw TFLiteModelError("the \(name) model has no output of \(elements) values")
      }
      return index
    }
    guard detector.inputShape == [1, SSDAnchors.inputSize, SSDAnchors.inputSize, 3] else {
      throw TFLiteModelError("the detector input is \(detector.inputShape), not [1, 224, 224, 3]")
    }
    let crop = LandmarkDecoder.inputSize
    guard landmarkModel.inputShape == [1, crop, crop, 3] else {
      throw TFLiteModelError(
        "the landmark model input is \(landmarkModel.inputShape), not [1, 256, 256, 3]")
    }
    self.detector = detector
    self.landmarkModel = landmarkModel
    self.threads = team
    self.loadTimes = loadTimes
    detectorPlan = plans.detector
    landmarkPlan = plans.landmarks
    detectorOutputs = (
      try outputIndex(
        detector, elements: PoseDetection.boxCount * PoseDetection.coordinateCount,
        name: "detector"),
      try outputIndex(detector, elements: PoseDetection.boxCount, name: "detector")
    )
    let heatmap = LandmarkDecoder.heatmapSize
    landmarkOutputs = (
      try outputIndex(
        landmarkModel, elements: LandmarkDecoder.modelLandmarkCount * 5, name: "landmark"),
      try outputIndex(landmarkModel, elements: 1, name: "landmark"),
      try outputIndex(
        landmarkModel, elements: heatmap * heatmap * LandmarkDecoder.modelLandmarkCount,
        name: "landmark")
    )
    // Planned by `PlannedModel` (`Plan.deferred`), the heatmap's last 1×1 convolution runs
    // only in the 39 windows of 9 × 9 the refinement reads (0.16 ms of a one-thread inference
    // for all 64 × 64 × 39 values).
    heatmapWindows = landmarkPlan.deferredOutput(landmarkOutputs.heatmap)
    tracker = PoseTracker(mode: mode)
  }

  /// The mode the pipeline runs in.
  public var mode: Mode { tracker.mode }

  /// Estimates the pose in the next frame, taken at `time` seconds; nil when no person was
  /// found. Timestamps should increase (the smoothing filters use the real frame interval).
  public mutating func process(_ image: RGBImage, at time: Double) throws(TFLiteModelError)
    -> PoseEstimate?
  {
    var trace: Trace?
    return try process(image, at: time, trace: &trace)
  }

  /// The intermediate values of one frame, for stage tests.
  struct Trace {
    var detectorInput: [Float] = []
    var detections: [PoseDetection] = []
    var region: NormalizedRect?
    var landmarkInput: [Float] = []
    var landmarkOutput: LandmarkOutput?
  }

  /// `process(_:at:)`, recording the stages in `trace` when it is not nil.
  mutating func process(_ image: RGBImage, at time: Double, trace: inout Trace?)
    throws(TFLiteModelError) -> PoseEstimate?
  {
    reach(.firstInferenceStart)
    var times = stageTimes
    defer {
      if times != nil {
        times?.frames += 1
        stageTimes = times
      }
    }
    var usedDetector = false
    var region = tracker.regionForNextFrame
    if region == nil {
      usedDetector = true
      let detections = try detect(image, trace: &trace, times: &times)
      trace?.detections = detections
      region = detections.first?.regionOfInterest(
        imageWidth: image.width, imageHeight: image.height)
      // Nobody found: look again where the pose was lost less than a second ago (not in
      // MediaPipe's graph; dark or blurred frames defeat the detector before the landmarks).
      if region == nil, recoversLostPose { region = tracker.recentRegion(at: time) }
    }
    trace?.region = region
    guard let region else {
      tracker.lose(at: time)
      return nil
    }
    let output = try runLandmarkModel(image, region: region, trace: &trace, times: &times)
    let decodingStart = times != nil ? PoseStageTimes.Instant.now : nil
    trace?.landmarkOutput = output
    guard output.presence > Self.minPresence else {
      tracker.lose(at: time)
      return nil
    }
    // The heatmap is read where the model left it (valid until its next run).
    let decoded = LandmarkDecoder.decode(output.landmarks)
    let refined =
      if let heatmapWindows {
        LandmarkDecoder.refine(decoded, heatmap: heatmapWindows)
      } else {
        landmarkPlan.withOutput(landmarkOutputs.heatmap) { heatmap in
          LandmarkDecoder.refine(decoded, heatmap: heatmap)
        }
      }
    let projected = LandmarkDecoder.project(refined, from: region)
    let landmarks = tracker.update(
      projected, at: time, imageWidth: image.width, imageHeight: image.height)
    if let decodingStart { _ = times?.end(.landmarks, startedAt: decodingStart) }
    reach(.firstLandmarks)
    return PoseEstimate(
      landmarks: landmarks, region: region, presence: output.presence, usedDetector: usedDetector)
  }

  /// Calls `milestone` the first time `point` is reached.
  private mutating func reach(_ point: Milestone) {
    guard let milestone, !reached.contains(point) else { return }
    reached.insert(point)
    milestone(point)
  }

  /// Runs the detector on the whole image; returns the detections after weighted NMS in
  /// image coordinates, best first (spec §d.1–§d.5).
  func detect(_ image: RGBImage, trace: inout Trace?, times: inout PoseStageTimes?)
    throws(TFLiteModelError) -> [PoseDetection]
  {
    var start = times != nil ? PoseStageTimes.Instant.now : nil
    let (crop, letterbox) = ImageCrop.letterboxed(
      imageWidth: image.width, imageHeight: image.height)
    try detectorPlan.run { input in
      crop.sample(
        from: image, into: input, size: SSDAnchors.inputSize, border: .zero, low: -1, high: 1,
        kernels: detectorPlan.kernelSet, threads: threads)
      if trace != nil {
        trace?.detectorInput = Array(
          UnsafeBufferPointer(start: input, count: detectorPlan.inputCount))
      }
      if let from = start { start = times?.end(.detectorInput, startedAt: from) }
    }
    if let from = start { start = times?.end(.detectorModel, startedAt: from) }
    defer { if let from = start { _ = times?.end(.detections, startedAt: from) } }
    let detections = PoseDetection.decode(
      boxes: detectorPlan.withOutput(detectorOutputs.boxes) { Array($0) },
      scores: detectorPlan.withOutput(detectorOutputs.scores) { Array($0) },
      minScore: Self.minDetectionScore)
    return PoseDetection.weightedNonMaxSuppression(detections).map {
      $0.removingLetterbox(letterbox)
    }
  }

  /// The landmark model's raw outputs for the crop of `region`.
  struct LandmarkOutput {
    /// `Identity`: 39 × 5 values in crop pixels and logits.
    var landmarks: [Float]
    /// `Identity_1`: the pose flag (a probability).
    var presence: Double
  }

  /// Crops `region` (spec §d.7) and runs the landmark model on it.
  func runLandmarkModel(
    _ image: RGBImage, region: NormalizedRect, trace: inout Trace?,
    times: inout PoseStageTimes?
  ) throws(TFLiteModelError) -> LandmarkOutput {
    var start = times != nil ? PoseStageTimes.Instant.now : nil
    let crop = ImageCrop(region, imageWidth: image.width, imageHeight: image.height)
    try landmarkPlan.run { input in
      crop.sample(
        from: image, into: input, size: LandmarkDecoder.inputSize, border: .replicate, low: 0,
        high: 1, kernels: landmarkPlan.kernelSet, threads: threads)
      if trace != nil {
        trace?.landmarkInput = Array(
          UnsafeBufferPointer(start: input, count: landmarkPlan.inputCount))
      }
      if let from = start { start = times?.end(.landmarkInput, startedAt: from) }
    }
    if let from = start { _ = times?.end(.landmarkModel, startedAt: from) }
    return LandmarkOutput(
      landmarks: landmarkPlan.withOutput(landmarkOutputs.landmarks) { Array($0) },
      presence: Double(landmarkPlan.withOutput(landmarkOutputs.flag) { $0.first ?? 0 }))
  }
}
