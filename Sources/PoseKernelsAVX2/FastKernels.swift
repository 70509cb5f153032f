import PoseKernelTypes

/// Vectorized float kernels for the operators of the BlazePose models (the reference
/// kernels in `ReferenceKernels` are their oracle). Batch 1, NHWC, raw pointers: the
/// executor's load-time planning guarantees every buffer has the size its shape says.
///
/// These files are compiled three times (Package.swift): in this module for AVX2 (`-target-cpu
/// haswell`) and, through symbolic links, in `PoseKernelsAVX512` (`-target-cpu znver4`,
/// `POSE_AVX512` and `POSE_PANEL_PAIRS`) and `PoseKernelsAVX512Gemm8` (znver4, `POSE_AVX512`
/// only) for AVX-512; PoseEstimation picks one copy at run time (`PoseInstructionSet`). Code
/// under `POSE_AVX512` (16-lane sliding depthwise) or `POSE_PANEL_PAIRS`
/// (the GEMM two 16-float panels at a time) changes only how work is tiled into registers,
/// never the operations or their order per output value, so all copies give bit-identical
/// results.
///
/// Build notes (../shared/blazepose/perf.md): with `POSE_FMA` (set in Package.swift when
/// built with `BUDDY_POSE_FMA=1`) the
/// multiply-adds of the convolutions are fused, so the results differ from the reference
/// kernels in the last bits (tests hold them to a stated tolerance); without it they are a
/// separate multiply and add in the reference order (bit-identical), because
/// `addingProduct` on a CPU target without FMA becomes a per-lane library call. RELU6 is
/// two compare-and-blend steps, never `clamped(lowerBound:upperBound:)` (per-lane scalar
/// code).
///
/// The small helpers below are `@_transparent`, not `@inline(__always)`: in the big GEMM
/// function the optimizer left `@inline(__always)` helpers as calls (each passing a 16-lane
/// vector through eight 128-bit registers); transparent functions are inlined before
/// optimization, always.
public enum FastKernels {
  /// Output channels per packed weight panel (one `SIMD16<Float>`).
  static let panelWidth = PackedGEMMWeights.panelWidth
  /// Output pixels per GEMM micro-kernel step.
  public static let microRows = 6

  /// True when the convolutions fuse their multiply-adds (`POSE_FMA`): results then differ
  /// from the reference kernels within the tests' tolerance instead of bit for bit.
  public static var fusesMultiplyAdds: Bool {
    #if POSE_FMA
    true
    #else
    false
    #endif
  }
}

typealias Vector16 = SIMD16<Float>
typealias Vector8 = SIMD8<Float>

@_transparent
func load16(_ p: UnsafePointer<Float>) -> Vector16 {
  UnsafeRawPointer(p).loadUnaligned(as: Vector16.self)
}

@_transparent
func load8(_ p: UnsafePointer<Float>) -> Vector8 {
  UnsafeRawPointer(p).loadUnaligned(as: Vector8.self)
}

@_transparent
func store16(_ v: Vector16, _ p: UnsafeMutablePointer<Float>) {
  UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vector16.self)
}

@_transparent
func store8(_ v: Vector8, _ p: UnsafeMutablePointer<Float>) {
  UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vector8.self)
}

/// `c + a * b`, fused where the CPU target has FMA.
@_transparent
func multiplyAdd16(_ c: Vector16, _ a: Vector16, _ b: Vector16) -> Vector16 {
  #if POSE_FMA
  c.addingProduct(a, b)
  #else
  c + a * b
  #endif
}

/// `c + a * b` on 8 lanes, fused where the CPU target has FMA.
@_transparent
func multiplyAdd8(_ c: Vector8, _ a: Vector8, _ b: Vector8) -> Vector8 {
  #if POSE_FMA
  c.addingProduct(a, b)
  #else
  c + a * b
  #endif
}

@_transparent
func relu6(_ v: Vector16) -> Vector16 {
  var v = v
  v.replace(with: 0, where: v .< 0)
  v.replace(with: 6, where: v .> 6)
  return v
}

@_transparent
func relu6(_ v: Vector8) -> Vector8 {
  var v = v
  v.replace(with: 0, where: v .< 0)
  v.replace(with: 6, where: v .> 6)
  return v
}

@_transparent
func relu6(_ x: Float) -> Float {
  x < 0 ? 0 : (x > 6 ? 6 : x)
}

