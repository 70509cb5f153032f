/// One landmark of the pose pipeline.
///
/// `x` and `y` are normalised to the image width and height (in the crop's space before
/// projection), `z` is relative depth scaled like `x`, `visibility` and `presence` are
/// probabilities.
public struct EstimatedLandmark: Sendable, Equatable {
  /// x as a fraction of the image width.
  public var x: Double
  /// y as a fraction of the image height.
  public var y: Double
  /// Depth, scaled like `x`; smaller is nearer the camera.
  public var z: Double
  /// Probability that the landmark is visible.
  public var visibility: Double
  /// Probability that the landmark is inside the image.
  public var presence: Double

  /// Creates a landmark.
  public init(x: Double, y: Double, z: Double, visibility: Double, presence: Double = 1) {
    self.x = x
    self.y = y
    self.z = z
    self.visibility = visibility
    self.presence = presence
  }
}
