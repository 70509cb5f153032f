/// Weights of a convolution re-packed at load time for the GEMM micro-kernel: `panels`
/// panels of 16 output channels, each `[k][16]` (zero beyond the last output channel),
/// and the bias padded to `panels × 16`. Every kernel set (AVX2, AVX-512) reads this one
/// layout, so packed-weight cache files serve both.
public struct PackedGEMMWeights {
  /// Output channels per packed weight panel (one `SIMD16<Float>`).
  public static let panelWidth = 16

  public var k: Int
  public var n: Int
  public var panels: Int
  public var weights: UnsafePointer<Float>
  public var bias: UnsafePointer<Float>

  /// Packed weights at `weights` and `bias` for a `k × n` matrix in `panels` panels.
  public init(
    k: Int, n: Int, panels: Int, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>
  ) {
    self.k = k
    self.n = n
    self.panels = panels
    self.weights = weights
    self.bias = bias
  }

  /// The packed size in floats of a `k × n` weight matrix (without bias).
  public static func weightCount(k: Int, n: Int) -> Int {
    (n + panelWidth - 1) / panelWidth * panelWidth * k
  }

  /// Packs an OHWI filter `[n][k]` (k = KH·KW·Cin) and its bias into `weights`
  /// (`weightCount` floats) and `bias` (`panels × 16` floats).
  public static func pack(
    filter: UnsafeBufferPointer<Float>, bias source: UnsafeBufferPointer<Float>, k: Int, n: Int,
    weights: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>
  ) -> PackedGEMMWeights {
    let width = panelWidth
    let panels = (n + width - 1) / width
    for p in 0..<panels {
      for kk in 0..<k {
        for j in 0..<width {
          let co = p * width + j
          weights[(p * k + kk) * width + j] = co < n ? filter[co * k + kk] : 0
        }
      }
      for j in 0..<width {
        let co = p * width + j
        bias[p * width + j] = co < n ? source[co] : 0
      }
    }
    return PackedGEMMWeights(
      k: k, n: n, panels: panels, weights: UnsafePointer(weights), bias: UnsafePointer(bias))
  }

  /// The panels in `range` alone: output channels `range.lowerBound × 16` on.
  public func panels(_ range: Range<Int>) -> PackedGEMMWeights {
    let width = Self.panelWidth
    return PackedGEMMWeights(
      k: k, n: min(n, range.upperBound * width) - range.lowerBound * width,
      panels: range.count, weights: weights + range.lowerBound * k * width,
      bias: bias + range.lowerBound * width)
  }
}
