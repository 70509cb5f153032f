/// Something a counter noticed: a counted repetition or a partial one.
public enum RepEvent: Sendable, Equatable {
  /// A complete top → bottom → top cycle deep enough to count.
  case rep(Repetition)
  /// A cycle that did not go deep enough (e.g. elbows stayed above ~110°); not counted.
  case partial(Repetition)

  /// The cycle this event describes.
  public var repetition: Repetition {
    switch self {
    case .rep(let repetition), .partial(let repetition): return repetition
    }
  }
}

/// The timing and depth of one movement cycle.
public struct Repetition: Sendable, Equatable {
  /// When the descent began, in seconds.
  public var start: Double
  /// When the lowest point was reached, in seconds.
  public var bottom: Double
  /// When the body was back up, in seconds.
  public var end: Double
  /// The smallest joint angle of the cycle (the elbow for push-ups), in degrees.
  public var depthAngle: Double
  /// How far the body went down, as a fraction of a reference length (for squats, the hip drop
  /// over the leg length); nil for exercises that do not measure it.
  public var depth: Double?

  /// Makes a cycle description.
  public init(start: Double, bottom: Double, end: Double, depthAngle: Double, depth: Double? = nil)
  {
    self.start = start
    self.bottom = bottom
    self.end = end
    self.depthAngle = depthAngle
    self.depth = depth
  }
}
