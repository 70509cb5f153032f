/// A float32 tensor: a shape and its elements in row-major (C) order.
public struct FloatTensor: Sendable, Equatable {
  /// Dimensions, outermost first (NHWC for images).
  public var shape: [Int]
  /// `shape.reduce(1, *)` elements.
  public var values: [Float]

  /// Creates a tensor; returns nil when `values.count` does not match `shape`.
  public init?(shape: [Int], values: [Float]) {
    guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == values.count else { return nil }
    self.shape = shape
    self.values = values
  }
}
