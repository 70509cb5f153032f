/// The body posture of one frame, whatever the exercise: the neutral observation exercise
/// detection starts from.
public enum Posture: Sendable, Equatable {
  /// Horizontal body with the arms visible (push-up position).
  case plank
  /// Standing: shoulders above hips above feet.
  case upright
  /// No pose, or not enough of it to tell.
  case unknown

  /// The posture in `frame`, judged in normalised coordinates: with the arms visible, upright
  /// unless the body is horizontal; without them, upright when shoulders, hips and feet stand
  /// one above the other.
  public init(_ frame: PoseFrame) {
    guard frame.hasPose else {
      self = .unknown
      return
    }
    let geometry = ImageGeometry.normalised
    if let arms = PushUpSignals(frame: frame, geometry: geometry, judgingDepth: false) {
      self = arms.upright ? .upright : .plank
    } else if JumpRopeSignals(frame: frame, geometry: geometry)?.upright == true {
      self = .upright
    } else {
      self = .unknown
    }
  }
}
