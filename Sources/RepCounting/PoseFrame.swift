/// One frame of pose data: a time and the landmarks of one person, or none.
public struct PoseFrame: Sendable, Equatable {
  /// Seconds from the start of the recording.
  public var time: Double
  /// The landmarks in `topology` order, or empty when no person was found in this frame.
  public var landmarks: [Landmark]
  /// The layout of `landmarks`; `nil` when the frame holds no pose.
  public var topology: PoseTopology? {
    PoseTopology(landmarkCount: landmarks.count)
  }

  /// Makes a frame; `landmarks` must be empty or hold 33 (MediaPipe) or 17 (COCO) entries.
  public init(time: Double, landmarks: [Landmark]) {
    self.time = time
    self.landmarks = landmarks
  }

  /// Whether the frame holds a pose.
  public var hasPose: Bool { topology != nil }

  /// The landmark for `joint`, if the frame holds a pose.
  public subscript(joint: Joint) -> Landmark? {
    guard let topology else { return nil }
    return landmarks[topology.index(of: joint)]
  }
}
