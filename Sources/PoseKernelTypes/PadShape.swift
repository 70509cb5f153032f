/// Shapes of a PAD of a 4-D tensor, as fixed-size tuples (no arrays in the hot path).
public struct PadShape: Sendable {
  public var input: (Int, Int, Int, Int)
  public var before: (Int, Int, Int, Int)
  public var output: (Int, Int, Int, Int)
  public var outputCount: Int { output.0 * output.1 * output.2 * output.3 }

  /// The input's shape, the padding before each dimension and the output's shape.
  public init(
    input: (Int, Int, Int, Int), before: (Int, Int, Int, Int), output: (Int, Int, Int, Int)
  ) {
    self.input = input
    self.before = before
    self.output = output
  }
}
