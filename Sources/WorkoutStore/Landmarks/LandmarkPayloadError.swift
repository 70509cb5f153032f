/// Why a landmark stream could not be kept, or a kept payload could not be read.
///
/// The message names the frame or the byte offset and the reason.
public struct LandmarkPayloadError: Error, Equatable, Sendable, CustomStringConvertible {
  /// What kind of failure this is.
  public enum Kind: Sendable, Equatable {
    /// A frame cannot be kept: a value beyond `Float16`'s range (±65504), a landmark count
    /// that differs from the earlier frames', or a stream longer than the format holds.
    case cannotKeep
    /// A stored payload is corrupt, truncated or of an unknown version.
    case corrupt
  }

  /// What kind of failure this is.
  public var kind: Kind
  /// A one-line explanation.
  public var message: String

  /// Makes an error of `kind` explained by `message`.
  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  public var description: String { message }
}
