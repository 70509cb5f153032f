/// How normalised landmark coordinates map to image pixels.
///
/// Angles are only true in pixels: with a 16:9 frame, normalised `x` and `y` use different units.
/// Without a known size the counters still work on normalised coordinates (aspect 1).
public struct ImageGeometry: Sendable, Equatable {
  /// Image width in pixels (or 1 when unknown).
  public var width: Double
  /// Image height in pixels (or 1 when unknown).
  public var height: Double

  /// Whether the size is known (false for ``normalised``).
  public var isKnown: Bool

  /// A known image size in pixels.
  public init(width: Double, height: Double) {
    self.width = width
    self.height = height
    isKnown = true
  }

  /// Unknown size: normalised coordinates are used as they are (aspect 1), and depth decisions
  /// consider the common landscape aspects too (see ``PushUpSignals``).
  public static let normalised: ImageGeometry = {
    var geometry = ImageGeometry(width: 1, height: 1)
    geometry.isKnown = false
    return geometry
  }()

  /// Width-to-height ratios tried when the size is unknown: square, 4:3 and 16:9.
  static let candidateAspects = [1.0, 4.0 / 3.0, 16.0 / 9.0]

  /// The point of `landmark` in pixel units.
  func point(_ landmark: Landmark) -> Point {
    Point(x: landmark.x * width, y: landmark.y * height)
  }
}

/// A 2-D point in image units (y grows downwards).
struct Point: Equatable {
  var x: Double
  var y: Double

  func distance(to other: Point) -> Double {
    let dx = x - other.x
    let dy = y - other.y
    return (dx * dx + dy * dy).squareRoot()
  }
}
