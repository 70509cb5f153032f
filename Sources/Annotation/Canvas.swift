public import PoseEstimation

/// A mutable RGB8 picture to draw on: spans, rectangles, filled circles, thick lines, with an
/// optional alpha blend. Everything is clipped to the picture; coordinates are pixels, y down.
public struct Canvas: Sendable {
  /// Width in pixels (at least 1).
  public let width: Int
  /// Height in pixels (at least 1).
  public let height: Int
  /// `width * height * 3` bytes, rows top to bottom.
  public private(set) var pixels: [UInt8]

  /// A canvas holding a copy of `image`.
  public init(_ image: RGBImage) {
    width = image.width
    height = image.height
    pixels = image.pixels
  }

  /// A canvas of `width`×`height` (each at least 1) filled with `colour`.
  public init(width: Int, height: Int, colour: Colour) {
    self.width = max(1, width)
    self.height = max(1, height)
    var row: [UInt8] = []
    row.reserveCapacity(self.width * 3)
    for _ in 0..<self.width { row += [colour.red, colour.green, colour.blue] }
    var all: [UInt8] = []
    all.reserveCapacity(row.count * self.height)
    for _ in 0..<self.height { all += row }
    pixels = all
  }

  /// The picture as an image.
  public var image: RGBImage {
    // Width and height are at least 1 and `pixels` holds exactly their product times 3.
    guard let image = RGBImage(width: width, height: height, pixels: pixels) else {
      preconditionFailure("a canvas always has a valid size")
    }
    return image
  }

  /// The colour of the pixel at column `x`, row `y` (which must be inside the picture).
  public func colour(x: Int, y: Int) -> Colour {
    let i = (y * width + x) * 3
    return Colour(pixels[i], pixels[i + 1], pixels[i + 2])
  }

  /// Paints columns `from...to` of row `y` with `colour` at opacity `alpha` (0...1).
  public mutating func span(y: Int, from: Int, to: Int, colour: Colour, alpha: Double = 1) {
    guard y >= 0, y < height else { return }
    let start = max(0, from)
    let end = min(width - 1, to)
    guard start <= end else { return }
    let weight = Int((min(1, max(0, alpha)) * 256).rounded())
    guard weight > 0 else { return }
    let keep = 256 - weight
    let red = Int(colour.red) * weight
    let green = Int(colour.green) * weight
    let blue = Int(colour.blue) * weight
    pixels.withUnsafeMutableBufferPointer { buffer in
      var i = (y * width + start) * 3
      for _ in start...end {
        if keep == 0 {
          buffer[i] = colour.red
          buffer[i + 1] = colour.green
          buffer[i + 2] = colour.blue
        } else {
          buffer[i] = UInt8((Int(buffer[i]) * keep + red) >> 8)
          buffer[i + 1] = UInt8((Int(buffer[i + 1]) * keep + green) >> 8)
          buffer[i + 2] = UInt8((Int(buffer[i + 2]) * keep + blue) >> 8)
        }
        i += 3
      }
    }
  }

  /// Fills the rectangle with its top-left corner at (`x`, `y`).
  public mutating func fillRectangle(
    x: Int, y: Int, width: Int, height: Int, colour: Colour, alpha: Double = 1
  ) {
    guard width > 0, height > 0 else { return }
    for row in max(0, y)..<max(max(0, y), min(self.height, y + height)) {
      span(y: row, from: x, to: x + width - 1, colour: colour, alpha: alpha)
    }
  }

  /// Draws a border `thickness` pixels wide just inside the picture's edges.
  public mutating func frameBorder(thickness: Int, colour: Colour, alpha: Double = 1) {
    let t = min(thickness, width / 2, height / 2)
    guard t > 0 else { return }
    fillRectangle(x: 0, y: 0, width: width, height: t, colour: colour, alpha: alpha)
    fillRectangle(x: 0, y: height - t, width: width, height: t, colour: colour, alpha: alpha)
    fillRectangle(x: 0, y: t, width: t, height: height - 2 * t, colour: colour, alpha: alpha)
    fillRectangle(
      x: width - t, y: t, width: t, height: height - 2 * t, colour: colour, alpha: alpha)
  }

  /// Fills the disc of `radius` pixels around (`x`, `y`) (pixel centres at integer + 0.5 are
  /// not assumed: pixel (i, j) is inside when (i − x)² + (j − y)² ≤ radius²).
  public mutating func fillCircle(x: Double, y: Double, radius: Double, colour: Colour) {
    guard x.isFinite, y.isFinite, radius.isFinite, radius >= 0 else { return }
    // Far outside the picture: nothing to draw (and no huge loop).
    guard x + radius >= 0, x - radius < Double(width), y + radius >= 0,
      y - radius < Double(height)
    else { return }
    let top = max(0, Int((y - radius).rounded(.up)))
    let bottom = min(height - 1, Int((y + radius).rounded(.down)))
    guard top <= bottom else { return }
    for row in top...bottom {
      let dy = Double(row) - y
      let half = (radius * radius - dy * dy).squareRoot()
      let left = max(-1, (x - half).rounded(.up))
      let right = min(Double(width), (x + half).rounded(.down))
      guard left <= right else { continue }
      span(y: row, from: Int(left), to: Int(right), colour: colour)
    }
  }

  /// Draws a line `thickness` pixels wide with round ends from (`x0`, `y0`) to (`x1`, `y1`).
  public mutating func line(
    x0: Double, y0: Double, x1: Double, y1: Double, thickness: Double, colour: Colour
  ) {
    guard x0.isFinite, y0.isFinite, x1.isFinite, y1.isFinite else { return }
    let radius = max(0.5, thickness / 2)
    let dx = x1 - x0
    let dy = y1 - y0
    // Landmarks may lie a little outside the image; a line beyond a few picture sizes is noise.
    let limit = 4 * Double(max(width, height))
    guard abs(dx) < limit, abs(dy) < limit else { return }
    let steps = Int(max(abs(dx), abs(dy)).rounded(.up))
    for step in 0...max(steps, 0) {
      let t = steps == 0 ? 0 : Double(step) / Double(steps)
      fillCircle(x: x0 + t * dx, y: y0 + t * dy, radius: radius, colour: colour)
    }
  }
}
