import RepCounting

extension SyntheticSkipper {
  /// A soft-kneed two-foot hop at phase `w` (0..<1) of its cycle: on the ground for the first
  /// half, the hips dropping `crouch` and coming back up; in the air for the second, the whole
  /// body `hop` up at the top (both in leg lengths).
  static func crouchAndHop(_ w: Double, crouch: Double, hop: Double)
    -> (drop: Double, lift: Double)
  {
    w < 0.5
      ? (crouch * sine(3.141592653589793 * w / 0.5), 0)
      : (0, hop * sine(3.141592653589793 * (w - 0.5) / 0.5))
  }

  /// `frame` with everything but the ankles lowered `drop` (the knees half as much): bent knees.
  static func crouched(_ frame: PoseFrame, by drop: Double) -> PoseFrame {
    let knees = [
      PoseTopology.coco17.index(of: .leftKnee), PoseTopology.coco17.index(of: .rightKnee),
    ]
    let ankles = [
      PoseTopology.coco17.index(of: .leftAnkle), PoseTopology.coco17.index(of: .rightAnkle),
    ]
    var frame = frame
    for index in frame.landmarks.indices where !ankles.contains(index) {
      frame.landmarks[index].y += drop * (knees.contains(index) ? 0.5 : 1)
    }
    return frame
  }
}
