extension PoseFrameSource {
  /// Something the reader of an input should hear about that does not stop the reading; the
  /// source hands these to its caller, which decides how to show them.
  public enum Notice: Sendable, Equatable, CustomStringConvertible {
    /// An image frame was skipped (unreadable, not a JPEG, or not the first frame's size); it
    /// still counts as a frame, one without a pose.
    case skippedFrame(name: String, reason: String)
    /// Image frames are timed at `fps` because nothing gave their rate.
    case assumedFrameRate(input: String, fps: Double)
    /// Landmark frames without timestamps were timed at `fps`, as nothing gave a rate.
    case untimedFrames(input: String, fps: Double)

    /// The notice as one line: `warning: skipped NAME: reason`, `INPUT: no --fps given; …`.
    public var description: String {
      switch self {
      case .skippedFrame(let name, let reason):
        return "warning: skipped \(name): \(reason)"
      case .assumedFrameRate(let input, let fps):
        return "\(input): no --fps given; timing frames at \(Self.rate(fps)) fps"
      case .untimedFrames(let input, let fps):
        return "\(input): frames have no timestamps and no fps is known;"
          + " assuming \(Self.rate(fps)) fps (use --fps)"
      }
    }

    /// `fps` without a fraction when it has none (`30`, `29.97`).
    private static func rate(_ fps: Double) -> String {
      Int(exactly: fps).map(String.init) ?? "\(fps)"
    }
  }
}
