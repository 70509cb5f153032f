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
  /// through the same kernels 8 lanes wide (``SlidingLanes``), then pixel by pixel.
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
        depthwiseSlidingBlock(
          Lanes16.self, row: row + c, firstColumn: firstColumn, count: count, inside: inside,
          filter: filter + c, bias: bias + c, output: out + c, geometry: g, rows: kyLow..<kyHigh,
          relu6: clamp)
        c += 16
      }
      // 8 channels past the last 16 through the same kernels 8 lanes wide, the rest pixel by
      // pixel.
      var pixelChannels = wideChannels
      if channels - wideChannels >= 8 {
        let c = wideChannels
        depthwiseSlidingBlock(
          Lanes8.self, row: row + c, firstColumn: firstColumn, count: count, inside: inside,
          filter: filter + c, bias: bias + c, output: out + c, geometry: g, rows: kyLow..<kyHigh,
          relu6: clamp)
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

  /// `count` ≤ 8 output pixels of a `depthwiseRowSliding` row, `L.Vector`'s channels from
  /// `row`, `filter` and `bias` (already offset to the first channel): the interior kernel
  /// when every window of the block lies `inside` the row, else the clipped one.
  @inline(__always)
  static func depthwiseSlidingBlock<L: SlidingLanes>(
    _ lanes: L.Type, row: UnsafePointer<Float>, firstColumn: Int, count: Int, inside: Bool,
    filter: UnsafePointer<Float>, bias: UnsafePointer<Float>,
    output out: UnsafeMutablePointer<Float>, geometry g: WindowGeometry, rows: Range<Int>,
    relu6 clamp: Bool
  ) {
    let channels = g.inputChannels
    let rowStride = g.inputWidth * channels
    switch (g.kernelWidth, inside) {
    case (3, true):
      depthwise8Pixels3Wide(
        lanes, origin: row + firstColumn * channels, weights: filter, bias: bias, output: out,
        channels: channels, rowStride: rowStride, rows: rows, relu6: clamp)
    case (3, false):
      depthwise8Pixels3WideClipped(
        lanes, row: row, firstColumn: firstColumn, width: g.inputWidth, count: count,
        weights: filter, bias: bias, output: out, channels: channels, rowStride: rowStride,
        rows: rows, relu6: clamp)
    case (_, true):
      depthwise8Pixels5Wide(
        lanes, origin: row + firstColumn * channels, weights: filter, bias: bias, output: out,
        channels: channels, rowStride: rowStride, rows: rows, relu6: clamp)
    case (_, false):
      depthwise8Pixels5WideClipped(
        lanes, row: row, firstColumn: firstColumn, width: g.inputWidth, count: count,
        weights: filter, bias: bias, output: out, channels: channels, rowStride: rowStride,
        rows: rows, relu6: clamp)
    }
  }

  /// 8 interior output pixels of a stride-1 3-wide depthwise row, `L.Vector`'s channels from
  /// `origin` (the first window's first column): each input column is loaded once and used
  /// for every pixel whose window holds it, in tap order.
  @inline(__always)
  static func depthwise8Pixels3Wide<L: SlidingLanes>(
    _: L.Type, origin: UnsafePointer<Float>, weights: UnsafePointer<Float>,
    bias: UnsafePointer<Float>, output out: UnsafeMutablePointer<Float>, channels: Int,
    rowStride: Int, rows: Range<Int>, relu6 clamp: Bool
  ) {
    var a0 = L.Vector()
    var a1 = L.Vector()
    var a2 = L.Vector()
    var a3 = L.Vector()
    var a4 = L.Vector()
    var a5 = L.Vector()
    var a6 = L.Vector()
    var a7 = L.Vector()
    for ky in rows {
      let line = origin + ky * rowStride
      let taps = weights + ky * 3 * channels
      let w0 = L.load(taps)
      let w1 = L.load(taps + 1 * channels)
      let w2 = L.load(taps + 2 * channels)
      let x0 = L.load(line)
      L.accumulate(&a0, x0, w0)
      let x1 = L.load(line + 1 * channels)
      L.accumulate(&a0, x1, w1)
      L.accumulate(&a1, x1, w0)
      let x2 = L.load(line + 2 * channels)
      L.accumulate(&a0, x2, w2)
      L.accumulate(&a1, x2, w1)
      L.accumulate(&a2, x2, w0)
      let x3 = L.load(line + 3 * channels)
      L.accumulate(&a1, x3, w2)
      L.accumulate(&a2, x3, w1)
      L.accumulate(&a3, x3, w0)
      let x4 = L.load(line + 4 * channels)
      L.accumulate(&a2, x4, w2)
      L.accumulate(&a3, x4, w1)
      L.accumulate(&a4, x4, w0)
      let x5 = L.load(line + 5 * channels)
      L.accumulate(&a3, x5, w2)
      L.accumulate(&a4, x5, w1)
      L.accumulate(&a5, x5, w0)
      let x6 = L.load(line + 6 * channels)
      L.accumulate(&a4, x6, w2)
      L.accumulate(&a5, x6, w1)
      L.accumulate(&a6, x6, w0)
      let x7 = L.load(line + 7 * channels)
      L.accumulate(&a5, x7, w2)
      L.accumulate(&a6, x7, w1)
      L.accumulate(&a7, x7, w0)
      let x8 = L.load(line + 8 * channels)
      L.accumulate(&a6, x8, w2)
      L.accumulate(&a7, x8, w1)
      let x9 = L.load(line + 9 * channels)
      L.accumulate(&a7, x9, w2)
    }
    let b = L.load(bias)
    L.add(&a0, b)
    L.add(&a1, b)
    L.add(&a2, b)
    L.add(&a3, b)
    L.add(&a4, b)
    L.add(&a5, b)
    L.add(&a6, b)
    L.add(&a7, b)
    L.store(clamp ? L.clamp6(a0) : a0, out)
    L.store(clamp ? L.clamp6(a1) : a1, out + 1 * channels)
    L.store(clamp ? L.clamp6(a2) : a2, out + 2 * channels)
    L.store(clamp ? L.clamp6(a3) : a3, out + 3 * channels)
    L.store(clamp ? L.clamp6(a4) : a4, out + 4 * channels)
    L.store(clamp ? L.clamp6(a5) : a5, out + 5 * channels)
    L.store(clamp ? L.clamp6(a6) : a6, out + 6 * channels)
    L.store(clamp ? L.clamp6(a7) : a7, out + 7 * channels)
  }

  /// 8 interior output pixels of a stride-1 5-wide depthwise row, `L.Vector`'s channels from
  /// `origin` (the first window's first column): each input column is loaded once and used
  /// for every pixel whose window holds it, in tap order.
  @inline(__always)
  static func depthwise8Pixels5Wide<L: SlidingLanes>(
    _: L.Type, origin: UnsafePointer<Float>, weights: UnsafePointer<Float>,
    bias: UnsafePointer<Float>, output out: UnsafeMutablePointer<Float>, channels: Int,
    rowStride: Int, rows: Range<Int>, relu6 clamp: Bool
  ) {
    var a0 = L.Vector()
    var a1 = L.Vector()
    var a2 = L.Vector()
    var a3 = L.Vector()
    var a4 = L.Vector()
    var a5 = L.Vector()
    var a6 = L.Vector()
    var a7 = L.Vector()
    for ky in rows {
      let line = origin + ky * rowStride
      let taps = weights + ky * 5 * channels
      let w0 = L.load(taps)
      let w1 = L.load(taps + 1 * channels)
      let w2 = L.load(taps + 2 * channels)
      let w3 = L.load(taps + 3 * channels)
      let w4 = L.load(taps + 4 * channels)
      let x0 = L.load(line)
      L.accumulate(&a0, x0, w0)
      let x1 = L.load(line + 1 * channels)
      L.accumulate(&a0, x1, w1)
      L.accumulate(&a1, x1, w0)
      let x2 = L.load(line + 2 * channels)
      L.accumulate(&a0, x2, w2)
      L.accumulate(&a1, x2, w1)
      L.accumulate(&a2, x2, w0)
      let x3 = L.load(line + 3 * channels)
      L.accumulate(&a0, x3, w3)
      L.accumulate(&a1, x3, w2)
      L.accumulate(&a2, x3, w1)
      L.accumulate(&a3, x3, w0)
      let x4 = L.load(line + 4 * channels)
      L.accumulate(&a0, x4, w4)
      L.accumulate(&a1, x4, w3)
      L.accumulate(&a2, x4, w2)
      L.accumulate(&a3, x4, w1)
      L.accumulate(&a4, x4, w0)
      let x5 = L.load(line + 5 * channels)
      L.accumulate(&a1, x5, w4)
      L.accumulate(&a2, x5, w3)
      L.accumulate(&a3, x5, w2)
      L.accumulate(&a4, x5, w1)
      L.accumulate(&a5, x5, w0)
      let x6 = L.load(line + 6 * channels)
      L.accumulate(&a2, x6, w4)
      L.accumulate(&a3, x6, w3)
      L.accumulate(&a4, x6, w2)
      L.accumulate(&a5, x6, w1)
      L.accumulate(&a6, x6, w0)
      let x7 = L.load(line + 7 * channels)
      L.accumulate(&a3, x7, w4)
      L.accumulate(&a4, x7, w3)
      L.accumulate(&a5, x7, w2)
      L.accumulate(&a6, x7, w1)
      L.accumulate(&a7, x7, w0)
      let x8 = L.load(line + 8 * channels)
      L.accumulate(&a4, x8, w4)
      L.accumulate(&a5, x8, w3)
      L.accumulate(&a6, x8, w2)
      L.accumulate(&a7, x8, w1)
      let x9 = L.load(line + 9 * channels)
      L.accumulate(&a5, x9, w4)
      L.accumulate(&a6, x9, w3)
      L.accumulate(&a7, x9, w2)
      let x10 = L.load(line + 10 * channels)
      L.accumulate(&a6, x10, w4)
      L.accumulate(&a7, x10, w3)
      let x11 = L.load(line + 11 * channels)
      L.accumulate(&a7, x11, w4)
    }
    let b = L.load(bias)
    L.add(&a0, b)
    L.add(&a1, b)
    L.add(&a2, b)
    L.add(&a3, b)
    L.add(&a4, b)
    L.add(&a5, b)
    L.add(&a6, b)
    L.add(&a7, b)
    L.store(clamp ? L.clamp6(a0) : a0, out)
    L.store(clamp ? L.clamp6(a1) : a1, out + 1 * channels)
    L.store(clamp ? L.clamp6(a2) : a2, out + 2 * channels)
    L.store(clamp ? L.clamp6(a3) : a3, out + 3 * channels)
    L.store(clamp ? L.clamp6(a4) : a4, out + 4 * channels)
    L.store(clamp ? L.clamp6(a5) : a5, out + 5 * channels)
    L.store(clamp ? L.clamp6(a6) : a6, out + 6 * channels)
    L.store(clamp ? L.clamp6(a7) : a7, out + 7 * channels)
  }

  /// `depthwise8Pixels3Wide` for the first `count` ≤ 8 pixels of a block whose windows
  /// reach past the row (`firstColumn` may be negative): input columns outside
  /// `0..<width` are skipped, as `depthwisePixel` skips the taps there.
  @inline(__always)
  static func depthwise8Pixels3WideClipped<L: SlidingLanes>(
    _: L.Type, row: UnsafePointer<Float>, firstColumn: Int, width: Int, count: Int,
    weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
    output out: UnsafeMutablePointer<Float>, channels: Int, rowStride: Int, rows: Range<Int>,
    relu6 clamp: Bool
  ) {
    var a0 = L.Vector()
    var a1 = L.Vector()
    var a2 = L.Vector()
    var a3 = L.Vector()
    var a4 = L.Vector()
    var a5 = L.Vector()
    var a6 = L.Vector()
    var a7 = L.Vector()
    for ky in rows {
      let line = row + ky * rowStride
      let taps = weights + ky * 3 * channels
      let w0 = L.load(taps)
      let w1 = L.load(taps + 1 * channels)
      let w2 = L.load(taps + 2 * channels)
      if firstColumn + 0 >= 0 && firstColumn + 0 < width {
        let x = L.load(line + (firstColumn + 0) * channels)
        L.accumulate(&a0, x, w0)
      }
      if firstColumn + 1 >= 0 && firstColumn + 1 < width {
        let x = L.load(line + (firstColumn + 1) * channels)
        L.accumulate(&a0, x, w1)
        L.accumulate(&a1, x, w0)
      }
      if firstColumn + 2 >= 0 && firstColumn + 2 < width {
        let x = L.load(line + (firstColumn + 2) * channels)
        L.accumulate(&a0, x, w2)
        L.accumulate(&a1, x, w1)
        L.accumulate(&a2, x, w0)
      }
      if firstColumn + 3 >= 0 && firstColumn + 3 < width {
        let x = L.load(line + (firstColumn + 3) * channels)
        L.accumulate(&a1, x, w2)
        L.accumulate(&a2, x, w1)
        L.accumulate(&a3, x, w0)
      }
      if firstColumn + 4 >= 0 && firstColumn + 4 < width {
        let x = L.load(line + (firstColumn + 4) * channels)
        L.accumulate(&a2, x, w2)
        L.accumulate(&a3, x, w1)
        L.accumulate(&a4, x, w0)
      }
      if firstColumn + 5 >= 0 && firstColumn + 5 < width {
        let x = L.load(line + (firstColumn + 5) * channels)
        L.accumulate(&a3, x, w2)
        L.accumulate(&a4, x, w1)
        L.accumulate(&a5, x, w0)
      }
      if firstColumn + 6 >= 0 && firstColumn + 6 < width {
        let x = L.load(line + (firstColumn + 6) * channels)
        L.accumulate(&a4, x, w2)
        L.accumulate(&a5, x, w1)
        L.accumulate(&a6, x, w0)
      }
      if firstColumn + 7 >= 0 && firstColumn + 7 < width {
        let x = L.load(line + (firstColumn + 7) * channels)
        L.accumulate(&a5, x, w2)
        L.accumulate(&a6, x, w1)
        L.accumulate(&a7, x, w0)
      }
      if firstColumn + 8 >= 0 && firstColumn + 8 < width {
        let x = L.load(line + (firstColumn + 8) * channels)
        L.accumulate(&a6, x, w2)
        L.accumulate(&a7, x, w1)
      }
      if firstColumn + 9 >= 0 && firstColumn + 9 < width {
        let x = L.load(line + (firstColumn + 9) * channels)
        L.accumulate(&a7, x, w2)
      }
    }
    let b = L.load(bias)
    L.add(&a0, b)
    L.add(&a1, b)
    L.add(&a2, b)
    L.add(&a3, b)
    L.add(&a4, b)
    L.add(&a5, b)
    L.add(&a6, b)
    L.add(&a7, b)
    if count > 0 { L.store(clamp ? L.clamp6(a0) : a0, out) }
    if count > 1 { L.store(clamp ? L.clamp6(a1) : a1, out + 1 * channels) }
    if count > 2 { L.store(clamp ? L.clamp6(a2) : a2, out + 2 * channels) }
    if count > 3 { L.store(clamp ? L.clamp6(a3) : a3, out + 3 * channels) }
    if count > 4 { L.store(clamp ? L.clamp6(a4) : a4, out + 4 * channels) }
    if count > 5 { L.store(clamp ? L.clamp6(a5) : a5, out + 5 * channels) }
    if count > 6 { L.store(clamp ? L.clamp6(a6) : a6, out + 6 * channels) }
    if count > 7 { L.store(clamp ? L.clamp6(a7) : a7, out + 7 * channels) }
  }

  /// `depthwise8Pixels5Wide` for the first `count` ≤ 8 pixels of a block whose windows
  /// reach past the row (`firstColumn` may be negative): input columns outside
  /// `0..<width` are skipped, as `depthwisePixel` skips the taps there.
  @inline(__always)
  static func depthwise8Pixels5WideClipped<L: SlidingLanes>(
    _: L.Type, row: UnsafePointer<Float>, firstColumn: Int, width: Int, count: Int,
    weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
    output out: UnsafeMutablePointer<Float>, channels: Int, rowStride: Int, rows: Range<Int>,
    relu6 clamp: Bool
  ) {
    var a0 = L.Vector()
    var a1 = L.Vector()
    var a2 = L.Vector()
    var a3 = L.Vector()
    var a4 = L.Vector()
    var a5 = L.Vector()
    var a6 = L.Vector()
    var a7 = L.Vector()
    for ky in rows {
      let line = row + ky * rowStride
      let taps = weights + ky * 5 * channels
      let w0 = L.load(taps)
      let w1 = L.load(taps + 1 * channels)
      let w2 = L.load(taps + 2 * channels)
      let w3 = L.load(taps + 3 * channels)
      let w4 = L.load(taps + 4 * channels)
      if firstColumn + 0 >= 0 && firstColumn + 0 < width {
        let x = L.load(line + (firstColumn + 0) * channels)
        L.accumulate(&a0, x, w0)
      }
      if firstColumn + 1 >= 0 && firstColumn + 1 < width {
        let x = L.load(line + (firstColumn + 1) * channels)
        L.accumulate(&a0, x, w1)
        L.accumulate(&a1, x, w0)
      }
      if firstColumn + 2 >= 0 && firstColumn + 2 < width {
        let x = L.load(line + (firstColumn + 2) * channels)
        L.accumulate(&a0, x, w2)
        L.accumulate(&a1, x, w1)
        L.accumulate(&a2, x, w0)
      }
      if firstColumn + 3 >= 0 && firstColumn + 3 < width {
        let x = L.load(line + (firstColumn + 3) * channels)
        L.accumulate(&a0, x, w3)
        L.accumulate(&a1, x, w2)
        L.accumulate(&a2, x, w1)
        L.accumulate(&a3, x, w0)
      }
      if firstColumn + 4 >= 0 && firstColumn + 4 < width {
        let x = L.load(line + (firstColumn + 4) * channels)
        L.accumulate(&a0, x, w4)
        L.accumulate(&a1, x, w3)
        L.accumulate(&a2, x, w2)
        L.accumulate(&a3, x, w1)
        L.accumulate(&a4, x, w0)
      }
      if firstColumn + 5 >= 0 && firstColumn + 5 < width {
        let x = L.load(line + (firstColumn + 5) * channels)
        L.accumulate(&a1, x, w4)
        L.accumulate(&a2, x, w3)
        L.accumulate(&a3, x, w2)
        L.accumulate(&a4, x, w1)
        L.accumulate(&a5, x, w0)
      }
      if firstColumn + 6 >= 0 && firstColumn + 6 < width {
        let x = L.load(line + (firstColumn + 6) * channels)
        L.accumulate(&a2, x, w4)
        L.accumulate(&a3, x, w3)
        L.accumulate(&a4, x, w2)
        L.accumulate(&a5, x, w1)
        L.accumulate(&a6, x, w0)
      }
      if firstColumn + 7 >= 0 && firstColumn + 7 < width {
        let x = L.load(line + (firstColumn + 7) * channels)
        L.accumulate(&a3, x, w4)
        L.accumulate(&a4, x, w3)
        L.accumulate(&a5, x, w2)
        L.accumulate(&a6, x, w1)
        L.accumulate(&a7, x, w0)
      }
      if firstColumn + 8 >= 0 && firstColumn + 8 < width {
        let x = L.load(line + (firstColumn + 8) * channels)
        L.accumulate(&a4, x, w4)
        L.accumulate(&a5, x, w3)
        L.accumulate(&a6, x, w2)
        L.accumulate(&a7, x, w1)
      }
      if firstColumn + 9 >= 0 && firstColumn + 9 < width {
        let x = L.load(line + (firstColumn + 9) * channels)
        L.accumulate(&a5, x, w4)
        L.accumulate(&a6, x, w3)
        L.accumulate(&a7, x, w2)
      }
      if firstColumn + 10 >= 0 && firstColumn + 10 < width {
        let x = L.load(line + (firstColumn + 10) * channels)
        L.accumulate(&a6, x, w4)
        L.accumulate(&a7, x, w3)
      }
      if firstColumn + 11 >= 0 && firstColumn + 11 < width {
        let x = L.load(line + (firstColumn + 11) * channels)
        L.accumulate(&a7, x, w4)
      }
    }
    let b = L.load(bias)
    L.add(&a0, b)
    L.add(&a1, b)
    L.add(&a2, b)
    L.add(&a3, b)
    L.add(&a4, b)
    L.add(&a5, b)
    L.add(&a6, b)
    L.add(&a7, b)
    if count > 0 { L.store(clamp ? L.clamp6(a0) : a0, out) }
    if count > 1 { L.store(clamp ? L.clamp6(a1) : a1, out + 1 * channels) }
    if count > 2 { L.store(clamp ? L.clamp6(a2) : a2, out + 2 * channels) }
    if count > 3 { L.store(clamp ? L.clamp6(a3) : a3, out + 3 * channels) }
    if count > 4 { L.store(clamp ? L.clamp6(a4) : a4, out + 4 * channels) }
    if count > 5 { L.store(clamp ? L.clamp6(a5) : a5, out + 5 * channels) }
    if count > 6 { L.store(clamp ? L.clamp6(a6) : a6, out + 6 * channels) }
    if count > 7 { L.store(clamp ? L.clamp6(a7) : a7, out + 7 * channels) }
  }
}

