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
    // A last panel with ≤ 8 output channels (24, 40 … channels) runs 8 lanes wide. Each tile
    // is its own function, out of line: inside this one the compiler left their vector loads
    // and stores as calls (the AVX2 copy's first convolution took 0.79 ms instead of 0.31).
    let halfPanel = w.panels > 0 && w.n - (w.panels - 1) * panelWidth <= 8
    let widePanels = halfPanel ? w.panels - 1 : w.panels
    var r = 0
    while r + microRows <= pixels {
      let a0 = origin + r * pixelStride
      let out = c + r * ldc
      if halfPanel {
        directHalfPanelTile(
          a0: a0, pixelStride: pixelStride, rowStride: rowStride, kernelRows: kernelRows,
          span: span, packed: w, panel: widePanels, c: out, ldc: ldc, relu6: clamp)
      }
      for p in 0..<widePanels {
        directPanelTile(
          a0: a0, pixelStride: pixelStride, rowStride: rowStride, kernelRows: kernelRows,
          span: span, packed: w, panel: p, c: out, ldc: ldc, relu6: clamp)
      }
      r += microRows
    }
    // The last pixels (fewer than a tile) one at a time.
    while r < pixels {
      directPixel(
        origin + r * pixelStride, rowStride: rowStride, kernelRows: kernelRows, span: span,
        packed: w, c: c + r * ldc, relu6: clamp)
      r += 1
    }
  }

  /// One window times every panel (16 lanes wide), four panels at a time, so that the four
  /// sums hide each other's add latency and share each broadcast: the landmark model's 2×2
  /// heads (one output pixel, k = 1,152, up to 195 channels), and the pixels after the last
  /// whole tile. Per output value the same sum in the same order as the tiles.
  @inline(never)
  static func directPixel(
    _ a0: UnsafePointer<Float>, rowStride: Int, kernelRows: Int, span: Int,
    packed w: PackedGEMMWeights, c: UnsafeMutablePointer<Float>, relu6 clamp: Bool
  ) {
    let step = w.k * panelWidth
    var p = 0
    while p + 4 <= w.panels {
      var weights = w.weights + p * step
      var c0 = Vector16()
      var c1 = Vector16()
      var c2 = Vector16()
      var c3 = Vector16()
      for ky in 0..<kernelRows {
        let o = ky * rowStride
        for j in o..<(o + span) {
          let x = Vector16(repeating: a0[j])
          c0 = multiplyAdd16(c0, x, load16(weights))
          c1 = multiplyAdd16(c1, x, load16(weights + step))
          c2 = multiplyAdd16(c2, x, load16(weights + 2 * step))
          c3 = multiplyAdd16(c3, x, load16(weights + 3 * step))
          weights += panelWidth
        }
      }
      let first = p * panelWidth
      let count = w.n - first
      storeLanes(c0, bias: load16(w.bias + first), c + first, count: min(16, count), clamp: clamp)
      storeLanes(
        c1, bias: load16(w.bias + first + 16), c + first + 16, count: min(16, count - 16),
        clamp: clamp)
      storeLanes(
        c2, bias: load16(w.bias + first + 32), c + first + 32, count: min(16, count - 32),
        clamp: clamp)
      storeLanes(
        c3, bias: load16(w.bias + first + 48), c + first + 48, count: min(16, count - 48),
        clamp: clamp)
      p += 4
    }
    while p < w.panels {
      var weights = w.weights + p * step
      var c0 = Vector16()
      for ky in 0..<kernelRows {
        let o = ky * rowStride
        for j in o..<(o + span) {
          c0 = multiplyAdd16(c0, Vector16(repeating: a0[j]), load16(weights))
          weights += panelWidth
        }
      }
      storeLanes(
        c0, bias: load16(w.bias + p * panelWidth), c + p * panelWidth,
        count: min(panelWidth, w.n - p * panelWidth), clamp: clamp)
      p += 1
    }
  }

  /// Six windows times the 8-channel half panel `panel` (the last one): per output value the
  /// sum over the window in order from zero, then the bias. Out of line, so that the
  /// compiler inlines its vector loads (inside `directGEMM` they stayed calls).
  @inline(never)
  static func directHalfPanelTile(
    a0: UnsafePointer<Float>, pixelStride: Int, rowStride: Int, kernelRows: Int, span: Int,
    packed w: PackedGEMMWeights, panel p: Int, c out: UnsafeMutablePointer<Float>, ldc: Int,
    relu6 clamp: Bool
  ) {
    let a1 = a0 + pixelStride
    let a2 = a1 + pixelStride
    let a3 = a2 + pixelStride
    let a4 = a3 + pixelStride
    let a5 = a4 + pixelStride
    var weights = w.weights + p * w.k * panelWidth
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

  /// Six windows times the 16-channel panel `panel`, as ``directHalfPanelTile``.
  @inline(never)
  static func directPanelTile(
    a0: UnsafePointer<Float>, pixelStride: Int, rowStride: Int, kernelRows: Int, span: Int,
    packed w: PackedGEMMWeights, panel p: Int, c out: UnsafeMutablePointer<Float>, ldc: Int,
    relu6 clamp: Bool
  ) {
    let a1 = a0 + pixelStride
    let a2 = a1 + pixelStride
    let a3 = a2 + pixelStride
    let a4 = a3 + pixelStride
    let a5 = a4 + pixelStride
    var weights = w.weights + p * w.k * panelWidth
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
}
