/// A path that a directory walk (``SessionDiscovery``) passed over, and why; the caller prints
/// it as one line.
public struct SkippedInput: Equatable, Sendable, CustomStringConvertible {
  /// The file or directory passed over.
  public var path: String
  /// Why, in words.
  public var reason: String

  /// Makes a skip record.
  public init(path: String, reason: String) {
    self.path = path
    self.reason = reason
  }

  /// `skipped PATH: reason`.
  public var description: String { "skipped \(path): \(reason)" }
}
