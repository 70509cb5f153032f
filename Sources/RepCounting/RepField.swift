/// One number a repetition reports, with the name it has in JSON.
///
/// The catalogue (``Exercise/repFields``) picks the fields an exercise reports; a rope jump's
/// landing, take-off and apex are the ``Repetition``'s end, start and bottom.
public enum RepField: String, Sendable, CaseIterable {
  /// When the descent began, s.
  case start
  /// When the lowest point was reached, s.
  case bottom
  /// When the body was back up, s.
  case end
  /// The smallest joint angle of the cycle (elbow for push-ups, knee for squats), degrees.
  case depthAngle = "depth_angle"
  /// How far the body went down, as a fraction of the exercise's reference length.
  case depth
  /// A rope jump's landing (the repetition's time), s.
  case landing
  /// A rope jump's take-off, s.
  case takeoff
  /// A rope jump's highest point, s.
  case apex

  /// The key in JSON.
  public var key: String { rawValue }

  /// Decimal places the value is rounded to in output.
  public var places: Int {
    switch self {
    case .depthAngle: return 1
    case .start, .bottom, .end, .depth, .landing, .takeoff, .apex: return 3
    }
  }

  /// The field's value for `repetition`, or nil when the counter did not measure it.
  public func value(of repetition: Repetition) -> Double? {
    switch self {
    case .start, .takeoff: return repetition.start
    case .bottom, .apex: return repetition.bottom
    case .end, .landing: return repetition.end
    case .depthAngle: return repetition.depthAngle
    case .depth: return repetition.depth
    }
  }
}
