#if canImport(Glibc)
internal import Glibc
#endif

/// Cuts a rotated rectangle out of an image into a square model input (MediaPipe's
/// `ImageToTensorCalculator`, spec §d.1 and §d.7).
///
/// Sampling reproduces OpenCV's `warpPerspective` with `INTER_LINEAR` on 8-bit images, as
/// `ref_pipeline.crop` does: output pixel (x, y) samples the source at
/// `centre + R(rotation) · ((x / size − 0.5) · width, (y / size − 0.5) · height)`, the position
/// rounded to 1/32 pixel, integer bilinear weights, the result rounded back to 8 bits.
struct ImageCrop: Sendable, Equatable {
  /// What taps outside the image read.
  enum Border: Sendable {
    /// Zero (black); the detector input.
    case zero
    /// The nearest edge pixel; the landmark input.
    case replicate
  }

  /// Centre x in pixels.
  var centerX: Double
  /// Centre y in pixels.
  var centerY: Double
  /// Width in pixels.
  var width: Double
  /// Height in pixels.
  var height: Double
  /// Rotation in radians.
  var rotation: Double

  /// The crop of `rect` (normalised) in an image of the given size.
  init(_ rect: NormalizedRect, imageWidth: Int, imageHeight: Int) {
    centerX = rect.xCenter * Double(imageWidth)
    centerY = rect.yCenter * Double(imageHeight)
    width = rect.width * Double(imageWidth)
    height = rect.height * Double(imageHeight)
    rotation = rect.rotation
  }

  /// A crop in pixels.
  init(centerX: Double, centerY: Double, width: Double, height: Double, rotation: Double) {
    self.centerX = centerX
    self.centerY = centerY
    self.width = width
    self.height = height
    self.rotation = rotation
  }

  /// The whole image, padded to a square (`PadRoi` with keep_aspect_ratio), and the padding
  /// as fractions of the square (spec §d.1).
  static func letterboxed(imageWidth: Int, imageHeight: Int) -> (ImageCrop, Letterbox) {
    let width = Double(imageWidth)
    let height = Double(imageHeight)
    let aspect = height / width
    var crop = ImageCrop(
      centerX: width / 2, centerY: height / 2, width: width, height: height, rotation: 0)
    if 1 > aspect {
      crop.height = width
      let pad = (1 - aspect) / 2
      return (crop, Letterbox(left: 0, top: pad, right: 0, bottom: pad))
    }
    crop.width = height
    let pad = (1 - 1 / aspect) / 2
    return (crop, Letterbox(left: pad, top: 0, right: pad, bottom: 0))
  }

  /// Samples the crop into a `size × size × 3` float tensor (RGB, NHWC), pixel values mapped
  /// linearly from 0...255 to `low...high`. `pixelByPixel` takes the one-pixel-at-a-time path
  /// throughout (the oracle of the vectorised one in tests; the same values).
  func tensor(
    from image: RGBImage, size: Int, border: Border, low: Float, high: Float,
    pixelByPixel: Bool = false
  ) -> [Float] {
    [Float](unsafeUninitializedCapacity: size * size * 3) { output, initialized in
      guard let base = output.baseAddress else { return }
      sample(
        from: image, into: base, size: size, border: border, low: low, high: high,
        pixelByPixel: pixelByPixel)
      initialized = size * size * 3
    }
  }

  /// `tensor`, written to `output` (`size × size × 3` floats), the rows shared among the
  /// threads of `threads` when there is a team.
  func sample(
    from image: RGBImage, into output: UnsafeMutablePointer<Float>, size: Int, border: Border,
    low: Float, high: Float, threads: ComputeThreads? = nil, pixelByPixel: Bool = false
  ) {
    // The per-column products and the output levels are made once per crop, before the rows
    // are shared out.
    let cosine = cos(rotation)
    let sine = sin(rotation)
    let scale = Float((Double(high) - Double(low)) / 255)
    withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * size) { columns in
      withUnsafeTemporaryAllocation(of: Float.self, capacity: 256) { levels in
        for x in 0..<size {
          let u = (Double(x) / Double(size) - 0.5) * width
          columns[x] = u * cosine
          columns[size + x] = u * sine
        }
        for value in 0..<256 { levels[value] = Float(value) * scale + low }
        image.pixels.withUnsafeBufferPointer { pixels in
          guard let pixelBase = pixels.baseAddress, let columnBase = columns.baseAddress,
            let levelBase = levels.baseAddress
          else { return }
          var job = SamplingJob(
            crop: self, pixels: pixelBase, pixelCount: pixels.count, imageWidth: image.width,
            imageHeight: image.height, output: output, size: size, zeroBorder: border == .zero,
            sine: sine, cosine: cosine, columns: columnBase, levels: levelBase,
            scale: scale, low: low)
          if pixelByPixel {
            for y in 0..<size { job.samplePixels(row: y, columns: 0..<size) }
            return
          }
          guard let threads, threads.count > 1 else {
            job.sample(rows: 0..<size)
            return
          }
          threads.run(&job, chunks: min(4 * threads.count, size)) { raw, chunk, chunks, _ in
            let job = raw.assumingMemoryBound(to: SamplingJob.self)
            job.pointee.sample(
              rows: ComputeThreads.share(of: job.pointee.size, part: chunk, parts: chunks))
          }
        }
      }
    }
  }
}

