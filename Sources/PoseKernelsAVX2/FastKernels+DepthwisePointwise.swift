import PoseKernelTypes

// MARK: - Depthwise convolution fused with the 1×1 convolution that reads it

extension FastKernels {
  /// Floats of depthwise output a band of the fused kernel holds at most (~96 KB): a band
  /// stays in the core's L2 cache between the depthwise kernel writing it and the GEMM
  /// reading it, instead of a whole tensor (up to 2.4 MB in the landmark model) going out
  /// to L3 and back.
  static let fusedBandFloats = 24_576

  /// Output rows per band of `depthwiseThenPointwise` for depthwise geometry `g`: about
  /// `fusedBandFloats`, rounded up so a band's pixels fill whole GEMM micro-kernel steps
  /// where the width allows it (at most the whole height).
  public static func fusedBandRows(_ g: WindowGeometry) -> Int {
    let rowFloats = max(g.outputWidth * g.inputChannels, 1)
    var rows = max(fusedBandFloats / rowFloats, 1)
    let step = microRows / gcd(max(g.outputWidth, 1), microRows)
    rows = (rows + step - 1) / step * step
    return min(rows, g.outputHeight)
  }

  /// The scratch `depthwiseThenPointwise` needs per thread, in floats.
  public static func depthwisePointwiseScratch(_ g: WindowGeometry) -> Int {
    fusedBandRows(g) * g.outputWidth * g.inputChannels
  }

  /// DEPTHWISE_CONV_2D (`depthwise`, its RELU6 when `depthwiseRelu6`) followed by the 1×1
  /// CONV_2D `packed` (RELU6 when `relu6`) that alone reads its output, band by band: each
  /// band of depthwise rows is computed into `scratch` and multiplied out at once. Every value
  /// is computed exactly as by the two kernels one after the other (the same sums in the same
  /// order), so the results are bit-identical to them; the depthwise tensor is never written.
  /// `part` of `parts` computes one band of output rows (for a thread team, each part with its
  /// own scratch).
  public static func depthwiseThenPointwise(
    input: UnsafePointer<Float>, filter: UnsafePointer<Float>, bias: UnsafePointer<Float>,
    depthwise g: WindowGeometry, depthwiseRelu6: Bool, packed: PackedGEMMWeights,
    output: UnsafeMutablePointer<Float>, relu6 clamp: Bool, scratch: UnsafeMutablePointer<Float>,
    part: Int, parts: Int
  ) {
    let rows = WorkShare.share(of: g.outputHeight, part: part, parts: parts)
    let band = fusedBandRows(g)
    let channels = g.inputChannels
    var start = rows.lowerBound
    while start < rows.upperBound {
      let end = min(start + band, rows.upperBound)
      depthwiseConv2D(
        rows: start..<end, input: input, filter: filter, bias: bias, output: scratch,
        geometry: g, relu6: depthwiseRelu6)
      gemm(
        a: scratch, lda: channels, rows: (end - start) * g.outputWidth, packed: packed,
        c: output + start * g.outputWidth * packed.n, ldc: packed.n, relu6: clamp)
      start = end
    }
  }
}

/// The greatest common divisor of two positive numbers.
private func gcd(_ a: Int, _ b: Int) -> Int {
  var (a, b) = (a, b)
  while b != 0 { (a, b) = (b, a % b) }
  return a
}
