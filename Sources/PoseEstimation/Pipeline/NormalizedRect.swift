#if canImport(Glibc)
internal import Glibc
#endif

/// A rotated rectangle in normalised image coordinates (MediaPipe's `NormalizedRect`).
///
/// The centre, width and height are fractions of the image width and height; `rotation` is in
/// radians, clockwise in image coordinates (y down).
public struct NormalizedRect: Sendable, Equatable {
  /// Centre x as a fraction of the image width.
  public var xCenter: Double
  /// Centre y as a fraction of the image height.
  public var yCenter: Double
  /// Width as a fraction of the image width.
  public var width: Double
  /// Height as a fraction of the image height.
  public var height: Double
  /// Rotation in radians.
  public var rotation: Double

  /// Creates a rectangle.
  public init(xCenter: Double, yCenter: Double, width: Double, height: Double, rotation: Double) {
    self.xCenter = xCenter
    self.yCenter = yCenter
    self.width = width
    self.height = height
    self.rotation = rotation
  }
}

extension NormalizedRect {
  /// The scale factor of the pose ROI (`RectTransformationCalculator` scale_x/scale_y).
  static let poseROIScale = 1.25

  /// The pose ROI from an alignment centre and a scale/rotation point (spec §d.6, §d.12).
  ///
  /// `AlignmentPointsRectsCalculator` (target angle 90°) followed by `RectTransformation`
  /// (scale 1.25, square_long): a square of side `2.5 × |scale − centre|` pixels centred on
  /// `center`, rotated so the centre → scale-point vector points up in the crop. Points are
  /// normalised; `imageWidth` and `imageHeight` are in pixels.
  static func poseROI(
    center: (x: Double, y: Double), scalePoint: (x: Double, y: Double), imageWidth: Double,
    imageHeight: Double
  ) -> NormalizedRect {
    let box = alignmentBoxSize(
      center: center, scalePoint: scalePoint, imageWidth: imageWidth, imageHeight: imageHeight)
    let x0 = center.x * imageWidth
    let y0 = center.y * imageHeight
    let x1 = scalePoint.x * imageWidth
    let y1 = scalePoint.y * imageHeight
    let rotation = normalizeRadians(Double.pi / 2 - atan2(-(y1 - y0), x1 - x0))
    // square_long: the long side in pixels is `box` for both (the alignment rect is square).
    return NormalizedRect(
      xCenter: center.x, yCenter: center.y, width: box / imageWidth * poseROIScale,
      height: box / imageHeight * poseROIScale, rotation: rotation)
  }

  /// The side in pixels of the alignment rectangle: `2 × |scale − centre|`; also the object
  /// scale of the one-euro filters (spec §d.13).
  static func alignmentBoxSize(
    center: (x: Double, y: Double), scalePoint: (x: Double, y: Double), imageWidth: Double,
    imageHeight: Double
  ) -> Double {
    let dx = (scalePoint.x - center.x) * imageWidth
    let dy = (scalePoint.y - center.y) * imageHeight
    return 2 * (dx * dx + dy * dy).squareRoot()
  }

  /// `a` wrapped into [-π, π) (MediaPipe's `NormalizeRadians`).
  static func normalizeRadians(_ angle: Double) -> Double {
    angle - 2 * Double.pi * ((angle + Double.pi) / (2 * Double.pi)).rounded(.down)
  }
}
