/// How normalised landmark coordinates map to image pixels.
///
/// Angles are only true in pixels: with a 16:9 frame, normalised `x` and `y` use different units.
/// Without a known size the counters still work on normalised coordinates (aspect 1).
public struct ImageGeometry: Sendable, Equatable {
  /// Image width in pixels (or 1 when unknown).
  public var width: Double
  /// Image height in pixels (or 1 when unknown).
  public var height: Double

  /// A known image size in pixels.
  public init(width: Double, height: Double) {
    self.width = width
    self.height = height
  }

  /// Unknown size: normalised coordinates are used as they are.
  public static let normalised = ImageGeometry(width: 1, height: 1)

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
