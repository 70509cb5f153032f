import ArgumentParser

/// The value of `--fps`: a frame rate for frames without timestamps, 0.1 to 1000 frames per
/// second.
struct FrameRate: CheckedArgument, Equatable {
  /// Accepted frame rates. The floor keeps every time a frame index gives (index / fps) small
  /// enough to be shown and stored as whole seconds.
  static let range = 0.1...1000.0

  /// The `--fps` help text, with the bounds.
  static let help = "Frame rate for frames without timestamps, 0.1 to 1000 (decimals allowed)."

  /// Frames per second, within ``range``.
  let framesPerSecond: Double

  static func parse(_ text: String) throws(ArgumentRefusal) -> FrameRate {
    // `Double` also reads nan, inf and hexadecimal; the range check refuses the first two.
    guard let value = Double(text), range.contains(value) else {
      throw ArgumentRefusal("must be a number from 0.1 to 1000")
    }
    return FrameRate(framesPerSecond: value)
  }

  var defaultValueDescription: String { "\(framesPerSecond)" }
}