/// Stores `count` ≤ 8 lanes of `v + bias` at `p`, applying RELU6 when asked.
@_transparent
func storeLanes(
  _ v: Vector8, bias: Vector8, _ p: UnsafeMutablePointer<Float>, count: Int, clamp: Bool
) {
  let v = clamp ? relu6(v + bias) : v + bias
  if count == 8 {
    store8(v, p)
  } else {
    for i in 0..<count { p[i] = v[i] }
  }
}

/// Stores `count` ≤ 16 lanes of `v + bias` at `p`, applying RELU6 when asked.
@_transparent
func storeLanes(
  _ v: Vector16, bias: Vector16, _ p: UnsafeMutablePointer<Float>, count: Int, clamp: Bool
) {
  let v = clamp ? relu6(v + bias) : v + bias
  if count == 16 {
    store16(v, p)
  } else {
    for i in 0..<count { p[i] = v[i] }
  }
}

// MARK: - GEMM (1×1 convolutions, and the others after im2col)

extension FastKernels {
  /// `c[r][j] = act(bias[j] + Σ_k a[r][k] · w[k][j])` for `rows` rows of `a` (row stride
  /// `lda`), written with row stride `ldc`.
  public static func gemm(
    a: UnsafePointer<Float>, lda: Int, rows: Int, packed w: PackedGEMMWeights,
    c: UnsafeMutablePointer<Float>, ldc: Int, relu6 clamp: Bool
  ) {
    let k = w.k
    // A last panel with ≤ 8 output channels (24, 40, 72 … channels) runs 8 lanes wide: the
    // zero half of its packed weights is never multiplied.
    let halfPanel = w.panels > 0 && w.n - (w.panels - 1) * panelWidth <= 8
    let widePanels = halfPanel ? w.panels - 1 : w.panels
    var r = 0
    while r + microRows <= rows {
      let a0 = a + r * lda
      let a1 = a0 + lda
      let a2 = a1 + lda
      let a3 = a2 + lda
      let a4 = a3 + lda
      let a5 = a4 + lda
      if halfPanel {
        let p = widePanels
        let panel = w.weights + p * k * panelWidth
        let b = load8(w.bias + p * panelWidth)
        var c0 = Vector8()
        var c1 = Vector8()
        var c2 = Vector8()
        var c3 = Vector8()
        var c4 = Vector8()
        var c5 = Vector8()
        for kk in 0..<k {
          let wv = load8(panel + kk * panelWidth)
          c0 = multiplyAdd8(c0, Vector8(repeating: a0[kk]), wv)
          c1 = multiplyAdd8(c1, Vector8(repeating: a1[kk]), wv)
          c2 = multiplyAdd8(c2, Vector8(repeating: a2[kk]), wv)
          c3 = multiplyAdd8(c3, Vector8(repeating: a3[kk]), wv)
          c4 = multiplyAdd8(c4, Vector8(repeating: a4[kk]), wv)
          c5 = multiplyAdd8(c5, Vector8(repeating: a5[kk]), wv)
        }
        let count = w.n - p * panelWidth
        let out = c + r * ldc + p * panelWidth
        storeLanes(c0, bias: b, out, count: count, clamp: clamp)
        storeLanes(c1, bias: b, out + ldc, count: count, clamp: clamp)
        storeLanes(c2, bias: b, out + 2 * ldc, count: count, clamp: clamp)
        storeLanes(c3, bias: b, out + 3 * ldc, count: count, clamp: clamp)
        storeLanes(c4, bias: b, out + 4 * ldc, count: count, clamp: clamp)
        storeLanes(c5, bias: b, out + 5 * ldc, count: count, clamp: clamp)
      }
      // AVX-512: panels two at a time (`gemmPanelPair`), the last odd one below.
      #if POSE_PANEL_PAIRS
      let pairedPanels = widePanels / 2 * 2
      var pair = 0
      while pair < pairedPanels {
        gemmPanelPair(
          rows: a0, lda: lda, k: k, panel: pair, packed: w, c: c + r * ldc, ldc: ldc,
          relu6: clamp)
        pair += 2
      }
      #else
      let pairedPanels = 0
      #endif
      for p in pairedPanels..<widePanels {
        let panel = w.weights + p * k * panelWidth
        let b = load16(w.bias + p * panelWidth)
        var c0 = Vector16()
        var c1 = Vector16()
        var c2 = Vector16()
        var c3 = Vector16()
        var c4 = Vector16()
        var c5 = Vector16()
        for kk in 0..<k {
          let wv = load16(panel + kk * panelWidth)
          c0 = multiplyAdd16(c0, Vector16(repeating: a0[kk]), wv)
          c1 = multiplyAdd16(c1, Vector16(repeating: a1[kk]), wv)
          c2 = multiplyAdd16(c2, Vector16(repeating: a2[kk]), wv)
          c3 = multiplyAdd16(c3, Vector16(repeating: a3[kk]), wv)
          c4 = multiplyAdd16(c4, Vector16(repeating: a4[kk]), wv)
          c5 = multiplyAdd16(c5, Vector16(repeating: a5[kk]), wv)
        }
        let count = min(panelWidth, w.n - p * panelWidth)
        let out = c + r * ldc + p * panelWidth
        storeLanes(c0, bias: b, out, count: count, clamp: clamp)
        storeLanes(c1, bias: b, out + ldc, count: count, clamp: clamp)
        storeLanes(c2, bias: b, out + 2 * ldc, count: count, clamp: clamp)
        storeLanes(c3, bias: b, out + 3 * ldc, count: count, clamp: clamp)
        storeLanes(c4, bias: b, out + 4 * ldc, count: count, clamp: clamp)
        storeLanes(c5, bias: b, out + 5 * ldc, count: count, clamp: clamp)
      }
      r += microRows
    }
    while r + 2 <= rows {
      let a0 = a + r * lda
      let a1 = a0 + lda
      for p in 0..<w.panels {
        let panel = w.weights + p * k * panelWidth
        let b = load16(w.bias + p * panelWidth)
        var c0 = Vector16()
        var c1 = Vector16()
        for kk in 0..<k {
          let wv = load16(panel + kk * panelWidth)
          c0 = multiplyAdd16(c0, Vector16(repeating: a0[kk]), wv)
          c1 = multiplyAdd16(c1, Vector16(repeating: a1[kk]), wv)
        }
        let count = min(panelWidth, w.n - p * panelWidth)
        let out = c + r * ldc + p * panelWidth
        storeLanes(c0, bias: b, out, count: count, clamp: clamp)
        storeLanes(c1, bias: b, out + ldc, count: count, clamp: clamp)
      }
      r += 2
    }
    if r < rows {
      let a0 = a + r * lda
      for p in 0..<w.panels {
        let panel = w.weights + p * k * panelWidth
        let b = load16(w.bias + p * panelWidth)
        var c0 = Vector16()
        for kk in 0..<k {
          c0 = multiplyAdd16(c0, Vector16(repeating: a0[kk]), load16(panel + kk * panelWidth))
        }
        storeLanes(
          c0, bias: b, c + r * ldc + p * panelWidth, count: min(panelWidth, w.n - p * panelWidth),
          clamp: clamp)
      }
    }
  }

