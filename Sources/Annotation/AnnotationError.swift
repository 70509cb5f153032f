/// Why annotated frames could not be written.
public struct AnnotationError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong, for the exit code.
  public enum Kind: Sendable, Equatable {
    /// The destination cannot be used as given (a file where a directory is wanted, a
    /// directory that already holds files).
    case badDestination
    /// A program it needs (ffmpeg) is not installed.
    case unavailable
    /// Writing failed (a file, or the video encoder).
    case writeFailed
  }

  /// What went wrong.
  public let kind: Kind
  /// The destination path.
  public let path: String
  /// Why, in a sentence fragment.
  public let reason: String

  /// Makes an error.
  public init(_ kind: Kind, path: String, reason: String) {
    self.kind = kind
    self.path = path
    self.reason = reason
  }

  public var description: String { "\(path): \(reason)" }
}
