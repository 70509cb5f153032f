/// An input that cannot be read: where, and why.
///
/// The description reads `FILE:LINE:COLUMN: reason` (or `FILE: reason` when no position
/// applies), so an editor can jump to the spot.
public struct PoseInputError: Error, CustomStringConvertible, Equatable, Sendable {
  /// What kind of failure this is.
  public enum Kind: Sendable, Equatable {
    /// The input exists but is not valid landmark data.
    case badData
    /// The file or directory does not exist, cannot be opened, or holds nothing to read.
    case missingInput
    /// A program the input needs (ffmpeg for a video) is missing or cannot be started.
    case unavailable
  }

  /// What kind of failure this is.
  public var kind: Kind
  /// The file as the user named it (`-` for standard input).
  public var file: String
  /// 1-based line of the problem, when known.
  public var line: Int?
  /// 1-based column (in bytes) of the problem, when known.
  public var column: Int?
  /// 0-based index of the frame involved, when known.
  public var frameIndex: Int?
  /// The problem, in words.
  public var reason: String

  /// Makes an error.
  public init(
    _ kind: Kind, file: String, line: Int? = nil, column: Int? = nil, frameIndex: Int? = nil,
    reason: String
  ) {
    self.kind = kind
    self.file = file
    self.line = line
    self.column = column
    self.frameIndex = frameIndex
    self.reason = reason
  }

  public var description: String {
    var text = file == "-" ? "<stdin>" : file
    if let line, let column {
      text += ":\(line):\(column)"
    }
    text += ": "
    if let frameIndex {
      text += "frame \(frameIndex): "
    }
    return text + reason
  }
}