  /// CONV_2D one output row at a time, windows inside the input read in place and the
  /// others through im2col (`scratch` holds `outputWidth × KH·KW·Cin` floats). 1×1 stride-1
  /// convolutions are a plain GEMM.
  ///
  /// `part` of `parts` computes one share of the output (for a thread team, each part with
  /// its own scratch): a band of output rows, or for a 1×1 convolution with few pixels a
  /// band of output channels. Every value is computed exactly as by the whole call.
  public static func conv2D(
    input: UnsafePointer<Float>, packed: PackedGEMMWeights, output: UnsafeMutablePointer<Float>,
    geometry g: WindowGeometry, relu6 clamp: Bool, scratch: UnsafeMutablePointer<Float>,
    part: Int, parts: Int
  ) {
    if isPointwise(g) {
      let pixels = g.outputHeight * g.outputWidth
      if parts > 1 && pixels < 2 * microRows * parts {
        let band = WorkShare.share(of: packed.panels, part: part, parts: parts)
        gemm(
          a: input, lda: g.inputChannels, rows: pixels, packed: packed.panels(band),
          c: output + band.lowerBound * panelWidth, ldc: g.outputChannels, relu6: clamp)
        return
      }
      let rows = WorkShare.share(of: pixels, part: part, parts: parts, multiple: microRows)
      gemm(
        a: input + rows.lowerBound * g.inputChannels, lda: g.inputChannels, rows: rows.count,
        packed: packed, c: output + rows.lowerBound * g.outputChannels, ldc: g.outputChannels,
        relu6: clamp)
      return
    }
    // Windows inside the input are read in place, the others through im2col
    // (FastKernels+DirectConvolution.swift).
    for oy in WorkShare.share(of: g.outputHeight, part: part, parts: parts) {
      conv2DRow(
        oy, input: input, packed: packed, output: output, geometry: g, relu6: clamp,
        scratch: scratch)
    }
  }

