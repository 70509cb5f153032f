import PoseKernelTypes

// MARK: - The sliding depthwise kernels on 8 channels (AVX-512)

// The kernels of FastKernels+SlidingDepthwise.swift with 8-lane vectors, for the 8 channels
// past the last 16 (24, 40, 88 … channels: the landmark model's 128 × 128 layers have 24),
// which otherwise go pixel by pixel through `depthwisePixel`. The same taps in the same order
// per output value, then the bias: bit-identical to `depthwisePixel`.
extension FastKernels {
  /// 8 interior output pixels of a stride-1 3-wide depthwise row, 8 channels from
  /// `origin` (the first window's first column): each input column is loaded once and used
  /// for every pixel whose window holds it, in tap order.
  @inline(__always)
  static func depthwise8Pixels3Wide8Lanes(
    origin: UnsafePointer<Float>, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
    output out: UnsafeMutablePointer<Float>, channels: Int, rowStride: Int, rows: Range<Int>,
    relu6 clamp: Bool
  ) {
    var a0 = Vector8()
    var a1 = Vector8()
    var a2 = Vector8()
    var a3 = Vector8()
    var a4 = Vector8()
    var a5 = Vector8()
    var a6 = Vector8()
    var a7 = Vector8()
    for ky in rows {
      let line = origin + ky * rowStride
      let taps = weights + ky * 3 * channels
      let w0 = load8(taps)
      let w1 = load8(taps + 1 * channels)
      let w2 = load8(taps + 2 * channels)
      let x0 = load8(line)
      a0 += x0 * w0
      let x1 = load8(line + 1 * channels)
      a0 += x1 * w1
      a1 += x1 * w0
      let x2 = load8(line + 2 * channels)
      a0 += x2 * w2
      a1 += x2 * w1
      a2 += x2 * w0
      let x3 = load8(line + 3 * channels)
      a1 += x3 * w2
      a2 += x3 * w1
      a3 += x3 * w0
      let x4 = load8(line + 4 * channels)
      a2 += x4 * w2
      a3 += x4 * w1
      a4 += x4 * w0
      let x5 = load8(line + 5 * channels)
      a3 += x5 * w2
      a4 += x5 * w1
      a5 += x5 * w0
      let x6 = load8(line + 6 * channels)
      a4 += x6 * w2
      a5 += x6 * w1
      a6 += x6 * w0
      let x7 = load8(line + 7 * channels)
      a5 += x7 * w2
      a6 += x7 * w1
      a7 += x7 * w0
      let x8 = load8(line + 8 * channels)
      a6 += x8 * w2
      a7 += x8 * w1
      let x9 = load8(line + 9 * channels)
      a7 += x9 * w2
    }
    let b = load8(bias)
    a0 += b
    a1 += b
    a2 += b
    a3 += b
    a4 += b
    a5 += b
    a6 += b
    a7 += b
    store8(clamp ? relu6(a0) : a0, out)
    store8(clamp ? relu6(a1) : a1, out + 1 * channels)
    store8(clamp ? relu6(a2) : a2, out + 2 * channels)
    store8(clamp ? relu6(a3) : a3, out + 3 * channels)
    store8(clamp ? relu6(a4) : a4, out + 4 * channels)
    store8(clamp ? relu6(a5) : a5, out + 5 * channels)
    store8(clamp ? relu6(a6) : a6, out + 6 * channels)
    store8(clamp ? relu6(a7) : a7, out + 7 * channels)
  }

