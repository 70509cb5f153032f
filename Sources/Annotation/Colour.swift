/// An opaque 8-bit RGB colour.
public struct Colour: Sendable, Equatable {
  /// Red, 0...255.
  public var red: UInt8
  /// Green, 0...255.
  public var green: UInt8
  /// Blue, 0...255.
  public var blue: UInt8

  /// Makes a colour from its components.
  public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
    self.red = red
    self.green = green
    self.blue = blue
  }

  /// Bones of the skeleton: cyan.
  public static let bone = Colour(0, 200, 255)
  /// Joints of the skeleton (landmarks seen with visibility ≥ 0.5): magenta.
  public static let joint = Colour(255, 0, 200)
  /// The background of a frame drawn without an image: near black.
  public static let background = Colour(24, 24, 28)
  /// Text: white.
  public static let text = Colour(255, 255, 255)
  /// Secondary text (the exercise name): light grey.
  public static let secondaryText = Colour(200, 200, 200)
  /// Panels behind text and the gauge's track: black (drawn half transparent).
  public static let panel = Colour(0, 0, 0)
  /// A completed repetition (the flash) and the gauge's high line: green.
  public static let rep = Colour(0, 230, 118)
  /// A partial repetition: orange.
  public static let partial = Colour(255, 140, 0)
  /// The gauge's low line: red.
  public static let lowLine = Colour(255, 64, 64)
  /// Phases at the top or on the ground (up, ground): cyan.
  public static let phaseUp = Colour(0, 200, 255)
  /// Phases in the movement (down, in the air): amber.
  public static let phaseDown = Colour(255, 200, 0)
  /// No movement tracked (idle): grey.
  public static let idle = Colour(150, 150, 150)
}
