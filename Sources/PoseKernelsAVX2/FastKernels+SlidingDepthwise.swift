import PoseKernelTypes

// MARK: - Depthwise rows with stride 1, eight pixels at a time (AVX-512)

extension FastKernels {
  /// Output pixels per step of the sliding depthwise kernels below.
  static let slidingPixels = 8

  /// One output row of a stride-1 depthwise convolution 3 or 5 wide (`kyLow..<kyHigh`: the
  /// filter rows inside the input), every pixel through the sliding kernels: per output value
  /// the taps inside the input in the same order as `depthwisePixel`, then the bias, so the
  /// results are bit-identical to it. With 32 vector registers (AVX-512) eight accumulators,
  /// five weights and an input column stay in registers. Channels past the last 16: 8 more
  /// through the same kernels 8 lanes wide, then pixel by pixel.
  static func depthwiseRowSliding(
    input: UnsafePointer<Float>, filter: UnsafePointer<Float>, bias: UnsafePointer<Float>,
    output outputRow: UnsafeMutablePointer<Float>, geometry g: WindowGeometry, iy0: Int,
    kyLow: Int, kyHigh: Int, relu6 clamp: Bool
  ) {
    let channels = g.inputChannels
    let kw = g.kernelWidth
    let rowStride = g.inputWidth * channels
    let wideChannels = channels / 16 * 16
    let row = input + iy0 * rowStride
    var block = 0
    while block < g.outputWidth {
      let count = min(slidingPixels, g.outputWidth - block)
      let firstColumn = block - g.padLeft
      let inside =
        count == slidingPixels && firstColumn >= 0
        && firstColumn + slidingPixels + kw - 1 <= g.inputWidth
      let out = outputRow + block * channels
      var c = 0
      while c < wideChannels {
        switch (kw, inside) {
        case (3, true):
          depthwise8Pixels3Wide(
            origin: row + firstColumn * channels + c, weights: filter + c, bias: bias + c,
            output: out + c, channels: channels, rowStride: rowStride, rows: kyLow..<kyHigh,
            relu6: clamp)
        case (3, false):
          depthwise8Pixels3WideClipped(
            row: row + c, firstColumn: firstColumn, width: g.inputWidth, count: count,
            weights: filter + c, bias: bias + c, output: out + c, channels: channels,
            rowStride: rowStride, rows: kyLow..<kyHigh, relu6: clamp)
        case (_, true):
          depthwise8Pixels5Wide(
            origin: row + firstColumn * channels + c, weights: filter + c, bias: bias + c,
            output: out + c, channels: channels, rowStride: rowStride, rows: kyLow..<kyHigh,
            relu6: clamp)
        case (_, false):
          depthwise8Pixels5WideClipped(
            row: row + c, firstColumn: firstColumn, width: g.inputWidth, count: count,
            weights: filter + c, bias: bias + c, output: out + c, channels: channels,
            rowStride: rowStride, rows: kyLow..<kyHigh, relu6: clamp)
        }
        c += 16
      }
      // 8 channels past the last 16 through the 8-lane kernels
      // (FastKernels+SlidingDepthwise8Lanes.swift), the rest pixel by pixel.
      var pixelChannels = wideChannels
      if channels - wideChannels >= 8 {
        let c = wideChannels
        switch (kw, inside) {
        case (3, true):
          depthwise8Pixels3Wide8Lanes(
            origin: row + firstColumn * channels + c, weights: filter + c, bias: bias + c,
            output: out + c, channels: channels, rowStride: rowStride, rows: kyLow..<kyHigh,
            relu6: clamp)
        case (3, false):
          depthwise8Pixels3WideClipped8Lanes(
            row: row + c, firstColumn: firstColumn, width: g.inputWidth, count: count,
            weights: filter + c, bias: bias + c, output: out + c, channels: channels,
            rowStride: rowStride, rows: kyLow..<kyHigh, relu6: clamp)
        case (_, true):
          depthwise8Pixels5Wide8Lanes(
            origin: row + firstColumn * channels + c, weights: filter + c, bias: bias + c,
            output: out + c, channels: channels, rowStride: rowStride, rows: kyLow..<kyHigh,
            relu6: clamp)
        case (_, false):
          depthwise8Pixels5WideClipped8Lanes(
            row: row + c, firstColumn: firstColumn, width: g.inputWidth, count: count,
            weights: filter + c, bias: bias + c, output: out + c, channels: channels,
            rowStride: rowStride, rows: kyLow..<kyHigh, relu6: clamp)
        }
        pixelChannels += 8
      }
      if pixelChannels < channels {
        for pixel in block..<(block + count) {
          depthwisePixel(
            input: input, filter: filter, bias: bias, output: outputRow, geometry: g, iy0: iy0,
            kyLow: kyLow, kyHigh: kyHigh, ox: pixel, firstChannel: pixelChannels, relu6: clamp)
        }
      }
      block += count
    }
  }

