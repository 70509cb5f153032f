/// The pose found in one frame.
public struct PoseEstimate: Sendable, Equatable {
  /// The 33 MediaPipe pose landmarks, normalised to the image.
  public var landmarks: [EstimatedLandmark]
  /// The ROI the landmark model ran on.
  public var region: NormalizedRect
  /// The landmark model's pose flag.
  public var presence: Double
  /// Whether the detector ran on this frame (first frame, lost track, or static mode).
  public var usedDetector: Bool
}