  /// True for a 1×1 stride-1 convolution without padding (a plain GEMM).
  static func isPointwise(_ g: WindowGeometry) -> Bool {
    g.isPointwise
  }

  /// The im2col scratch `conv2D` needs, in floats.
  public static func conv2DScratch(_ g: WindowGeometry) -> Int {
    isPointwise(g) ? 0 : g.outputWidth * g.kernelHeight * g.kernelWidth * g.inputChannels
  }
}

// MARK: - Depthwise convolution

extension FastKernels {
  /// DEPTHWISE_CONV_2D (multiplier 1), filter `[KH][KW][C]` as in the model, bias `[C]`:
  /// channels in 16- and 8-wide vectors (four interior pixels per step for both), taps outside
  /// the input skipped per pixel. The
  /// arithmetic is the reference kernel's (taps in order, unfused, bias last), so the
  /// results are bit-identical even under `POSE_FMA`: the kernel is bound by memory, and
  /// fused multiply-adds measured no faster here (`scripts/bench.sh roofline`) while moving
  /// the heatmap output past its tolerance.
  /// `part` of `parts` computes one band of output rows (for a thread team).
  public static func depthwiseConv2D(
    input: UnsafePointer<Float>, filter: UnsafePointer<Float>, bias: UnsafePointer<Float>,
    output: UnsafeMutablePointer<Float>, geometry g: WindowGeometry, relu6 clamp: Bool,
    part: Int, parts: Int
  ) {
    let rows = WorkShare.share(of: g.outputHeight, part: part, parts: parts)
    depthwiseConv2D(
      rows: rows, input: input, filter: filter, bias: bias,
      output: output + rows.lowerBound * g.outputWidth * g.inputChannels, geometry: g,
      relu6: clamp)
  }

