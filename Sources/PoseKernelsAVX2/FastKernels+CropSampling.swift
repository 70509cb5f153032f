import PoseKernelTypes

extension FastKernels {
  /// Fills output rows `rows` of `job`'s tensor with exactly the values of
  /// ``CropSamplingJob/samplePixels(row:columns:)`` (the same source positions, taps, integer
  /// weights and levels), a row at a time in two passes:
  ///
  /// 1. **Where** (four pixels at a time, no image reads): the positions of four pixels come
  ///    from the same expression in `SIMD4<Double>`, and are rounded to 1/32 pixel by adding
  ///    1.5 · 2^52 (round half to even, as `rounded(.toNearestOrEven)`), exact for the
  ///    |32 · position| < 2^30 checked first; the taps are clamped to the image (a zero
  ///    border zeroes the weight of a tap outside it instead), which inside the image changes
  ///    nothing, so one branch-free path serves every window. Each group's four tap byte
  ///    offsets and four integer weights `(32 − fx)·(32 − fy)`, `fx·(32 − fy)`, … are stored
  ///    in a scratch row (8 KiB for 256 pixels, in L1).
  /// 2. **What** (pixel by pixel from the scratch row): each tap's red, green and blue are one
  ///    4-byte load, weighted in `SIMD4<Int32>` by the same four products (exact integers, so
  ///    the same sum), and `(sum + 512) >> 10` is the same as `(sum · 32 + 16384) >> 15`; the
  ///    level `Float(value) · scale + low` is computed as the table was (no fused
  ///    multiply-add), and the fourth lane's junk is overwritten by the next pixel's red (a
  ///    row's last pixel stores three floats: rows are shared out among threads).
  ///
  /// Split like this, each pixel's image reads depend only on loads from the scratch row, not
  /// on the long chain from its position (double arithmetic, rounding, clamps, lane
  /// extraction), so the processor overlaps many pixels' reads. Measured on a 256 × 256 crop
  /// of a 640×360 image in cache: 0.33 ms in one pass, 0.24 ms in two. From an image out of
  /// the caches both take 0.51–0.60 ms: memory-bound (README.md, eleventh session).
  ///
  /// Groups with a position out of that range (or NaN) or a tap whose 4-byte load would pass
  /// the end of the image, and a row's last `size % 4` pixels, take `samplePixels`.
  public static func sampleCrop(_ job: CropSamplingJob, rows: Range<Int>) {
    let size = job.size
    let groups = size / 4
    guard groups > 0 else {
      for y in rows { job.samplePixels(row: y, columns: 0..<size) }
      return
    }
    // Per group: the four pixels' offsets of the top-left, top-right, bottom-left and
    // bottom-right taps, then their weights w00, w01, w10, w11 (eight SIMD4<Int32>); an
    // offset of -1 in the first lane marks a group for `samplePixels`.
    withUnsafeTemporaryAllocation(of: SIMD4<Int32>.self, capacity: groups &* 8) { scratch in
      guard let plan = scratch.baseAddress else { return }
      for y in rows {
        planRow(job, row: y, groups: groups, into: plan)
        blendRow(job, row: y, groups: groups, from: plan)
        if groups &* 4 < size { job.samplePixels(row: y, columns: (groups &* 4)..<size) }
      }
    }
  }

