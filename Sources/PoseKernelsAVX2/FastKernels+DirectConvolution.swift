import PoseKernelTypes

// MARK: - CONV_2D without im2col where the windows lie inside the input

extension FastKernels {
  /// Output row `oy` of a convolution that is not a plain GEMM (the models' first 3×3
  /// convolution on 3 channels, the 2×2 ones): the pixels whose whole window lies inside the
  /// input read it in place, since one filter row of a window (`kernelWidth × inputChannels`
  /// floats) is contiguous in NHWC; the others go through im2col into `scratch` and `gemm`.
  /// Every output value is the sum over the window in im2col order (filter row, column,
  /// channel) from zero, then the bias, as `gemm` computes it: the results are bit-identical
  /// to the im2col path, and to the reference kernel.
  static func conv2DRow(
    _ oy: Int, input: UnsafePointer<Float>, packed w: PackedGEMMWeights,
    output: UnsafeMutablePointer<Float>, geometry g: WindowGeometry, relu6 clamp: Bool,
    scratch: UnsafeMutablePointer<Float>
  ) {
    let cin = g.inputChannels
    let outputRow = output + oy * g.outputWidth * g.outputChannels
    let iy0 = oy * g.strideHeight - g.padTop
    let columns = insideColumns(g)
    guard iy0 >= 0, iy0 + g.kernelHeight <= g.inputHeight, !columns.isEmpty else {
      im2colGEMM(
        oy, columns: 0..<g.outputWidth, input: input, packed: w, output: outputRow, geometry: g,
        relu6: clamp, scratch: scratch)
      return
    }
    im2colGEMM(
      oy, columns: 0..<columns.lowerBound, input: input, packed: w, output: outputRow,
      geometry: g, relu6: clamp, scratch: scratch)
    let ix0 = columns.lowerBound * g.strideWidth - g.padLeft
    directGEMM(
      origin: input + (iy0 * g.inputWidth + ix0) * cin, pixelStride: g.strideWidth * cin,
      rowStride: g.inputWidth * cin, kernelRows: g.kernelHeight, span: g.kernelWidth * cin,
      pixels: columns.count, packed: w, c: outputRow + columns.lowerBound * g.outputChannels,
      ldc: g.outputChannels, relu6: clamp)
    im2colGEMM(
      oy, columns: columns.upperBound..<g.outputWidth, input: input, packed: w,
      output: outputRow, geometry: g, relu6: clamp, scratch: scratch)
  }

  /// The output columns whose window lies inside the input row (maybe none).
  static func insideColumns(_ g: WindowGeometry) -> Range<Int> {
    let first = min((g.padLeft + g.strideWidth - 1) / g.strideWidth, g.outputWidth)
    let room = g.inputWidth - g.kernelWidth + g.padLeft
    guard room >= 0 else { return first..<first }
    let end = min(room / g.strideWidth + 1, g.outputWidth)
    return first..<max(end, first)
  }

  /// Output columns `columns` of row `oy` through im2col (zeros outside the input) and
  /// `gemm`; `outputRow` is the row's first output value.
  static func im2colGEMM(
    _ oy: Int, columns: Range<Int>, input: UnsafePointer<Float>, packed w: PackedGEMMWeights,
    output outputRow: UnsafeMutablePointer<Float>, geometry g: WindowGeometry, relu6 clamp: Bool,
    scratch: UnsafeMutablePointer<Float>
  ) {
    guard !columns.isEmpty else { return }
    let cin = g.inputChannels
    let k = g.kernelHeight * g.kernelWidth * cin
    var target = scratch
    for ox in columns {
      for ky in 0..<g.kernelHeight {
        let iy = oy * g.strideHeight - g.padTop + ky
        for kx in 0..<g.kernelWidth {
          let ix = ox * g.strideWidth - g.padLeft + kx
          if iy < 0 || iy >= g.inputHeight || ix < 0 || ix >= g.inputWidth {
            target.update(repeating: 0, count: cin)
          } else {
            target.update(from: input + (iy * g.inputWidth + ix) * cin, count: cin)
          }
          target += cin
        }
      }
    }
    gemm(
      a: scratch, lda: k, rows: columns.count, packed: w,
      c: outputRow + columns.lowerBound * g.outputChannels, ldc: g.outputChannels,
      relu6: clamp)
  }