/// One crop being sampled: everything a thread needs to fill some rows of the tensor.
struct SamplingJob {
  var crop: ImageCrop
  var pixels: UnsafePointer<UInt8>
  /// Bytes at `pixels` (`imageWidth × imageHeight × 3`).
  var pixelCount: Int
  var imageWidth: Int
  var imageHeight: Int
  var output: UnsafeMutablePointer<Float>
  var size: Int
  var zeroBorder: Bool
  var sine: Double
  var cosine: Double
  /// `u·cos` of each output column x (`size` values), then `u·sin` of each.
  var columns: UnsafeMutablePointer<Double>
  /// Per 8-bit value: the output float (`value · scale + low`).
  var levels: UnsafeMutablePointer<Float>
  /// The factor and offset of `levels`.
  var scale: Float
  var low: Float

  /// Fills the pixels `columns` of output row `row`, one at a time: the oracle of the
  /// vectorised `sample(rows:)` (SamplingJob+Vectorised.swift), which also takes this path for
  /// positions it does not handle. The source position of each pixel is computed with the same
  /// expression as always (`centre + u·cos − v·sin`, evaluated in the same order), with the
  /// per-column and per-row products computed once; taps that all lie inside the image take
  /// a branch-free path. Output values go through the 256-entry table.
  func samplePixels(row y: Int, columns range: Range<Int>) {
    let (centerX, centerY, height) = (crop.centerX, crop.centerY, crop.height)
    var o = (y * size + range.lowerBound) * 3
    do {
      let v = (Double(y) / Double(size) - 0.5) * height
      let vSine = v * sine
      let vCosine = v * cosine
      for x in range {
        let sourceX = centerX + columns[x] - vSine
        let sourceY = centerY + columns[size + x] + vCosine
        let fixedX = Int((sourceX * 32).rounded(.toNearestOrEven))
        let fixedY = Int((sourceY * 32).rounded(.toNearestOrEven))
        let x0 = fixedX >> 5
        let y0 = fixedY >> 5
        let fx = fixedX & 31
        let fy = fixedY & 31
        var acc = (0, 0, 0)
        if x0 >= 0 && x0 + 1 < imageWidth && y0 >= 0 && y0 + 1 < imageHeight {
          // Values stay below 2^18: wrapping arithmetic skips the overflow checks.
          let top = pixels + (y0 &* imageWidth &+ x0) &* 3
          let bottom = top + imageWidth &* 3
          let w00 = (32 &- fx) &* (32 &- fy)
          let w01 = fx &* (32 &- fy)
          let w10 = (32 &- fx) &* fy
          let w11 = fx &* fy
          acc.0 =
            Int(top[0]) &* w00 &+ Int(top[3]) &* w01 &+ Int(bottom[0]) &* w10
            &+ Int(bottom[3]) &* w11
          acc.1 =
            Int(top[1]) &* w00 &+ Int(top[4]) &* w01 &+ Int(bottom[1]) &* w10
            &+ Int(bottom[4]) &* w11
          acc.2 =
            Int(top[2]) &* w00 &+ Int(top[5]) &* w01 &+ Int(bottom[2]) &* w10
            &+ Int(bottom[5]) &* w11
        } else {
          // A window over the edge (common: a landmark ROI is often wider than a portrait
          // frame). The four taps read the nearest edge pixel; a zero border gives the taps
          // outside the image weight 0 instead. Same sums as tap by tap, without branches.
          var (wx0, wx1, wy0, wy1) = (32 &- fx, fx, 32 &- fy, fy)
          let (x1, y1) = (x0 &+ 1, y0 &+ 1)
          if zeroBorder {
            if x0 < 0 || x0 >= imageWidth { wx0 = 0 }
            if x1 < 0 || x1 >= imageWidth { wx1 = 0 }
            if y0 < 0 || y0 >= imageHeight { wy0 = 0 }
            if y1 < 0 || y1 >= imageHeight { wy1 = 0 }
          }
          let left = min(max(x0, 0), imageWidth &- 1) &* 3
          let right = min(max(x1, 0), imageWidth &- 1) &* 3
          let top = pixels + min(max(y0, 0), imageHeight &- 1) &* imageWidth &* 3
          let bottom = pixels + min(max(y1, 0), imageHeight &- 1) &* imageWidth &* 3
          let w00 = wx0 &* wy0
          let w01 = wx1 &* wy0
          let w10 = wx0 &* wy1
          let w11 = wx1 &* wy1
          acc.0 =
            Int(top[left]) &* w00 &+ Int(top[right]) &* w01 &+ Int(bottom[left]) &* w10
            &+ Int(bottom[right]) &* w11
          acc.1 =
            Int(top[left &+ 1]) &* w00 &+ Int(top[right &+ 1]) &* w01
            &+ Int(bottom[left &+ 1]) &* w10 &+ Int(bottom[right &+ 1]) &* w11
          acc.2 =
            Int(top[left &+ 2]) &* w00 &+ Int(top[right &+ 2]) &* w01
            &+ Int(bottom[left &+ 2]) &* w10 &+ Int(bottom[right &+ 2]) &* w11
        }
        output[o] = levels[min(max((acc.0 &* 32 &+ 16384) >> 15, 0), 255)]
        output[o &+ 1] = levels[min(max((acc.1 &* 32 &+ 16384) >> 15, 0), 255)]
        output[o &+ 2] = levels[min(max((acc.2 &* 32 &+ 16384) >> 15, 0), 255)]
        o &+= 3
      }
    }
  }
}