  /// 8 interior output pixels of a stride-1 3-wide depthwise row, 16 channels from
  /// `origin` (the first window's first column): each input column is loaded once and used
  /// for every pixel whose window holds it, in tap order.
  @inline(__always)
  static func depthwise8Pixels3Wide(
    origin: UnsafePointer<Float>, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
    output out: UnsafeMutablePointer<Float>, channels: Int, rowStride: Int, rows: Range<Int>,
    relu6 clamp: Bool
  ) {
    var a0 = Vector16()
    var a1 = Vector16()
    var a2 = Vector16()
    var a3 = Vector16()
    var a4 = Vector16()
    var a5 = Vector16()
    var a6 = Vector16()
    var a7 = Vector16()
    for ky in rows {
      let line = origin + ky * rowStride
      let taps = weights + ky * 3 * channels
      let w0 = load16(taps)
      let w1 = load16(taps + 1 * channels)
      let w2 = load16(taps + 2 * channels)
      let x0 = load16(line)
      a0 += x0 * w0
      let x1 = load16(line + 1 * channels)
      a0 += x1 * w1
      a1 += x1 * w0
      let x2 = load16(line + 2 * channels)
      a0 += x2 * w2
      a1 += x2 * w1
      a2 += x2 * w0
      let x3 = load16(line + 3 * channels)
      a1 += x3 * w2
      a2 += x3 * w1
      a3 += x3 * w0
      let x4 = load16(line + 4 * channels)
      a2 += x4 * w2
      a3 += x4 * w1
      a4 += x4 * w0
      let x5 = load16(line + 5 * channels)
      a3 += x5 * w2
      a4 += x5 * w1
      a5 += x5 * w0
      let x6 = load16(line + 6 * channels)
      a4 += x6 * w2
      a5 += x6 * w1
      a6 += x6 * w0
      let x7 = load16(line + 7 * channels)
      a5 += x7 * w2
      a6 += x7 * w1
      a7 += x7 * w0
      let x8 = load16(line + 8 * channels)
      a6 += x8 * w2
      a7 += x8 * w1
      let x9 = load16(line + 9 * channels)
      a7 += x9 * w2
    }
    let b = load16(bias)
    a0 += b
    a1 += b
    a2 += b
    a3 += b
    a4 += b
    a5 += b
    a6 += b
    a7 += b
    store16(clamp ? relu6(a0) : a0, out)
    store16(clamp ? relu6(a1) : a1, out + 1 * channels)
    store16(clamp ? relu6(a2) : a2, out + 2 * channels)
    store16(clamp ? relu6(a3) : a3, out + 3 * channels)
    store16(clamp ? relu6(a4) : a4, out + 4 * channels)
    store16(clamp ? relu6(a5) : a5, out + 5 * channels)
    store16(clamp ? relu6(a6) : a6, out + 6 * channels)
    store16(clamp ? relu6(a7) : a7, out + 7 * channels)
  }

