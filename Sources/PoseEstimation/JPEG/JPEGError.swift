/// Why a JPEG could not be decoded or encoded.
public struct JPEGError: Error, Sendable, Equatable, CustomStringConvertible {
  /// libjpeg's message, or ours for errors found before libjpeg runs.
  public let message: String

  /// Creates an error with a message.
  public init(_ message: String) {
    self.message = message
  }

  public var description: String { "JPEG: \(message)" }
}
