import PoseKernelTypes

// MARK: - GEMM micro-kernel over two panels at once (AVX-512)

extension FastKernels {
  /// Six rows of `a` times panels `p` and `p + 1` (32 output channels): twelve 16-lane
  /// accumulators, each broadcast of `a` used for two panels. With 32 vector registers
  /// (AVX-512) the tile fits in registers; with 16 (AVX2, where a 16-lane vector takes two)
  /// it would not, so only the AVX-512 copy uses it. Every output is summed over `k` in order
  /// from zero, then the bias is added, exactly as by the one-panel kernel: the results are
  /// bit-identical.
  @inline(__always)
  static func gemmPanelPair(
    rows a0: UnsafePointer<Float>, lda: Int, k: Int, panel p: Int, packed w: PackedGEMMWeights,
    c out: UnsafeMutablePointer<Float>, ldc: Int, relu6 clamp: Bool
  ) {
    let a1 = a0 + lda
    let a2 = a1 + lda
    let a3 = a2 + lda
    let a4 = a3 + lda
    let a5 = a4 + lda
    let left = w.weights + p * k * panelWidth
    let right = left + k * panelWidth
    var c0 = Vector16()
    var c1 = Vector16()
    var c2 = Vector16()
    var c3 = Vector16()
    var c4 = Vector16()
    var c5 = Vector16()
    var d0 = Vector16()
    var d1 = Vector16()
    var d2 = Vector16()
    var d3 = Vector16()
    var d4 = Vector16()
    var d5 = Vector16()
    for kk in 0..<k {
      let wl = load16(left + kk * panelWidth)
      let wr = load16(right + kk * panelWidth)
      let x0 = Vector16(repeating: a0[kk])
      c0 = multiplyAdd16(c0, x0, wl)
      d0 = multiplyAdd16(d0, x0, wr)
      let x1 = Vector16(repeating: a1[kk])
      c1 = multiplyAdd16(c1, x1, wl)
      d1 = multiplyAdd16(d1, x1, wr)
      let x2 = Vector16(repeating: a2[kk])
      c2 = multiplyAdd16(c2, x2, wl)
      d2 = multiplyAdd16(d2, x2, wr)
      let x3 = Vector16(repeating: a3[kk])
      c3 = multiplyAdd16(c3, x3, wl)
      d3 = multiplyAdd16(d3, x3, wr)
      let x4 = Vector16(repeating: a4[kk])
      c4 = multiplyAdd16(c4, x4, wl)
      d4 = multiplyAdd16(d4, x4, wr)
      let x5 = Vector16(repeating: a5[kk])
      c5 = multiplyAdd16(c5, x5, wl)
      d5 = multiplyAdd16(d5, x5, wr)
    }
    let bl = load16(w.bias + p * panelWidth)
    let br = load16(w.bias + (p + 1) * panelWidth)
    let base = p * panelWidth
    let rightCount = min(panelWidth, w.n - base - panelWidth)
    storeLanes(c0, bias: bl, out + base, count: panelWidth, clamp: clamp)
    storeLanes(c1, bias: bl, out + ldc + base, count: panelWidth, clamp: clamp)
    storeLanes(c2, bias: bl, out + 2 * ldc + base, count: panelWidth, clamp: clamp)
    storeLanes(c3, bias: bl, out + 3 * ldc + base, count: panelWidth, clamp: clamp)
    storeLanes(c4, bias: bl, out + 4 * ldc + base, count: panelWidth, clamp: clamp)
    storeLanes(c5, bias: bl, out + 5 * ldc + base, count: panelWidth, clamp: clamp)
    let next = base + panelWidth
    storeLanes(d0, bias: br, out + next, count: rightCount, clamp: clamp)
    storeLanes(d1, bias: br, out + ldc + next, count: rightCount, clamp: clamp)
    storeLanes(d2, bias: br, out + 2 * ldc + next, count: rightCount, clamp: clamp)
    storeLanes(d3, bias: br, out + 3 * ldc + next, count: rightCount, clamp: clamp)
    storeLanes(d4, bias: br, out + 4 * ldc + next, count: rightCount, clamp: clamp)
    storeLanes(d5, bias: br, out + 5 * ldc + next, count: rightCount, clamp: clamp)
  }
}