  /// 8 interior output pixels of a stride-1 5-wide depthwise row, 16 channels from
  /// `origin` (the first window's first column): each input column is loaded once and used
  /// for every pixel whose window holds it, in tap order.
  @inline(__always)
  static func depthwise8Pixels5Wide(
    origin: UnsafePointer<Float>, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
    output out: UnsafeMutablePointer<Float>, channels: Int, rowStride: Int, rows: Range<Int>,
    relu6 clamp: Bool
  ) {
    var a0 = Vector16()
    var a1 = Vector16()
    var a2 = Vector16()
    var a3 = Vector16()
    var a4 = Vector16()
    var a5 = Vector16()
    var a6 = Vector16()
    var a7 = Vector16()
    for ky in rows {
      let line = origin + ky * rowStride
      let taps = weights + ky * 5 * channels
      let w0 = load16(taps)
      let w1 = load16(taps + 1 * channels)
      let w2 = load16(taps + 2 * channels)
      let w3 = load16(taps + 3 * channels)
      let w4 = load16(taps + 4 * channels)
      let x0 = load16(line)
      a0 += x0 * w0
      let x1 = load16(line + 1 * channels)
      a0 += x1 * w1
      a1 += x1 * w0
      let x2 = load16(line + 2 * channels)
      a0 += x2 * w2
      a1 += x2 * w1
      a2 += x2 * w0
      let x3 = load16(line + 3 * channels)
      a0 += x3 * w3
      a1 += x3 * w2
      a2 += x3 * w1
      a3 += x3 * w0
      let x4 = load16(line + 4 * channels)
      a0 += x4 * w4
      a1 += x4 * w3
      a2 += x4 * w2
      a3 += x4 * w1
      a4 += x4 * w0
      let x5 = load16(line + 5 * channels)
      a1 += x5 * w4
      a2 += x5 * w3
      a3 += x5 * w2
      a4 += x5 * w1
      a5 += x5 * w0
      let x6 = load16(line + 6 * channels)
      a2 += x6 * w4
      a3 += x6 * w3
      a4 += x6 * w2
      a5 += x6 * w1
      a6 += x6 * w0
      let x7 = load16(line + 7 * channels)
      a3 += x7 * w4
      a4 += x7 * w3
      a5 += x7 * w2
      a6 += x7 * w1
      a7 += x7 * w0
      let x8 = load16(line + 8 * channels)
      a4 += x8 * w4
      a5 += x8 * w3
      a6 += x8 * w2
      a7 += x8 * w1
      let x9 = load16(line + 9 * channels)
      a5 += x9 * w4
      a6 += x9 * w3
      a7 += x9 * w2
      let x10 = load16(line + 10 * channels)
      a6 += x10 * w4
      a7 += x10 * w3
      let x11 = load16(line + 11 * channels)
      a7 += x11 * w4
    }
    let b = load16(bias)
    a0 += b
    a1 += b
    a2 += b
    a3 += b
    a4 += b
    a5 += b
    a6 += b
    a7 += b
    store16(clamp ? relu6(a0) : a0, out)
    store16(clamp ? relu6(a1) : a1, out + 1 * channels)
    store16(clamp ? relu6(a2) : a2, out + 2 * channels)
    store16(clamp ? relu6(a3) : a3, out + 3 * channels)
    store16(clamp ? relu6(a4) : a4, out + 4 * channels)
    store16(clamp ? relu6(a5) : a5, out + 5 * channels)
    store16(clamp ? relu6(a6) : a6, out + 6 * channels)
    store16(clamp ? relu6(a7) : a7, out + 7 * channels)
  }

