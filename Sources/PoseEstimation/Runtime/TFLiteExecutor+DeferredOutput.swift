internal import PoseKernelTypes

/// A requested output that a 1×1 convolution makes and that `run` no longer computes: its
/// values are computed when asked for, a few at a time, each exactly as the convolution's
/// kernel computes it (the products of the input pixel's channels and the packed weights
/// added from zero in channel order, then the bias, then RELU6 when fused; multiply-adds
/// fused only when the kernel set fuses them), so they are the same floats bit for bit.
///
/// For the landmark model's heatmap: the refinement reads a 9 × 9 window of one channel per
/// landmark (39 × 81 values), while the convolution makes all 64 × 64 × 39.
/// Valid while its executor lives; reads the input the last `run` left.
public struct DeferredPointwiseOutput {
  /// The convolution's input: `height × width × weights.k` floats.
  let input: UnsafePointer<Float>
  let weights: PackedGEMMWeights
  /// Output pixels per row and rows.
  public let width: Int
  public let height: Int
  /// Output channels.
  public var channels: Int { weights.n }
  let relu6: Bool
  let fused: Bool

  /// The values of output channel `channel` at `rows` × `columns` (inside the output), row by
  /// row, into `values` (`rows.count × columns.count` floats).
  public func window(
    channel: Int, rows: Range<Int>, columns: Range<Int>, into values: UnsafeMutablePointer<Float>
  ) {
    let k = weights.k
    let panelWidth = PackedGEMMWeights.panelWidth
    let column = weights.weights + channel / panelWidth * k * panelWidth + channel % panelWidth
    let bias = weights.bias[channel]
    var target = values
    for row in rows {
      var pixel = input + (row * width + columns.lowerBound) * k
      var left = columns.count
      // Four pixels at a time: four independent sums keep the adder busy (one sum alone
      // waits for each addition before the next).
      while left >= 4 {
        var sums = SIMD4<Float>()
        for kk in 0..<k {
          let products = SIMD4(pixel[kk], pixel[k + kk], pixel[2 * k + kk], pixel[3 * k + kk])
          let weight = SIMD4<Float>(repeating: column[kk * panelWidth])
          sums = fused ? sums.addingProduct(products, weight) : sums + products * weight
        }
        for lane in 0..<4 {
          target.pointee = finish(sums[lane], bias)
          target += 1
        }
        pixel += 4 * k
        left -= 4
      }
      while left > 0 {
        var sum: Float = 0
        for kk in 0..<k {
          let product = pixel[kk]
          let weight = column[kk * panelWidth]
          sum = fused ? sum.addingProduct(product, weight) : sum + product * weight
        }
        target.pointee = finish(sum, bias)
        target += 1
        pixel += k
        left -= 1
      }
    }
  }

  /// The sum plus the bias, then RELU6 when the convolution fuses it, as the kernel stores it.
  @inline(__always)
  private func finish(_ sum: Float, _ bias: Float) -> Float {
    let value = sum + bias
    return relu6 ? min(max(value, 0), 6) : value
  }
}

extension TFLiteExecutor {
  /// The values of deferred output `position` (asked for with `deferring` when planned), or
  /// nil when `run` computes it or does not make it.
  public func deferredOutput(_ position: Int) -> DeferredPointwiseOutput? {
    deferredOutputs[position]
  }
}