  /// `gemm` whose row `r` of `a` is the window at `origin + r · pixelStride`: `kernelRows`
  /// runs of `span` contiguous floats, `rowStride` apart (k = kernelRows · span, in order).
  /// The same tiles and the same arithmetic per output value as `gemm`.
  static func directGEMM(
    origin: UnsafePointer<Float>, pixelStride: Int, rowStride: Int, kernelRows: Int, span: Int,
    pixels: Int, packed w: PackedGEMMWeights, c: UnsafeMutablePointer<Float>, ldc: Int,
    relu6 clamp: Bool
  ) {
    let k = w.k
    let halfPanel = w.panels > 0 && w.n - (w.panels - 1) * panelWidth <= 8
    let widePanels = halfPanel ? w.panels - 1 : w.panels
    var r = 0
    while r + microRows <= pixels {
      let a0 = origin + r * pixelStride
      let a1 = a0 + pixelStride
      let a2 = a1 + pixelStride
      let a3 = a2 + pixelStride
      let a4 = a3 + pixelStride
      let a5 = a4 + pixelStride
      let out = c + r * ldc
      #if POSE_AVX512
      // One wide panel and a half one (24, 40 … channels: the first convolutions): both in
      // one pass, so each broadcast of the input serves 24 channels.
      if halfPanel && widePanels == 1 {
        directPanelAndHalf(
          a0: a0, pixelStride: pixelStride, rowStride: rowStride, kernelRows: kernelRows,
          span: span, packed: w, c: out, ldc: ldc, relu6: clamp)
        r += microRows
        continue
      }
      #endif
      if halfPanel {
        let p = widePanels
        var weights = w.weights + p * k * panelWidth
        var c0 = Vector8()
        var c1 = Vector8()
        var c2 = Vector8()
        var c3 = Vector8()
        var c4 = Vector8()
        var c5 = Vector8()
        for ky in 0..<kernelRows {
          let o = ky * rowStride
          for j in o..<(o + span) {
            let wv = load8(weights)
            c0 = multiplyAdd8(c0, Vector8(repeating: a0[j]), wv)
            c1 = multiplyAdd8(c1, Vector8(repeating: a1[j]), wv)
            c2 = multiplyAdd8(c2, Vector8(repeating: a2[j]), wv)
            c3 = multiplyAdd8(c3, Vector8(repeating: a3[j]), wv)
            c4 = multiplyAdd8(c4, Vector8(repeating: a4[j]), wv)
            c5 = multiplyAdd8(c5, Vector8(repeating: a5[j]), wv)
            weights += panelWidth
          }
        }
        let b = load8(w.bias + p * panelWidth)
        let count = w.n - p * panelWidth
        let target = out + p * panelWidth
        storeLanes(c0, bias: b, target, count: count, clamp: clamp)
        storeLanes(c1, bias: b, target + ldc, count: count, clamp: clamp)
        storeLanes(c2, bias: b, target + 2 * ldc, count: count, clamp: clamp)
        storeLanes(c3, bias: b, target + 3 * ldc, count: count, clamp: clamp)
        storeLanes(c4, bias: b, target + 4 * ldc, count: count, clamp: clamp)
        storeLanes(c5, bias: b, target + 5 * ldc, count: count, clamp: clamp)
      }
      for p in 0..<widePanels {
        var weights = w.weights + p * k * panelWidth
        var c0 = Vector16()
        var c1 = Vector16()
        var c2 = Vector16()
        var c3 = Vector16()
        var c4 = Vector16()
        var c5 = Vector16()
        for ky in 0..<kernelRows {
          let o = ky * rowStride
          for j in o..<(o + span) {
            let wv = load16(weights)
            c0 = multiplyAdd16(c0, Vector16(repeating: a0[j]), wv)
            c1 = multiplyAdd16(c1, Vector16(repeating: a1[j]), wv)
            c2 = multiplyAdd16(c2, Vector16(repeating: a2[j]), wv)
            c3 = multiplyAdd16(c3, Vector16(repeating: a3[j]), wv)
            c4 = multiplyAdd16(c4, Vector16(repeating: a4[j]), wv)
            c5 = multiplyAdd16(c5, Vector16(repeating: a5[j]), wv)
            weights += panelWidth
          }
        }
        let b = load16(w.bias + p * panelWidth)
        let count = min(panelWidth, w.n - p * panelWidth)
        let target = out + p * panelWidth
        storeLanes(c0, bias: b, target, count: count, clamp: clamp)
        storeLanes(c1, bias: b, target + ldc, count: count, clamp: clamp)
        storeLanes(c2, bias: b, target + 2 * ldc, count: count, clamp: clamp)
        storeLanes(c3, bias: b, target + 3 * ldc, count: count, clamp: clamp)
        storeLanes(c4, bias: b, target + 4 * ldc, count: count, clamp: clamp)
        storeLanes(c5, bias: b, target + 5 * ldc, count: count, clamp: clamp)
      }
      r += microRows
    }
    // The last pixels (fewer than a tile) one at a time, every panel 16 lanes wide.
    while r < pixels {
      let a0 = origin + r * pixelStride
      for p in 0..<w.panels {
        var weights = w.weights + p * k * panelWidth
        var c0 = Vector16()
        for ky in 0..<kernelRows {
          let o = ky * rowStride
          for j in o..<(o + span) {
            c0 = multiplyAdd16(c0, Vector16(repeating: a0[j]), load16(weights))
            weights += panelWidth
          }
        }
        storeLanes(
          c0, bias: load16(w.bias + p * panelWidth), c + r * ldc + p * panelWidth,
          count: min(panelWidth, w.n - p * panelWidth), clamp: clamp)
      }
      r += 1
    }
  }

