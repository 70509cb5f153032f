import PoseKernelTypes

extension FastKernels {
  /// Fills output rows `rows` of `job`'s tensor, four pixels at a time, with exactly the
  /// values of ``CropSamplingJob/samplePixels(row:columns:)`` (the same source positions,
  /// taps, integer weights and levels):
  ///
  /// * the positions of four pixels come from the same expression in `SIMD4<Double>`, and are
  ///   rounded to 1/32 pixel by adding 1.5 · 2^52 (round half to even, as
  ///   `rounded(.toNearestOrEven)`), exact for the |32 · position| < 2^30 checked first;
  /// * the taps are clamped to the image (a zero border zeroes the weight of a tap outside
  ///   it instead), which inside the image changes nothing, so one branch-free path serves
  ///   every window;
  /// * each tap's red, green and blue are one 4-byte load, weighted in `SIMD4<Int32>` by the
  ///   same four products `(32 − fx)·(32 − fy)`, `fx·(32 − fy)`, … as `samplePixels` (exact
  ///   integers, so the same sum), and `(sum + 512) >> 10` is the same as
  ///   `(sum · 32 + 16384) >> 15`; the level `Float(value) · scale + low` is computed as the
  ///   table was (no fused multiply-add), and the fourth lane's junk is overwritten by the
  ///   next pixel's red (a row's last pixel stores three floats: rows are shared out among
  ///   threads).
  ///
  /// Groups with a position out of that range (or NaN) or a tap whose 4-byte load would pass
  /// the end of the image, and a row's last `size % 4` pixels, take `samplePixels`.
  ///
  /// The four pixels of a group are written out lane by lane with constant lane numbers
  /// (`blend`): with a loop over the lanes, the znver4 build spilled the weight vectors to the
  /// stack and reloaded them by a variable index, and the crop took 7.6 % of a one-thread
  /// `buddy pose` at 640×360 instead of 4.1 % (5.6 % for the loop in PoseEstimation, haswell).
  public static func sampleCrop(_ job: CropSamplingJob, rows: Range<Int>) {
    let size = job.size
    let limit = SIMD4<Double>(repeating: 1_073_741_824)
    let roundingMagic = SIMD4<Double>(repeating: 6_755_399_441_055_744)
    let lastX = SIMD4<Int32>(repeating: Int32(truncatingIfNeeded: job.imageWidth &- 1))
    let lastY = SIMD4<Int32>(repeating: Int32(truncatingIfNeeded: job.imageHeight &- 1))
    let rowBytes = SIMD4<Int32>(repeating: Int32(truncatingIfNeeded: job.imageWidth &* 3))
    // Images are at most 50 megapixels (JPEGDecoder.maxPixels): byte offsets fit in Int32.
    let lastLoad = Int32(truncatingIfNeeded: job.pixelCount &- 4)
    let (scale, low) = (SIMD4<Float>(repeating: job.scale), SIMD4<Float>(repeating: job.low))
    let raw = UnsafeRawPointer(job.pixels)
    let cosines = UnsafeRawPointer(job.columns)
    let sines = UnsafeRawPointer(job.columns + size)
    let centerXs = SIMD4<Double>(repeating: job.centerX)
    let centerYs = SIMD4<Double>(repeating: job.centerY)
    let output = job.output
    let zeroBorder = job.zeroBorder
    for y in rows {
      let v = (Double(y) / Double(size) - 0.5) * job.height
      let vSine = SIMD4<Double>(repeating: v * job.sine)
      let vCosine = SIMD4<Double>(repeating: v * job.cosine)
      var x = 0
      var o = y &* size &* 3
      while x &+ 4 <= size {
        defer {
          x &+= 4
          o &+= 12
        }
        let offset = x &* MemoryLayout<Double>.stride
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
          job.samplePixels(row: y, columns: x..<(x &+ 4))
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
          job.samplePixels(row: y, columns: x..<(x &+ 4))
          continue
        }
        let (w00, w01, w10, w11) = (wx0 &* wy0, wx1 &* wy0, wx0 &* wy1, wx1 &* wy1)
        // Lane by lane with constant lane numbers, so each weight is one shuffle away.
        let pixel0 = blend(
          raw, top[0], bottom[0], left[0], right[0], w00[0], w01[0], w10[0], w11[0], scale, low)
        let pixel1 = blend(
          raw, top[1], bottom[1], left[1], right[1], w00[1], w01[1], w10[1], w11[1], scale, low)
        let pixel2 = blend(
          raw, top[2], bottom[2], left[2], right[2], w00[2], w01[2], w10[2], w11[2], scale, low)
        let pixel3 = blend(
          raw, top[3], bottom[3], left[3], right[3], w00[3], w01[3], w10[3], w11[3], scale, low)
        let pixel = UnsafeMutableRawPointer(output + o)
        pixel.storeBytes(of: pixel0, as: SIMD4<Float>.self)
        pixel.storeBytes(of: pixel1, toByteOffset: 12, as: SIMD4<Float>.self)
        pixel.storeBytes(of: pixel2, toByteOffset: 24, as: SIMD4<Float>.self)
        if x &+ 4 < size {
          pixel.storeBytes(of: pixel3, toByteOffset: 36, as: SIMD4<Float>.self)
        } else {
          // A row's last pixel: the next row may belong to another thread's band.
          let last = output + (o &+ 9)
          (last[0], last[1], last[2]) = (pixel3[0], pixel3[1], pixel3[2])
        }
      }
      if x < size { job.samplePixels(row: y, columns: x..<size) }
    }
  }
}

/// One output pixel's levels (the fourth lane is junk): its four taps at byte offsets
/// `top + left` … `bottom + right` of `raw`, weighted by `w00` … `w11`.
@_transparent
private func blend(
  _ raw: UnsafeRawPointer, _ top: Int32, _ bottom: Int32, _ left: Int32, _ right: Int32,
  _ w00: Int32, _ w01: Int32, _ w10: Int32, _ w11: Int32, _ scale: SIMD4<Float>,
  _ low: SIMD4<Float>
) -> SIMD4<Float> {
  let upperRow = raw + Int(top)
  let lowerRow = raw + Int(bottom)
  let (l, r) = (Int(left), Int(right))
  let sum =
    tap(upperRow, l) &* SIMD4(repeating: w00) &+ tap(upperRow, r) &* SIMD4(repeating: w01)
    &+ tap(lowerRow, l) &* SIMD4(repeating: w10) &+ tap(lowerRow, r) &* SIMD4(repeating: w11)
  // 0 ≤ sum ≤ 255 · 1024: the value is 0...255, as the table's index was.
  return SIMD4<Float>((sum &+ 512) &>> 10) * scale + low
}

/// The red, green and blue bytes of the pixel at byte `offset` of `row` (and the next byte).
@_transparent
private func tap(_ row: UnsafeRawPointer, _ offset: Int) -> SIMD4<Int32> {
  SIMD4<Int32>(truncatingIfNeeded: row.loadUnaligned(fromByteOffset: offset, as: SIMD4<UInt8>.self))
}