/// The vector width the sliding depthwise kernels run at: ``Lanes16`` for each 16 channels,
/// ``Lanes8`` for 8 channels past the last 16 (24, 40, 88 … channels: the landmark model's
/// 128 × 128 layers have 24), which otherwise go pixel by pixel through `depthwisePixel`.
/// One kernel body serves both; the operations are requirements, so that each conformance's
/// concrete vector operations (not the generic `SIMD` ones) are what the specialised kernels
/// inline. `accumulate` is an unfused multiply and add, as `depthwisePixel` computes each tap.
protocol SlidingLanes {
  associatedtype Vector: SIMD where Vector.Scalar == Float
  static func load(_ p: UnsafePointer<Float>) -> Vector
  static func store(_ v: Vector, _ p: UnsafeMutablePointer<Float>)
  /// `a += x * w`, the product rounded before the sum.
  static func accumulate(_ a: inout Vector, _ x: Vector, _ w: Vector)
  /// `a += b`.
  static func add(_ a: inout Vector, _ b: Vector)
  /// RELU6: `v` clamped to 0...6.
  static func clamp6(_ v: Vector) -> Vector
}

/// 16 channels per vector.
enum Lanes16: SlidingLanes {
  @_transparent static func load(_ p: UnsafePointer<Float>) -> Vector16 { load16(p) }
  @_transparent static func store(_ v: Vector16, _ p: UnsafeMutablePointer<Float>) {
    store16(v, p)
  }
  @_transparent static func accumulate(_ a: inout Vector16, _ x: Vector16, _ w: Vector16) {
    a += x * w
  }
  @_transparent static func add(_ a: inout Vector16, _ b: Vector16) { a += b }
  @_transparent static func clamp6(_ v: Vector16) -> Vector16 { relu6(v) }
}

/// 8 channels per vector.
enum Lanes8: SlidingLanes {
  @_transparent static func load(_ p: UnsafePointer<Float>) -> Vector8 { load8(p) }
  @_transparent static func store(_ v: Vector8, _ p: UnsafeMutablePointer<Float>) {
    store8(v, p)
  }
  @_transparent static func accumulate(_ a: inout Vector8, _ x: Vector8, _ w: Vector8) {
    a += x * w
  }
  @_transparent static func add(_ a: inout Vector8, _ b: Vector8) { a += b }
  @_transparent static func clamp6(_ v: Vector8) -> Vector8 { relu6(v) }
}
