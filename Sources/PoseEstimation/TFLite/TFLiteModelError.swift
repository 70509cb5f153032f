/// Why a TFLite model file could not be read or run.
public struct TFLiteModelError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What is wrong, with the position or operator/tensor index where useful.
  public let message: String

  /// Creates an error.
  public init(_ message: String) {
    self.message = message
  }

  public var description: String { "TFLite model: \(message)" }
}
