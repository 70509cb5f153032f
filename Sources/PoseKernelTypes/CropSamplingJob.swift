/// One crop of an image being sampled into a model's input tensor (the bilinear sampling of
/// `ImageCrop`, OpenCV's `warpPerspective` with `INTER_LINEAR` on 8-bit images): everything a
/// thread needs to fill some rows of the tensor. `PoseKernelSet.sampleCrop` fills rows with
/// vectors compiled for its instruction set; ``samplePixels(row:columns:)`` is their oracle,
/// one pixel at a time, and their fallback for positions they do not handle.
///
/// Output pixel `(x, y)` samples the source at `centre + (u·cos − v·sin, u·sin + v·cos)`, with
/// `u·cos` and `u·sin` per column in `columns` and `v = (y / size − 0.5) · height`; the
/// position is rounded to 1/32 pixel, the four taps weighted by integers, the result rounded
/// to 8 bits and mapped to a float by `levels`.
public struct CropSamplingJob {
  /// The crop's centre in source pixels.
  public var centerX: Double
  public var centerY: Double
  /// The crop's height in source pixels.
  public var height: Double
  /// RGB bytes of the source image, row by row.
  public var pixels: UnsafePointer<UInt8>
  /// Bytes at `pixels` (`imageWidth × imageHeight × 3`).
  public var pixelCount: Int
  public var imageWidth: Int
  public var imageHeight: Int
  /// The tensor: `size × size × 3` floats.
  public var output: UnsafeMutablePointer<Float>
  public var size: Int
  /// Taps outside the image read 0 (else the nearest edge pixel).
  public var zeroBorder: Bool
  public var sine: Double
  public var cosine: Double
  /// `u·cos` of each output column x (`size` values), then `u·sin` of each.
  public var columns: UnsafePointer<Double>
  /// Per 8-bit value: the output float (`value · scale + low`).
  public var levels: UnsafePointer<Float>
  /// The factor and offset of `levels`.
  public var scale: Float
  public var low: Float

  public init(
    centerX: Double, centerY: Double, height: Double, pixels: UnsafePointer<UInt8>,
    pixelCount: Int, imageWidth: Int, imageHeight: Int, output: UnsafeMutablePointer<Float>,
    size: Int, zeroBorder: Bool, sine: Double, cosine: Double, columns: UnsafePointer<Double>,
    levels: UnsafePointer<Float>, scale: Float, low: Float
  ) {
    self.centerX = centerX
    self.centerY = centerY
    self.height = height
    self.pixels = pixels
    self.pixelCount = pixelCount
    self.imageWidth = imageWidth
    self.imageHeight = imageHeight
    self.output = output
    self.size = size
    self.zeroBorder = zeroBorder
    self.sine = sine
    self.cosine = cosine
    self.columns = columns
    self.levels = levels
    self.scale = scale
    self.low = low
  }

  /// Fills the pixels `columns` of output row `row`, one at a time: the oracle of the kernel
  /// sets' `sampleCrop`, which also take this path for positions they do not handle. The
  /// source position of each pixel is computed with the same expression as always
  /// (`centre + u·cos − v·sin`, evaluated in the same order), with the per-column and per-row
  /// products computed once; taps that all lie inside the image take a branch-free path.
  /// Output values go through the 256-entry table.
  public func samplePixels(row y: Int, columns range: Range<Int>) {
    var o = (y * size + range.lowerBound) * 3
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