  /// Pass 1 of ``sampleCrop(_:rows:)`` for row `y`: each group's tap offsets and weights.
  @inline(__always)
  private static func planRow(
    _ job: CropSamplingJob, row y: Int, groups: Int, into plan: UnsafeMutablePointer<SIMD4<Int32>>
  ) {
    let size = job.size
    let limit = SIMD4<Double>(repeating: 1_073_741_824)
    let roundingMagic = SIMD4<Double>(repeating: 6_755_399_441_055_744)
    let lastX = SIMD4<Int32>(repeating: Int32(truncatingIfNeeded: job.imageWidth &- 1))
    let lastY = SIMD4<Int32>(repeating: Int32(truncatingIfNeeded: job.imageHeight &- 1))
    let rowBytes = SIMD4<Int32>(repeating: Int32(truncatingIfNeeded: job.imageWidth &* 3))
    // Images are at most 50 megapixels (JPEGDecoder.maxPixels): byte offsets fit in Int32.
    let lastLoad = Int32(truncatingIfNeeded: job.pixelCount &- 4)
    let cosines = UnsafeRawPointer(job.columns)
    let sines = UnsafeRawPointer(job.columns + size)
    let centerXs = SIMD4<Double>(repeating: job.centerX)
    let centerYs = SIMD4<Double>(repeating: job.centerY)
    let zeroBorder = job.zeroBorder
    let v = (Double(y) / Double(size) - 0.5) * job.height
    let vSine = SIMD4<Double>(repeating: v * job.sine)
    let vCosine = SIMD4<Double>(repeating: v * job.cosine)
    for group in 0..<groups {
      let entry = plan + group &* 8
      let offset = group &* 4 &* MemoryLayout<Double>.stride
      let sourceX =
        centerXs + cosines.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self) - vSine
      let sourceY =
        centerYs + sines.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self) + vCosine
      let scaledX = sourceX * 32
      let scaledY = sourceY * 32
      // False for NaN too: such a group takes samplePixels (which traps on it, as always).
      let inRange =
        (scaledX .> -limit) .& (scaledX .< limit) .& (scaledY .> -limit) .& (scaledY .< limit)
      guard all(inRange) else {
        entry[0] = SIMD4(repeating: -1)
        continue
      }
      let fixedX = SIMD4<Int32>(
        truncatingIfNeeded: unsafeBitCast(scaledX + roundingMagic, to: SIMD4<UInt64>.self))
      let fixedY = SIMD4<Int32>(
        truncatingIfNeeded: unsafeBitCast(scaledY + roundingMagic, to: SIMD4<UInt64>.self))
      let x0 = fixedX &>> 5
      let y0 = fixedY &>> 5
      let x1 = x0 &+ 1
      let y1 = y0 &+ 1
      let fx = fixedX & 31
      let fy = fixedY & 31
      var (wx0, wx1, wy0, wy1) = (32 &- fx, fx, 32 &- fy, fy)
      if zeroBorder {
        wx0.replace(with: 0, where: (x0 .< 0) .| (x0 .> lastX))
        wx1.replace(with: 0, where: (x1 .< 0) .| (x1 .> lastX))
        wy0.replace(with: 0, where: (y0 .< 0) .| (y0 .> lastY))
        wy1.replace(with: 0, where: (y1 .< 0) .| (y1 .> lastY))
      }
      let left = x0.clamped(lowerBound: .zero, upperBound: lastX) &* 3
      let right = x1.clamped(lowerBound: .zero, upperBound: lastX) &* 3
      let top = y0.clamped(lowerBound: .zero, upperBound: lastY) &* rowBytes
      let bottom = y1.clamped(lowerBound: .zero, upperBound: lastY) &* rowBytes
      guard (bottom &+ right).max() <= lastLoad else {
        entry[0] = SIMD4(repeating: -1)
        continue
      }
      entry[0] = top &+ left
      entry[1] = top &+ right
      entry[2] = bottom &+ left
      entry[3] = bottom &+ right
      entry[4] = wx0 &* wy0
      entry[5] = wx1 &* wy0
      entry[6] = wx0 &* wy1
      entry[7] = wx1 &* wy1
    }
  }

  /// Pass 2 of ``sampleCrop(_:rows:)`` for row `y`: the planned groups' pixels.
  @inline(__always)
  private static func blendRow(
    _ job: CropSamplingJob, row y: Int, groups: Int, from plan: UnsafePointer<SIMD4<Int32>>
  ) {
    let size = job.size
    let (scale, low) = (SIMD4<Float>(repeating: job.scale), SIMD4<Float>(repeating: job.low))
    let raw = UnsafeRawPointer(job.pixels)
    let planned = UnsafeRawPointer(plan)
    let stride = MemoryLayout<SIMD4<Int32>>.stride
    var o = y &* size &* 3
    for group in 0..<groups {
      defer { o &+= 12 }
      let entry = planned + group &* 8 &* stride
      let x = group &* 4
      guard entry.load(as: Int32.self) >= 0 else {
        job.samplePixels(row: y, columns: x..<(x &+ 4))
        continue
      }
      let pixel = UnsafeMutableRawPointer(job.output + o)
      pixel.storeBytes(of: blend(raw, entry, lane: 0, scale, low), as: SIMD4<Float>.self)
      pixel.storeBytes(
        of: blend(raw, entry, lane: 1, scale, low), toByteOffset: 12, as: SIMD4<Float>.self)
      pixel.storeBytes(
        of: blend(raw, entry, lane: 2, scale, low), toByteOffset: 24, as: SIMD4<Float>.self)
      let pixel3 = blend(raw, entry, lane: 3, scale, low)
      if x &+ 4 < size {
        pixel.storeBytes(of: pixel3, toByteOffset: 36, as: SIMD4<Float>.self)
      } else {
        // A row's last pixel: the next row may belong to another thread's band.
        let last = job.output + (o &+ 9)
        (last[0], last[1], last[2]) = (pixel3[0], pixel3[1], pixel3[2])
      }
    }
  }
}

/// One output pixel's levels (the fourth lane is junk): pixel `lane` of a planned group
/// (`entry`: four tap offsets, then four weights, each a `SIMD4<Int32>` over the group's
/// pixels), its taps read from `raw`.
@_transparent
private func blend(
  _ raw: UnsafeRawPointer, _ entry: UnsafeRawPointer, lane: Int, _ scale: SIMD4<Float>,
  _ low: SIMD4<Float>
) -> SIMD4<Float> {
  func offset(_ tap: Int) -> Int {
    Int(entry.load(fromByteOffset: (tap &* 4 &+ lane) &* 4, as: Int32.self))
  }
  func weight(_ tap: Int) -> SIMD4<Int32> {
    SIMD4(repeating: entry.load(fromByteOffset: (16 &+ tap &* 4 &+ lane) &* 4, as: Int32.self))
  }
  let sum =
    tap(raw, offset(0)) &* weight(0) &+ tap(raw, offset(1)) &* weight(1)
    &+ tap(raw, offset(2)) &* weight(2) &+ tap(raw, offset(3)) &* weight(3)
  // 0 ≤ sum ≤ 255 · 1024: the value is 0...255, as the table's index was.
  return SIMD4<Float>((sum &+ 512) &>> 10) * scale + low
}

/// The red, green and blue bytes of the pixel at byte `offset` of `row` (and the next byte).
@_transparent
private func tap(_ row: UnsafeRawPointer, _ offset: Int) -> SIMD4<Int32> {
  SIMD4<Int32>(truncatingIfNeeded: row.loadUnaligned(fromByteOffset: offset, as: SIMD4<UInt8>.self))
}