  /// Output rows `rows` of a depthwise convolution, written from `output` on (row
  /// `rows.lowerBound` first): a whole tensor's share, or a band the fused depthwise +
  /// pointwise kernel keeps in cache.
  static func depthwiseConv2D(
    rows: Range<Int>, input: UnsafePointer<Float>, filter: UnsafePointer<Float>,
    bias: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, geometry g: WindowGeometry,
    relu6 clamp: Bool
  ) {
    let channels = g.inputChannels
    let kw = g.kernelWidth
    let rowStride = g.inputWidth * channels
    // Output columns whose whole window lies inside the input row.
    let interiorStart = min((g.padLeft + g.strideWidth - 1) / g.strideWidth, g.outputWidth)
    let lastInterior = (g.inputWidth - kw + g.padLeft) / g.strideWidth
    let interiorEnd = max(min(lastInterior + 1, g.outputWidth), interiorStart)
    let wideChannels = channels / 16 * 16
    let halfChannels = channels / 8 * 8
    let pixelStep = g.strideWidth * channels
    for oy in rows {
      let iy0 = oy * g.strideHeight - g.padTop
      let kyLow = max(0, -iy0)
      let kyHigh = min(g.kernelHeight, g.inputHeight - iy0)
      let outputRow = output + (oy - rows.lowerBound) * g.outputWidth * channels
      #if POSE_AVX512
      // Stride 1, 3 or 5 wide: the whole row eight pixels at a time, each input column loaded
      // once (`depthwise8Pixels3Wide` …); blocks at the edges skip the columns outside the
      // row. Channels past the last 16 per pixel.
      if g.strideWidth == 1 && (kw == 3 || kw == 5) {
        depthwiseRowSliding(
          input: input, filter: filter, bias: bias, output: outputRow, geometry: g, iy0: iy0,
          kyLow: kyLow, kyHigh: kyHigh, relu6: clamp)
        continue
      }
      #endif
      for ox in 0..<interiorStart {
        depthwisePixel(
          input: input, filter: filter, bias: bias, output: outputRow, geometry: g, iy0: iy0,
          kyLow: kyLow, kyHigh: kyHigh, ox: ox, firstChannel: 0, relu6: clamp)
      }
      var ox = interiorStart
      // Interior: four output pixels per step share each weight load (16 channels).
      while ox + 4 <= interiorEnd {
        let ix0 = ox * g.strideWidth - g.padLeft
        let origin = input + iy0 * rowStride + ix0 * channels
        let out = outputRow + ox * channels
        var c = 0
        while c < wideChannels {
          var acc0 = Vector16()
          var acc1 = Vector16()
          var acc2 = Vector16()
          var acc3 = Vector16()
          for ky in kyLow..<kyHigh {
            let row = origin + ky * rowStride + c
            let weights = filter + ky * kw * channels + c
            for kx in 0..<kw {
              let w = load16(weights + kx * channels)
              let x = row + kx * channels
              acc0 += load16(x) * w
              acc1 += load16(x + pixelStep) * w
              acc2 += load16(x + 2 * pixelStep) * w
              acc3 += load16(x + 3 * pixelStep) * w
            }
          }
          let b = load16(bias + c)
          acc0 += b
          acc1 += b
          acc2 += b
          acc3 += b
          store16(clamp ? relu6(acc0) : acc0, out + c)
          store16(clamp ? relu6(acc1) : acc1, out + channels + c)
          store16(clamp ? relu6(acc2) : acc2, out + 2 * channels + c)
          store16(clamp ? relu6(acc3) : acc3, out + 3 * channels + c)
          c += 16
        }
        // 8 channels past the last 16 (24, 88 … channels): the same four pixels, 8 lanes.
        if halfChannels > wideChannels {
          let c = wideChannels
          var acc0 = Vector8()
          var acc1 = Vector8()
          var acc2 = Vector8()
          var acc3 = Vector8()
          for ky in kyLow..<kyHigh {
            let row = origin + ky * rowStride + c
            let weights = filter + ky * kw * channels + c
            for kx in 0..<kw {
              let w = load8(weights + kx * channels)
              let x = row + kx * channels
              acc0 += load8(x) * w
              acc1 += load8(x + pixelStep) * w
              acc2 += load8(x + 2 * pixelStep) * w
              acc3 += load8(x + 3 * pixelStep) * w
            }
          }
          let b = load8(bias + c)
          acc0 += b
          acc1 += b
          acc2 += b
          acc3 += b
          store8(clamp ? relu6(acc0) : acc0, out + c)
          store8(clamp ? relu6(acc1) : acc1, out + channels + c)
          store8(clamp ? relu6(acc2) : acc2, out + 2 * channels + c)
          store8(clamp ? relu6(acc3) : acc3, out + 3 * channels + c)
        }
        if halfChannels < channels {
          for pixel in ox..<(ox + 4) {
            depthwisePixel(
              input: input, filter: filter, bias: bias, output: outputRow, geometry: g, iy0: iy0,
              kyLow: kyLow, kyHigh: kyHigh, ox: pixel, firstChannel: halfChannels, relu6: clamp)
          }
        }
        ox += 4
      }
      while ox < g.outputWidth {
        depthwisePixel(
          input: input, filter: filter, bias: bias, output: outputRow, geometry: g, iy0: iy0,
          kyLow: kyLow, kyHigh: kyHigh, ox: ox, firstChannel: 0, relu6: clamp)
        ox += 1
      }
    }
  }

