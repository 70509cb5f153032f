/// Small, deterministic trigonometry on the standard library alone (no Foundation, no libm).
enum Trigonometry {
  /// π.
  static let pi = 3.141592653589793

  /// The angle at `vertex` between the rays to `a` and `b`, in degrees (0...180); `nil` when a
  /// ray has zero length.
  static func angle(at vertex: Point, _ a: Point, _ b: Point) -> Double? {
    let ux = a.x - vertex.x
    let uy = a.y - vertex.y
    let vx = b.x - vertex.x
    let vy = b.y - vertex.y
    let dot = ux * vx + uy * vy
    let cross = ux * vy - uy * vx
    guard ux * ux + uy * uy > 0, vx * vx + vy * vy > 0 else { return nil }
    return atan2(abs(cross), dot) * 180 / pi
  }

  /// atan2(y, x) in radians for `y >= 0` (result in 0...π).
  static func atan2(_ y: Double, _ x: Double) -> Double {
    if x == 0 { return y == 0 ? 0 : pi / 2 }
    if abs(y) <= abs(x) {
      let base = atan(y / x)
      return x > 0 ? base : base + pi
    }
    // |x/y| < 1: atan2 = π/2 − atan(x/y).
    return pi / 2 - atan(x / y)
  }

  /// atan(t) for |t| <= 1, by two argument halvings and a Taylor series (error < 1e-13).
  static func atan(_ t: Double) -> Double {
    // atan(t) = 2 atan(t / (1 + sqrt(1 + t²))).
    var reduced = t
    for _ in 0..<2 {
      reduced = reduced / (1 + (1 + reduced * reduced).squareRoot())
    }
    let square = reduced * reduced
    var term = reduced
    var sum = reduced
    var sign = -1.0
    var k = 3.0
    while k <= 21 {
      term *= square
      sum += sign * term / k
      sign = -sign
      k += 2
    }
    return 4 * sum
  }
}
