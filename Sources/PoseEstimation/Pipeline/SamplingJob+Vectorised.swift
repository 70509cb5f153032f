extension SamplingJob {
  /// Fills output rows `rows`, four pixels at a time, with exactly the values of
  /// `samplePixels` (the same source positions, taps, integer weights and levels):
  ///
  /// * the positions of four pixels come from the same expression in `SIMD4<Double>`, and are
  ///   rounded to 1/32 pixel by adding 1.5 · 2^52 (round half to even, as
  ///   `rounded(.toNearestOrEven)`), exact for the |32 · position| < 2^30 checked first;
  /// * the taps are clamped to the image (a zero border zeroes the weight of a tap outside
  ///   it instead), which inside the image changes nothing, so one branch-free path serves
  ///   every window;
  /// * each tap's red, green and blue are one 4-byte load, weighted in `SIMD4<Int32>`:
  ///   `(32 − fy)·(left·(32 − fx) + right·fx) + fy·(…)` is the same integer as the four
  ///   products of `samplePixels`, and `(sum + 512) >> 10` the same as
  ///   `(sum · 32 + 16384) >> 15`; the level `Float(value) · scale + low` is computed as the
  ///   table was (no fused multiply-add), and the fourth lane's junk is overwritten by the
  ///   next pixel's red (a row's last pixel stores three floats: rows are shared out among
  ///   threads).
  ///
  /// Groups with a position out of that range (or NaN) or a tap whose 4-byte load would pass
  /// the end of the image, and a row's last `size % 4` pixels, take `samplePixels`.
  func sample(rows: Range<Int>) {
    let (centerX, centerY, height) = (crop.centerX, crop.centerY, crop.height)
    let limit = SIMD4<Double>(repeating: 1_073_741_824)
    let roundingMagic = SIMD4<Double>(repeating: 6_755_399_441_055_744)
    let lastX = SIMD4<Int32>(repeating: Int32(truncatingIfNeeded: imageWidth &- 1))
    let lastY = SIMD4<Int32>(repeating: Int32(truncatingIfNeeded: imageHeight &- 1))
    let rowBytes = SIMD4<Int32>(repeating: Int32(truncatingIfNeeded: imageWidth &* 3))
    // Images are at most 50 megapixels (JPEGDecoder.maxPixels): byte offsets fit in Int32.
    let lastLoad = Int32(truncatingIfNeeded: pixelCount &- 4)
    let (scale, low) = (SIMD4<Float>(repeating: scale), SIMD4<Float>(repeating: low))
    let raw = UnsafeRawPointer(pixels)
    let cosines = UnsafeRawPointer(columns)
    let sines = UnsafeRawPointer(columns + size)
    let centerXs = SIMD4<Double>(repeating: centerX)
    let centerYs = SIMD4<Double>(repeating: centerY)
    for y in rows {
      let v = (Double(y) / Double(size) - 0.5) * height
      let vSine = SIMD4<Double>(repeating: v * sine)
      let vCosine = SIMD4<Double>(repeating: v * cosine)
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
          samplePixels(row: y, columns: x..<(x &+ 4))
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
          samplePixels(row: y, columns: x..<(x &+ 4))
          continue
        }
        for lane in 0..<4 {
          let upperRow = raw + Int(top[lane])
          let lowerRow = raw + Int(bottom[lane])
          let (l, r) = (Int(left[lane]), Int(right[lane]))
          let upper =
            tap(upperRow, l) &* SIMD4(repeating: wx0[lane])
            &+ tap(upperRow, r) &* SIMD4(repeating: wx1[lane])
          let lower =
            tap(lowerRow, l) &* SIMD4(repeating: wx0[lane])
            &+ tap(lowerRow, r) &* SIMD4(repeating: wx1[lane])
          let sum = upper &* SIMD4(repeating: wy0[lane]) &+ lower &* SIMD4(repeating: wy1[lane])
          // 0 ≤ sum ≤ 255 · 1024: the value is 0...255, as the table's index was.
          let value = SIMD4<Float>((sum &+ 512) &>> 10) * scale + low
          let pixel = output + (o &+ 3 &* lane)
          if lane < 3 || x &+ 4 < size {
            UnsafeMutableRawPointer(pixel).storeBytes(of: value, as: SIMD4<Float>.self)
          } else {
            // A row's last pixel: the next row may belong to another thread's band.
            (pixel[0], pixel[1], pixel[2]) = (value[0], value[1], value[2])
          }
        }
      }
      if x < size { samplePixels(row: y, columns: x..<size) }
    }
  }
}

/// The red, green and blue bytes of the pixel at byte `offset` of `row` (and the next byte).
@inline(__always)
private func tap(_ row: UnsafeRawPointer, _ offset: Int) -> SIMD4<Int32> {
  SIMD4<Int32>(truncatingIfNeeded: row.loadUnaligned(fromByteOffset: offset, as: SIMD4<UInt8>.self))
}