  /// One output pixel of a depthwise convolution, channels from `firstChannel` on.
  @inline(__always)
  static func depthwisePixel(
    input: UnsafePointer<Float>, filter: UnsafePointer<Float>, bias: UnsafePointer<Float>,
    output outputRow: UnsafeMutablePointer<Float>, geometry g: WindowGeometry, iy0: Int,
    kyLow: Int, kyHigh: Int, ox: Int, firstChannel: Int, relu6 clamp: Bool
  ) {
    let channels = g.inputChannels
    let kw = g.kernelWidth
    let rowStride = g.inputWidth * channels
    let ix0 = ox * g.strideWidth - g.padLeft
    let kxLow = max(0, -ix0)
    let kxHigh = min(kw, g.inputWidth - ix0)
    let origin = input + iy0 * rowStride + ix0 * channels
    let out = outputRow + ox * channels
    var c = firstChannel
    while c + 16 <= channels {
      var acc = Vector16()
      for ky in kyLow..<kyHigh {
        let row = origin + ky * rowStride + c
        let weights = filter + ky * kw * channels + c
        for kx in kxLow..<kxHigh {
          acc += load16(row + kx * channels) * load16(weights + kx * channels)
        }
      }
      acc += load16(bias + c)
      store16(clamp ? relu6(acc) : acc, out + c)
      c += 16
    }
    while c + 8 <= channels {
      var acc = Vector8()
      for ky in kyLow..<kyHigh {
        let row = origin + ky * rowStride + c
        let weights = filter + ky * kw * channels + c
        for kx in kxLow..<kxHigh {
          acc += load8(row + kx * channels) * load8(weights + kx * channels)
        }
      }
      acc += load8(bias + c)
      store8(clamp ? relu6(acc) : acc, out + c)
      c += 8
    }
    while c < channels {
      var acc: Float = 0
      for ky in kyLow..<kyHigh {
        for kx in kxLow..<kxHigh {
          acc +=
            origin[ky * rowStride + kx * channels + c] * filter[(ky * kw + kx) * channels + c]
        }
      }
      acc += bias[c]
      out[c] = clamp ? relu6(acc) : acc
      c += 1
    }
  }
}

// MARK: - Element-wise and data movement

extension FastKernels {
  /// ADD of two same-shaped tensors, then the activation; with `parts` > 1, share `part` of
  /// the values only (shares of whole 16-value steps).
  public static func add(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
    count total: Int, relu6 clamp: Bool, part: Int, parts: Int
  ) {
    let share = WorkShare.share(of: total, part: part, parts: parts, multiple: 16)
    let (a, b, output) = (a + share.lowerBound, b + share.lowerBound, output + share.lowerBound)
    let count = share.count
    var i = 0
    if clamp {
      while i + 16 <= count {
        store16(relu6(load16(a + i) + load16(b + i)), output + i)
        i += 16
      }
    } else {
      while i + 16 <= count {
        store16(load16(a + i) + load16(b + i), output + i)
        i += 16
      }
    }
    while i < count {
      let sum = a[i] + b[i]
      output[i] = clamp ? relu6(sum) : sum
      i += 1
    }
  }

  /// MAX_POOL_2D (any padding), channels vectorized.
  public static func maxPool2D(
    input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, geometry g: WindowGeometry,
    relu6 clamp: Bool
  ) {
    let channels = g.inputChannels
    for oy in 0..<g.outputHeight {
      let iy0 = oy * g.strideHeight - g.padTop
      let kyLow = max(0, -iy0)
      let kyHigh = min(g.kernelHeight, g.inputHeight - iy0)
      for ox in 0..<g.outputWidth {
        let ix0 = ox * g.strideWidth - g.padLeft
        let kxLow = max(0, -ix0)
        let kxHigh = min(g.kernelWidth, g.inputWidth - ix0)
        let out = output + (oy * g.outputWidth + ox) * channels
        var c = 0
        while c + 8 <= channels {
          var best = Vector8(repeating: -.infinity)
          for ky in kyLow..<kyHigh {
            for kx in kxLow..<kxHigh {
              let x = load8(input + ((iy0 + ky) * g.inputWidth + ix0 + kx) * channels + c)
              best.replace(with: x, where: x .> best)
            }
          }
          store8(clamp ? relu6(best) : best, out + c)
          c += 8
        }
        while c < channels {
          var best = -Float.infinity
          for ky in kyLow..<kyHigh {
            for kx in kxLow..<kxHigh {
              best = max(best, input[((iy0 + ky) * g.inputWidth + ix0 + kx) * channels + c])
            }
          }
          out[c] = clamp ? relu6(best) : best
          c += 1
        }
      }
    }
  }

  /// PAD of a 4-D tensor with zeros (the executor checks `before`/shapes at load time).
  public static func pad(
    input: UnsafePointer<Float>, inputShape s: PadShape, output: UnsafeMutablePointer<Float>
  ) {
    if s.input.0 == s.output.0 && s.input.1 == s.output.1 && s.input.2 == s.output.2 {
      padChannels(input: input, inputShape: s, output: output)
      return
    }
    output.update(repeating: 0, count: s.outputCount)
    let inner = s.input.3
    for n in 0..<s.input.0 {
      for y in 0..<s.input.1 {
        var source = input + ((n * s.input.1 + y) * s.input.2) * inner
        var target =
          output
          + (((n + s.before.0) * s.output.1 + y + s.before.1) * s.output.2 + s.before.2)
          * s.output.3 + s.before.3
        if inner == s.output.3 {
          target.update(from: source, count: inner * s.input.2)
          continue
        }
        for _ in 0..<s.input.2 {
          target.update(from: source, count: inner)
          source += inner
          target += s.output.3
        }
      }
    }
  }

