import ArgumentParser

/// The bounds of `--fps`, shared by every command that times frames.
enum FrameRate {
  /// Accepted frame rates: 0.1 to 1000 frames per second. The floor keeps every time a frame
  /// index gives (index / fps) small enough to be shown and stored as whole seconds.
  static let range = 0.1...1000.0

  /// The `--fps` help text, with the bounds.
  static let help = "Frame rate for frames without timestamps, 0.1 to 1000 (decimals allowed)."

  /// Throws a usage error unless `fps` is nil or a finite number in ``range``.
  static func validate(_ fps: Double?) throws {
    if let fps, !range.contains(fps) {
      throw ValidationError("--fps must be a number from 0.1 to 1000 (got \(fps))")
    }
  }
}