  #if POSE_AVX512
  /// Six windows times one 16-channel panel and the 8-channel half panel after it (24
  /// output channels): twelve accumulators, each broadcast used for both. Per output value
  /// the same sum in the same order as the one-panel tiles.
  @inline(__always)
  static func directPanelAndHalf(
    a0: UnsafePointer<Float>, pixelStride: Int, rowStride: Int, kernelRows: Int, span: Int,
    packed w: PackedGEMMWeights, c out: UnsafeMutablePointer<Float>, ldc: Int, relu6 clamp: Bool
  ) {
    let a1 = a0 + pixelStride
    let a2 = a1 + pixelStride
    let a3 = a2 + pixelStride
    let a4 = a3 + pixelStride
    let a5 = a4 + pixelStride
    var wide = w.weights
    var half = w.weights + w.k * panelWidth
    var c0 = Vector16()
    var c1 = Vector16()
    var c2 = Vector16()
    var c3 = Vector16()
    var c4 = Vector16()
    var c5 = Vector16()
    var d0 = Vector8()
    var d1 = Vector8()
    var d2 = Vector8()
    var d3 = Vector8()
    var d4 = Vector8()
    var d5 = Vector8()
    for ky in 0..<kernelRows {
      let o = ky * rowStride
      for j in o..<(o + span) {
        let wl = load16(wide)
        let wr = load8(half)
        let x0 = a0[j]
        c0 = multiplyAdd16(c0, Vector16(repeating: x0), wl)
        d0 = multiplyAdd8(d0, Vector8(repeating: x0), wr)
        let x1 = a1[j]
        c1 = multiplyAdd16(c1, Vector16(repeating: x1), wl)
        d1 = multiplyAdd8(d1, Vector8(repeating: x1), wr)
        let x2 = a2[j]
        c2 = multiplyAdd16(c2, Vector16(repeating: x2), wl)
        d2 = multiplyAdd8(d2, Vector8(repeating: x2), wr)
        let x3 = a3[j]
        c3 = multiplyAdd16(c3, Vector16(repeating: x3), wl)
        d3 = multiplyAdd8(d3, Vector8(repeating: x3), wr)
        let x4 = a4[j]
        c4 = multiplyAdd16(c4, Vector16(repeating: x4), wl)
        d4 = multiplyAdd8(d4, Vector8(repeating: x4), wr)
        let x5 = a5[j]
        c5 = multiplyAdd16(c5, Vector16(repeating: x5), wl)
        d5 = multiplyAdd8(d5, Vector8(repeating: x5), wr)
        wide += panelWidth
        half += panelWidth
      }
    }
    let bl = load16(w.bias)
    let br = load8(w.bias + panelWidth)
    let rightCount = w.n - panelWidth
    storeLanes(c0, bias: bl, out, count: panelWidth, clamp: clamp)
    storeLanes(c1, bias: bl, out + ldc, count: panelWidth, clamp: clamp)
    storeLanes(c2, bias: bl, out + 2 * ldc, count: panelWidth, clamp: clamp)
    storeLanes(c3, bias: bl, out + 3 * ldc, count: panelWidth, clamp: clamp)
    storeLanes(c4, bias: bl, out + 4 * ldc, count: panelWidth, clamp: clamp)
    storeLanes(c5, bias: bl, out + 5 * ldc, count: panelWidth, clamp: clamp)
    let next = out + panelWidth
    storeLanes(d0, bias: br, next, count: rightCount, clamp: clamp)
    storeLanes(d1, bias: br, next + ldc, count: rightCount, clamp: clamp)
    storeLanes(d2, bias: br, next + 2 * ldc, count: rightCount, clamp: clamp)
    storeLanes(d3, bias: br, next + 3 * ldc, count: rightCount, clamp: clamp)
    storeLanes(d4, bias: br, next + 4 * ldc, count: rightCount, clamp: clamp)
    storeLanes(d5, bias: br, next + 5 * ldc, count: rightCount, clamp: clamp)
  }
  #endif
}
