/// The per-frame state of the pose pipeline (spec §d.0, §d.12, §d.13), without the models.
///
/// A value-type state machine: ask `regionForNextFrame` for the ROI to run the landmark
/// model on (nil: run the detector), then report the frame's outcome with `lose()` (no
/// pose) or `update(_:at:imageWidth:imageHeight:)` (landmarks found), which smooths them
/// and derives the next frame's ROI from the smoothed auxiliary points.
struct PoseTracker: Sendable, Equatable {
  /// Whether to track between frames.
  let mode: PosePipeline.Mode
  /// The ROI derived from the last frame's landmarks; nil after a frame without a pose.
  private(set) var trackedRegion: NormalizedRect?
  private var poseSmoother = LandmarkSmoother(
    count: LandmarkDecoder.poseLandmarkCount, parameters: LandmarkSmoother.pose)
  private var auxiliarySmoother = LandmarkSmoother(count: 2, parameters: LandmarkSmoother.auxiliary)

  /// A tracker with no history.
  init(mode: PosePipeline.Mode) {
    self.mode = mode
  }

  /// The ROI for the next frame, or nil when the detector has to find the person.
  var regionForNextFrame: NormalizedRect? {
    mode == .tracking ? trackedRegion : nil
  }

  /// The last tracked ROI before the pose was lost, and when.
  private var lostRegion: NormalizedRect?
  private var lostTime = 0.0
  /// How long after a loss `recentRegion(at:)` still offers the lost pose's ROI, in seconds.
  static let recoveryWindow = 1.0

  /// The ROI of a pose lost at most `recoveryWindow` seconds before `time` (tracking mode):
  /// tried when the detector finds nobody, because in dark or blurred frames the detector
  /// fails well before the landmark model does. Nil when nothing was lost recently.
  func recentRegion(at time: Double) -> NormalizedRect? {
    guard mode == .tracking, let lostRegion, time >= lostTime,
      time - lostTime <= Self.recoveryWindow
    else { return nil }
    return lostRegion
  }

  /// Records a frame at `time` without a pose: the next frame runs the detector, the filters
  /// forget, and a tracked ROI is kept for `recentRegion(at:)`.
  mutating func lose(at time: Double) {
    if let trackedRegion {
      lostRegion = trackedRegion
      lostTime = time
    }
    lose()
  }

  /// Records a frame without a pose: the next frame runs the detector, the filters forget.
  mutating func lose() {
    trackedRegion = nil
    poseSmoother.reset()
    auxiliarySmoother.reset()
  }

  /// Records a frame's projected landmarks (at least 35: the pose and the two auxiliary
  /// points) taken at `time` seconds; returns the 33 pose landmarks to report (smoothed when
  /// tracking).
  mutating func update(
    _ landmarks: [EstimatedLandmark], at time: Double, imageWidth: Int, imageHeight: Int
  ) -> [EstimatedLandmark] {
    let width = Double(imageWidth)
    let height = Double(imageHeight)
    let pose = landmarks.prefix(LandmarkDecoder.poseLandmarkCount)
    let auxiliary = landmarks.dropFirst(LandmarkDecoder.poseLandmarkCount).prefix(2)
    guard auxiliary.count == 2 else {
      lose()
      return Array(pose)
    }
    let center = auxiliary[auxiliary.startIndex]
    let scalePoint = auxiliary[auxiliary.startIndex + 1]
    // Object scale: the alignment rect of the unfiltered auxiliary points.
    let objectScale = NormalizedRect.alignmentBoxSize(
      center: (center.x, center.y), scalePoint: (scalePoint.x, scalePoint.y), imageWidth: width,
      imageHeight: height)
    let output =
      mode == .tracking
      ? poseSmoother.smooth(
        pose, at: time, imageWidth: width, imageHeight: height, objectScale: objectScale)
      : Array(pose)
    // The auxiliary points are always smoothed; they only feed the next ROI.
    let smoothed = auxiliarySmoother.smooth(
      auxiliary, at: time, imageWidth: width, imageHeight: height, objectScale: objectScale)
    trackedRegion = NormalizedRect.poseROI(
      center: (smoothed[0].x, smoothed[0].y), scalePoint: (smoothed[1].x, smoothed[1].y),
      imageWidth: width, imageHeight: height)
    return output
  }
}
