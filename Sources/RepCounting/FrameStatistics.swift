/// Running totals over the frames a counter saw (constant size).
public struct FrameStatistics: Sendable, Equatable {
  /// Frames consumed.
  public private(set) var frames = 0
  /// Frames that held a usable pose.
  public private(set) var framesWithPose = 0
  /// Time of the first frame, seconds.
  public private(set) var firstTime: Double?
  /// Time of the last frame, seconds.
  public private(set) var lastTime: Double?
  private var visibilitySum = 0.0

  /// Empty statistics.
  public init() {}

  mutating func record(time: Double) {
    frames += 1
    if firstTime == nil { firstTime = time }
    lastTime = time
  }

  mutating func recordPose(armVisibility: Double) {
    framesWithPose += 1
    visibilitySum += armVisibility
  }

  /// Mean visibility of the arm joints over frames with a pose (0 when there were none).
  public var meanArmVisibility: Double {
    framesWithPose == 0 ? 0 : visibilitySum / Double(framesWithPose)
  }

  /// Seconds from the first to the last frame.
  public var duration: Double {
    guard let firstTime, let lastTime else { return 0 }
    return max(0, lastTime - firstTime)
  }
}
