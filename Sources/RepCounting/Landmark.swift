/// One body landmark as a pose estimator reports it.
///
/// `x` and `y` are normalised to the image width and height (they may lie a little outside
/// `0...1`), `z` is the estimator's relative depth (0 when unknown) and `visibility` its confidence
/// in `0...1` (MediaPipe's `visibility`, or a keypoint `score`).
public struct Landmark: Sendable, Equatable {
  public var x: Double
  public var y: Double
  public var z: Double
  public var visibility: Double

  /// Makes a landmark; `z` defaults to 0 and `visibility` to 1.
  public init(x: Double, y: Double, z: Double = 0, visibility: Double = 1) {
    self.x = x
    self.y = y
    self.z = z
    self.visibility = visibility
  }
}
