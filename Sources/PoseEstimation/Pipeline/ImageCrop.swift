internal import PoseKernelTypes

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
  /// linearly from 0...255 to `low...high`, with the vectors of `kernels`; nil takes the
  /// one-pixel-at-a-time path throughout (the oracle of every kernel set in tests; the same
  /// values).
  func tensor(
    from image: RGBImage, size: Int, border: Border, low: Float, high: Float,
    kernels: (any PoseKernelSet.Type)?
  ) -> [Float] {
    [Float](unsafeUninitializedCapacity: size * size * 3) { output, initialized in
      guard let base = output.baseAddress else { return }
      sample(
        from: image, into: base, size: size, border: border, low: low, high: high,
        kernels: kernels)
      initialized = size * size * 3
    }
  }

  /// `tensor`, written to `output` (`size × size × 3` floats), the rows shared among the
  /// threads of `threads` when there is a team.
  func sample(
    from image: RGBImage, into output: UnsafeMutablePointer<Float>, size: Int, border: Border,
    low: Float, high: Float, kernels: (any PoseKernelSet.Type)?, threads: ComputeThreads? = nil
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
            job: CropSamplingJob(
              centerX: centerX, centerY: centerY, height: height, pixels: pixelBase,
              pixelCount: pixels.count, imageWidth: image.width, imageHeight: image.height,
              output: output, size: size, zeroBorder: border == .zero, sine: sine,
              cosine: cosine, columns: columnBase, levels: levelBase, scale: scale, low: low),
            kernels: kernels)
          guard let threads, threads.count > 1 else {
            job.sample(rows: 0..<size)
            return
          }
          threads.run(&job, chunks: min(4 * threads.count, size)) { raw, chunk, chunks, _ in
            let job = raw.assumingMemoryBound(to: SamplingJob.self)
            job.pointee.sample(
              rows: ComputeThreads.share(of: job.pointee.job.size, part: chunk, parts: chunks))
          }
        }
      }
    }
  }
}

/// A crop being sampled and the kernels that sample it (none: pixel by pixel), as handed to
/// the threads of a team.
private struct SamplingJob {
  var job: CropSamplingJob
  var kernels: (any PoseKernelSet.Type)?

  func sample(rows: Range<Int>) {
    if let kernels {
      kernels.sampleCrop(job, rows: rows)
    } else {
      for y in rows { job.samplePixels(row: y, columns: 0..<job.size) }
    }
  }
}