  /// 8 interior output pixels of a stride-1 5-wide depthwise row, 8 channels from
  /// `origin` (the first window's first column): each input column is loaded once and used
  /// for every pixel whose window holds it, in tap order.
  @inline(__always)
  static func depthwise8Pixels5Wide8Lanes(
    origin: UnsafePointer<Float>, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
    output out: UnsafeMutablePointer<Float>, channels: Int, rowStride: Int, rows: Range<Int>,
    relu6 clamp: Bool
  ) {
    var a0 = Vector8()
    var a1 = Vector8()
    var a2 = Vector8()
    var a3 = Vector8()
    var a4 = Vector8()
    var a5 = Vector8()
    var a6 = Vector8()
    var a7 = Vector8()
    for ky in rows {
      let line = origin + ky * rowStride
      let taps = weights + ky * 5 * channels
      let w0 = load8(taps)
      let w1 = load8(taps + 1 * channels)
      let w2 = load8(taps + 2 * channels)
      let w3 = load8(taps + 3 * channels)
      let w4 = load8(taps + 4 * channels)
      let x0 = load8(line)
      a0 += x0 * w0
      let x1 = load8(line + 1 * channels)
      a0 += x1 * w1
      a1 += x1 * w0
      let x2 = load8(line + 2 * channels)
      a0 += x2 * w2
      a1 += x2 * w1
      a2 += x2 * w0
      let x3 = load8(line + 3 * channels)
      a0 += x3 * w3
      a1 += x3 * w2
      a2 += x3 * w1
      a3 += x3 * w0
      let x4 = load8(line + 4 * channels)
      a0 += x4 * w4
      a1 += x4 * w3
      a2 += x4 * w2
      a3 += x4 * w1
      a4 += x4 * w0
      let x5 = load8(line + 5 * channels)
      a1 += x5 * w4
      a2 += x5 * w3
      a3 += x5 * w2
      a4 += x5 * w1
      a5 += x5 * w0
      let x6 = load8(line + 6 * channels)
      a2 += x6 * w4
      a3 += x6 * w3
      a4 += x6 * w2
      a5 += x6 * w1
      a6 += x6 * w0
      let x7 = load8(line + 7 * channels)
      a3 += x7 * w4
      a4 += x7 * w3
      a5 += x7 * w2
      a6 += x7 * w1
      a7 += x7 * w0
      let x8 = load8(line + 8 * channels)
      a4 += x8 * w4
      a5 += x8 * w3
      a6 += x8 * w2
      a7 += x8 * w1
      let x9 = load8(line + 9 * channels)
      a5 += x9 * w4
      a6 += x9 * w3
      a7 += x9 * w2
      let x10 = load8(line + 10 * channels)
      a6 += x10 * w4
      a7 += x10 * w3
      let x11 = load8(line + 11 * channels)
      a7 += x11 * w4
    }
    let b = load8(bias)
    a0 += b
    a1 += b
    a2 += b
    a3 += b
    a4 += b
    a5 += b
    a6 += b
    a7 += b
    store8(clamp ? relu6(a0) : a0, out)
    store8(clamp ? relu6(a1) : a1, out + 1 * channels)
    store8(clamp ? relu6(a2) : a2, out + 2 * channels)
    store8(clamp ? relu6(a3) : a3, out + 3 * channels)
    store8(clamp ? relu6(a4) : a4, out + 4 * channels)
    store8(clamp ? relu6(a5) : a5, out + 5 * channels)
    store8(clamp ? relu6(a6) : a6, out + 6 * channels)
    store8(clamp ? relu6(a7) : a7, out + 7 * channels)
  }