  /// PAD of the channels alone (the models' residual connections that widen a tensor):
  /// per pixel the input channels are copied and the padding zeroed, in one pass over the
  /// output instead of a zero fill and a copy call per pixel.
  static func padChannels(
    input: UnsafePointer<Float>, inputShape s: PadShape, output: UnsafeMutablePointer<Float>
  ) {
    let inner = s.input.3
    let before = s.before.3
    let after = s.output.3 - before - inner
    var source = input
    var target = output
    for _ in 0..<(s.input.0 * s.input.1 * s.input.2) {
      for i in 0..<before { target[i] = 0 }
      target += before
      var c = 0
      while c + 8 <= inner {
        store8(load8(source + c), target + c)
        c += 8
      }
      while c < inner {
        target[c] = source[c]
        c += 1
      }
      target += inner
      source += inner
      var z = 0
      while z + 8 <= after {
        store8(Vector8(), target + z)
        z += 8
      }
      while z < after {
        target[z] = 0
        z += 1
      }
      target += after
    }
  }

  /// RESIZE_BILINEAR (align_corners false, half-pixel centers) with the reference kernel's
  /// arithmetic per value, channels vectorized; with `parts` > 1, share `part` of the output
  /// rows only.
  public static func resizeBilinearHalfPixel(
    input: UnsafePointer<Float>, inputHeight: Int, inputWidth: Int, channels: Int,
    output: UnsafeMutablePointer<Float>, outputHeight: Int, outputWidth: Int, part: Int,
    parts: Int
  ) {
    let scaleY = Float(inputHeight) / Float(outputHeight)
    let scaleX = Float(inputWidth) / Float(outputWidth)
    for y in WorkShare.share(of: outputHeight, part: part, parts: parts) {
      let fy = (Float(y) + 0.5) * scaleY - 0.5
      let y0 = max(Int(fy.rounded(.down)), 0)
      let y1 = min(Int(fy.rounded(.up)), inputHeight - 1)
      let dy = fy - Float(y0)
      for x in 0..<outputWidth {
        let fx = (Float(x) + 0.5) * scaleX - 0.5
        let x0 = max(Int(fx.rounded(.down)), 0)
        let x1 = min(Int(fx.rounded(.up)), inputWidth - 1)
        let dx = fx - Float(x0)
        let topLeft = input + (y0 * inputWidth + x0) * channels
        let bottomLeft = input + (y1 * inputWidth + x0) * channels
        let topRight = input + (y0 * inputWidth + x1) * channels
        let bottomRight = input + (y1 * inputWidth + x1) * channels
        let target = output + (y * outputWidth + x) * channels
        // The reference kernel's expression, term by term (same rounding).
        var c = 0
        while c + 8 <= channels {
          let v =
            load8(topLeft + c) * (1 - dy) * (1 - dx) + load8(bottomLeft + c) * dy * (1 - dx)
            + load8(topRight + c) * (1 - dy) * dx + load8(bottomRight + c) * dy * dx
          store8(v, target + c)
          c += 8
        }
        while c < channels {
          target[c] =
            topLeft[c] * (1 - dy) * (1 - dx) + bottomLeft[c] * dy * (1 - dx)
            + topRight[c] * (1 - dy) * dx + bottomRight[c] * dy * dx
          c += 1
        }
      }
    }
  }

  /// DEPTH_TO_SPACE with block `block`: contiguous runs of output channels are copied.
  public static func depthToSpace(
    input: UnsafePointer<Float>, inputHeight: Int, inputWidth: Int, inputChannels: Int,
    block: Int, output: UnsafeMutablePointer<Float>
  ) {
    let outputChannels = inputChannels / (block * block)
    var target = output
    for oy in 0..<(inputHeight * block) {
      let rowBase =
        input + (oy / block) * inputWidth * inputChannels + (oy % block) * block
        * outputChannels
      for x in 0..<inputWidth {
        let pixel = rowBase + x * inputChannels
        let run = block * outputChannels
        target.update(from: pixel, count: run)
        target += run
      }
    }
  }
}