  /// `depthwise8Pixels3Wide` for the first `count` ≤ 8 pixels of a block whose windows
  /// reach past the row (`firstColumn` may be negative): input columns outside
  /// `0..<width` are skipped, as `depthwisePixel` skips the taps there.
  @inline(__always)
  static func depthwise8Pixels3WideClipped(
    row: UnsafePointer<Float>, firstColumn: Int, width: Int, count: Int,
    weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
    output out: UnsafeMutablePointer<Float>, channels: Int, rowStride: Int, rows: Range<Int>,
    relu6 clamp: Bool
  ) {
    var a0 = Vector16()
    var a1 = Vector16()
    var a2 = Vector16()
    var a3 = Vector16()
    var a4 = Vector16()
    var a5 = Vector16()
    var a6 = Vector16()
    var a7 = Vector16()
    for ky in rows {
      let line = row + ky * rowStride
      let taps = weights + ky * 3 * channels
      let w0 = load16(taps)
      let w1 = load16(taps + 1 * channels)
      let w2 = load16(taps + 2 * channels)
      if firstColumn + 0 >= 0 && firstColumn + 0 < width {
        let x = load16(line + (firstColumn + 0) * channels)
        a0 += x * w0
      }
      if firstColumn + 1 >= 0 && firstColumn + 1 < width {
        let x = load16(line + (firstColumn + 1) * channels)
        a0 += x * w1
        a1 += x * w0
      }
      if firstColumn + 2 >= 0 && firstColumn + 2 < width {
        let x = load16(line + (firstColumn + 2) * channels)
        a0 += x * w2
        a1 += x * w1
        a2 += x * w0
      }
      if firstColumn + 3 >= 0 && firstColumn + 3 < width {
        let x = load16(line + (firstColumn + 3) * channels)
        a1 += x * w2
        a2 += x * w1
        a3 += x * w0
      }
      if firstColumn + 4 >= 0 && firstColumn + 4 < width {
        let x = load16(line + (firstColumn + 4) * channels)
        a2 += x * w2
        a3 += x * w1
        a4 += x * w0
      }
      if firstColumn + 5 >= 0 && firstColumn + 5 < width {
        let x = load16(line + (firstColumn + 5) * channels)
        a3 += x * w2
        a4 += x * w1
        a5 += x * w0
      }
      if firstColumn + 6 >= 0 && firstColumn + 6 < width {
        let x = load16(line + (firstColumn + 6) * channels)
        a4 += x * w2
        a5 += x * w1
        a6 += x * w0
      }
      if firstColumn + 7 >= 0 && firstColumn + 7 < width {
        let x = load16(line + (firstColumn + 7) * channels)
        a5 += x * w2
        a6 += x * w1
        a7 += x * w0
      }
      if firstColumn + 8 >= 0 && firstColumn + 8 < width {
        let x = load16(line + (firstColumn + 8) * channels)
        a6 += x * w2
        a7 += x * w1
      }
      if firstColumn + 9 >= 0 && firstColumn + 9 < width {
        let x = load16(line + (firstColumn + 9) * channels)
        a7 += x * w2
      }
    }
    let b = load16(bias)
    a0 += b
    a1 += b
    a2 += b
    a3 += b
    a4 += b
    a5 += b
    a6 += b
    a7 += b
    if count > 0 { store16(clamp ? relu6(a0) : a0, out) }
    if count > 1 { store16(clamp ? relu6(a1) : a1, out + 1 * channels) }
    if count > 2 { store16(clamp ? relu6(a2) : a2, out + 2 * channels) }
    if count > 3 { store16(clamp ? relu6(a3) : a3, out + 3 * channels) }
    if count > 4 { store16(clamp ? relu6(a4) : a4, out + 4 * channels) }
    if count > 5 { store16(clamp ? relu6(a5) : a5, out + 5 * channels) }
    if count > 6 { store16(clamp ? relu6(a6) : a6, out + 6 * channels) }
    if count > 7 { store16(clamp ? relu6(a7) : a7, out + 7 * channels) }
  }