  /// `depthwise8Pixels3Wide8Lanes` for the first `count` ≤ 8 pixels of a block whose windows
  /// reach past the row (`firstColumn` may be negative): input columns outside
  /// `0..<width` are skipped, as `depthwisePixel` skips the taps there.
  @inline(__always)
  static func depthwise8Pixels3WideClipped8Lanes(
    row: UnsafePointer<Float>, firstColumn: Int, width: Int, count: Int,
    weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
    output out: UnsafeMutablePointer<Float>, channels: Int, rowStride: Int, rows: Range<Int>,
    relu6 clamp: Bool
  ) {
    var a0 = Vector8()
    var a1 = Vector8()
    var a2 = Vector8()
    var a3 = Vector8()
    var a4 = Vector8()
    var a5 = Vector8()
    var a6 = Vector8()
    var a7 = Vector8()
    for ky in rows {
      let line = row + ky * rowStride
      let taps = weights + ky * 3 * channels
      let w0 = load8(taps)
      let w1 = load8(taps + 1 * channels)
      let w2 = load8(taps + 2 * channels)
      if firstColumn + 0 >= 0 && firstColumn + 0 < width {
        let x = load8(line + (firstColumn + 0) * channels)
        a0 += x * w0
      }
      if firstColumn + 1 >= 0 && firstColumn + 1 < width {
        let x = load8(line + (firstColumn + 1) * channels)
        a0 += x * w1
        a1 += x * w0
      }
      if firstColumn + 2 >= 0 && firstColumn + 2 < width {
        let x = load8(line + (firstColumn + 2) * channels)
        a0 += x * w2
        a1 += x * w1
        a2 += x * w0
      }
      if firstColumn + 3 >= 0 && firstColumn + 3 < width {
        let x = load8(line + (firstColumn + 3) * channels)
        a1 += x * w2
        a2 += x * w1
        a3 += x * w0
      }
      if firstColumn + 4 >= 0 && firstColumn + 4 < width {
        let x = load8(line + (firstColumn + 4) * channels)
        a2 += x * w2
        a3 += x * w1
        a4 += x * w0
      }
      if firstColumn + 5 >= 0 && firstColumn + 5 < width {
        let x = load8(line + (firstColumn + 5) * channels)
        a3 += x * w2
        a4 += x * w1
        a5 += x * w0
      }
      if firstColumn + 6 >= 0 && firstColumn + 6 < width {
        let x = load8(line + (firstColumn + 6) * channels)
        a4 += x * w2
        a5 += x * w1
        a6 += x * w0
      }
      if firstColumn + 7 >= 0 && firstColumn + 7 < width {
        let x = load8(line + (firstColumn + 7) * channels)
        a5 += x * w2
        a6 += x * w1
        a7 += x * w0
      }
      if firstColumn + 8 >= 0 && firstColumn + 8 < width {
        let x = load8(line + (firstColumn + 8) * channels)
        a6 += x * w2
        a7 += x * w1
      }
      if firstColumn + 9 >= 0 && firstColumn + 9 < width {
        let x = load8(line + (firstColumn + 9) * channels)
        a7 += x * w2
      }
    }
    let b = load8(bias)
    a0 += b
    a1 += b
    a2 += b
    a3 += b
    a4 += b
    a5 += b
    a6 += b
    a7 += b
    if count > 0 { store8(clamp ? relu6(a0) : a0, out) }
    if count > 1 { store8(clamp ? relu6(a1) : a1, out + 1 * channels) }
    if count > 2 { store8(clamp ? relu6(a2) : a2, out + 2 * channels) }
    if count > 3 { store8(clamp ? relu6(a3) : a3, out + 3 * channels) }
    if count > 4 { store8(clamp ? relu6(a4) : a4, out + 4 * channels) }
    if count > 5 { store8(clamp ? relu6(a5) : a5, out + 5 * channels) }
    if count > 6 { store8(clamp ? relu6(a6) : a6, out + 6 * channels) }
    if count > 7 { store8(clamp ? relu6(a7) : a7, out + 7 * channels) }
  }