  /// `depthwise8Pixels5Wide` for the first `count` ≤ 8 pixels of a block whose windows
  /// reach past the row (`firstColumn` may be negative): input columns outside
  /// `0..<width` are skipped, as `depthwisePixel` skips the taps there.
  @inline(__always)
  static func depthwise8Pixels5WideClipped(
    row: UnsafePointer<Float>, firstColumn: Int, width: Int, count: Int,
    weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
    output out: UnsafeMutablePointer<Float>, channels: Int, rowStride: Int, rows: Range<Int>,
    relu6 clamp: Bool
  ) {
    var a0 = Vector16()
    var a1 = Vector16()
    var a2 = Vector16()
    var a3 = Vector16()
    var a4 = Vector16()
    var a5 = Vector16()
    var a6 = Vector16()
    var a7 = Vector16()
    for ky in rows {
      let line = row + ky * rowStride
      let taps = weights + ky * 5 * channels
      let w0 = load16(taps)
      let w1 = load16(taps + 1 * channels)
      let w2 = load16(taps + 2 * channels)
      let w3 = load16(taps + 3 * channels)
      let w4 = load16(taps + 4 * channels)
      if firstColumn + 0 >= 0 && firstColumn + 0 < width {
        let x = load16(line + (firstColumn + 0) * channels)
        a0 += x * w0
      }
      if firstColumn + 1 >= 0 && firstColumn + 1 < width {
        let x = load16(line + (firstColumn + 1) * channels)
        a0 += x * w1
        a1 += x * w0
      }
      if firstColumn + 2 >= 0 && firstColumn + 2 < width {
        let x = load16(line + (firstColumn + 2) * channels)
        a0 += x * w2
        a1 += x * w1
        a2 += x * w0
      }
      if firstColumn + 3 >= 0 && firstColumn + 3 < width {
        let x = load16(line + (firstColumn + 3) * channels)
        a0 += x * w3
        a1 += x * w2
        a2 += x * w1
        a3 += x * w0
      }
      if firstColumn + 4 >= 0 && firstColumn + 4 < width {
        let x = load16(line + (firstColumn + 4) * channels)
        a0 += x * w4
        a1 += x * w3
        a2 += x * w2
        a3 += x * w1
        a4 += x * w0
      }
      if firstColumn + 5 >= 0 && firstColumn + 5 < width {
        let x = load16(line + (firstColumn + 5) * channels)
        a1 += x * w4
        a2 += x * w3
        a3 += x * w2
        a4 += x * w1
        a5 += x * w0
      }
      if firstColumn + 6 >= 0 && firstColumn + 6 < width {
        let x = load16(line + (firstColumn + 6) * channels)
        a2 += x * w4
        a3 += x * w3
        a4 += x * w2
        a5 += x * w1
        a6 += x * w0
      }
      if firstColumn + 7 >= 0 && firstColumn + 7 < width {
        let x = load16(line + (firstColumn + 7) * channels)
        a3 += x * w4
        a4 += x * w3
        a5 += x * w2
        a6 += x * w1
        a7 += x * w0
      }
      if firstColumn + 8 >= 0 && firstColumn + 8 < width {
        let x = load16(line + (firstColumn + 8) * channels)
        a4 += x * w4
        a5 += x * w3
        a6 += x * w2
        a7 += x * w1
      }
      if firstColumn + 9 >= 0 && firstColumn + 9 < width {
        let x = load16(line + (firstColumn + 9) * channels)
        a5 += x * w4
        a6 += x * w3
        a7 += x * w2
      }
      if firstColumn + 10 >= 0 && firstColumn + 10 < width {
        let x = load16(line + (firstColumn + 10) * channels)
        a6 += x * w4
        a7 += x * w3
      }
      if firstColumn + 11 >= 0 && firstColumn + 11 < width {
        let x = load16(line + (firstColumn + 11) * channels)
        a7 += x * w4
      }
    }
    let b = load16(bias)
    a0 += b
    a1 += b
    a2 += b
    a3 += b
    a4 += b
    a5 += b
    a6 += b
    a7 += b
    if count > 0 { store16(clamp ? relu6(a0) : a0, out) }
    if count > 1 { store16(clamp ? relu6(a1) : a1, out + 1 * channels) }
    if count > 2 { store16(clamp ? relu6(a2) : a2, out + 2 * channels) }
    if count > 3 { store16(clamp ? relu6(a3) : a3, out + 3 * channels) }
    if count > 4 { store16(clamp ? relu6(a4) : a4, out + 4 * channels) }
    if count > 5 { store16(clamp ? relu6(a5) : a5, out + 5 * channels) }
    if count > 6 { store16(clamp ? relu6(a6) : a6, out + 6 * channels) }
    if count > 7 { store16(clamp ? relu6(a7) : a7, out + 7 * channels) }
  }
}