  /// `depthwise8Pixels5Wide8Lanes` for the first `count` ≤ 8 pixels of a block whose windows
  /// reach past the row (`firstColumn` may be negative): input columns outside
  /// `0..<width` are skipped, as `depthwisePixel` skips the taps there.
  @inline(__always)
  static func depthwise8Pixels5WideClipped8Lanes(
    row: UnsafePointer<Float>, firstColumn: Int, width: Int, count: Int,
    weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
    output out: UnsafeMutablePointer<Float>, channels: Int, rowStride: Int, rows: Range<Int>,
    relu6 clamp: Bool
  ) {
    var a0 = Vector8()
    var a1 = Vector8()
    var a2 = Vector8()
    var a3 = Vector8()
    var a4 = Vector8()
    var a5 = Vector8()
    var a6 = Vector8()
    var a7 = Vector8()
    for ky in rows {
      let line = row + ky * rowStride
      let taps = weights + ky * 5 * channels
      let w0 = load8(taps)
      let w1 = load8(taps + 1 * channels)
      let w2 = load8(taps + 2 * channels)
      let w3 = load8(taps + 3 * channels)
      let w4 = load8(taps + 4 * channels)
      if firstColumn + 0 >= 0 && firstColumn + 0 < width {
        let x = load8(line + (firstColumn + 0) * channels)
        a0 += x * w0
      }
      if firstColumn + 1 >= 0 && firstColumn + 1 < width {
        let x = load8(line + (firstColumn + 1) * channels)
        a0 += x * w1
        a1 += x * w0
      }
      if firstColumn + 2 >= 0 && firstColumn + 2 < width {
        let x = load8(line + (firstColumn + 2) * channels)
        a0 += x * w2
        a1 += x * w1
        a2 += x * w0
      }
      if firstColumn + 3 >= 0 && firstColumn + 3 < width {
        let x = load8(line + (firstColumn + 3) * channels)
        a0 += x * w3
        a1 += x * w2
        a2 += x * w1
        a3 += x * w0
      }
      if firstColumn + 4 >= 0 && firstColumn + 4 < width {
        let x = load8(line + (firstColumn + 4) * channels)
        a0 += x * w4
        a1 += x * w3
        a2 += x * w2
        a3 += x * w1
        a4 += x * w0
      }
      if firstColumn + 5 >= 0 && firstColumn + 5 < width {
        let x = load8(line + (firstColumn + 5) * channels)
        a1 += x * w4
        a2 += x * w3
        a3 += x * w2
        a4 += x * w1
        a5 += x * w0
      }
      if firstColumn + 6 >= 0 && firstColumn + 6 < width {
        let x = load8(line + (firstColumn + 6) * channels)
        a2 += x * w4
        a3 += x * w3
        a4 += x * w2
        a5 += x * w1
        a6 += x * w0
      }
      if firstColumn + 7 >= 0 && firstColumn + 7 < width {
        let x = load8(line + (firstColumn + 7) * channels)
        a3 += x * w4
        a4 += x * w3
        a5 += x * w2
        a6 += x * w1
        a7 += x * w0
      }
      if firstColumn + 8 >= 0 && firstColumn + 8 < width {
        let x = load8(line + (firstColumn + 8) * channels)
        a4 += x * w4
        a5 += x * w3
        a6 += x * w2
        a7 += x * w1
      }
      if firstColumn + 9 >= 0 && firstColumn + 9 < width {
        let x = load8(line + (firstColumn + 9) * channels)
        a5 += x * w4
        a6 += x * w3
        a7 += x * w2
      }
      if firstColumn + 10 >= 0 && firstColumn + 10 < width {
        let x = load8(line + (firstColumn + 10) * channels)
        a6 += x * w4
        a7 += x * w3
      }
      if firstColumn + 11 >= 0 && firstColumn + 11 < width {
        let x = load8(line + (firstColumn + 11) * channels)
        a7 += x * w4
      }
    }
    let b = load8(bias)
    a0 += b
    a1 += b
    a2 += b
    a3 += b
    a4 += b
    a5 += b
    a6 += b
    a7 += b
    if count > 0 { store8(clamp ? relu6(a0) : a0, out) }
    if count > 1 { store8(clamp ? relu6(a1) : a1, out + 1 * channels) }
    if count > 2 { store8(clamp ? relu6(a2) : a2, out + 2 * channels) }
    if count > 3 { store8(clamp ? relu6(a3) : a3, out + 3 * channels) }
    if count > 4 { store8(clamp ? relu6(a4) : a4, out + 4 * channels) }
    if count > 5 { store8(clamp ? relu6(a5) : a5, out + 5 * channels) }
    if count > 6 { store8(clamp ? relu6(a6) : a6, out + 6 * channels) }
    if count > 7 { store8(clamp ? relu6(a7) : a7, out + 7 * channels) }
  }
}
