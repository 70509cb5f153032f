/// The fast float kernels of the pose models, one conformance per instruction set the same
/// sources are compiled for (`PoseKernelsAVX2.FastKernels`, `PoseKernelsAVX512.FastKernels`).
/// The executor picks one set when it is planned and calls it once per layer; every set
/// computes every value with the same operations in the same order, so their results are
/// bit-identical (and, without `POSE_FMA`, bit-identical to the reference kernels).
///
/// Batch 1, NHWC, raw pointers: callers guarantee every buffer has the size its shape says.
/// `part` of `parts` computes one share of the output (for a thread team); every value is
/// computed exactly as by the whole call.
public protocol PoseKernelSet {
  /// True when the convolutions fuse their multiply-adds (`POSE_FMA`).
  static var fusesMultiplyAdds: Bool { get }
  /// Output pixels per step of the GEMM micro-kernel (row shares are multiples of it).
  static var microRows: Int { get }

  /// `c[r][j] = act(bias[j] + Σ_k a[r][k] · w[k][j])` for `rows` rows of `a`.
  static func gemm(
    a: UnsafePointer<Float>, lda: Int, rows: Int, packed: PackedGEMMWeights,
    c: UnsafeMutablePointer<Float>, ldc: Int, relu6: Bool)

  /// CONV_2D through im2col (`scratch`: `conv2DScratch` floats per part).
  static func conv2D(
    input: UnsafePointer<Float>, packed: PackedGEMMWeights, output: UnsafeMutablePointer<Float>,
    geometry: WindowGeometry, relu6: Bool, scratch: UnsafeMutablePointer<Float>, part: Int,
    parts: Int)

  /// The im2col scratch `conv2D` needs, in floats.
  static func conv2DScratch(_ geometry: WindowGeometry) -> Int

  /// DEPTHWISE_CONV_2D (multiplier 1), filter `[KH][KW][C]`, bias `[C]`.
  static func depthwiseConv2D(
    input: UnsafePointer<Float>, filter: UnsafePointer<Float>, bias: UnsafePointer<Float>,
    output: UnsafeMutablePointer<Float>, geometry: WindowGeometry, relu6: Bool, part: Int,
    parts: Int)

  /// A depthwise convolution and the 1×1 convolution `packed` that alone reads it, band by
  /// band through `scratch` (`depthwisePointwiseScratch` floats per part).
  static func depthwiseThenPointwise(
    input: UnsafePointer<Float>, filter: UnsafePointer<Float>, bias: UnsafePointer<Float>,
    depthwise: WindowGeometry, depthwiseRelu6: Bool, packed: PackedGEMMWeights,
    output: UnsafeMutablePointer<Float>, relu6: Bool, scratch: UnsafeMutablePointer<Float>,
    part: Int, parts: Int)

  /// The scratch `depthwiseThenPointwise` needs per part, in floats.
  static func depthwisePointwiseScratch(_ geometry: WindowGeometry) -> Int

  /// Depthwise output rows per band of `depthwiseThenPointwise`.
  static func fusedBandRows(_ geometry: WindowGeometry) -> Int

  /// MAX_POOL_2D (any padding).
  static func maxPool2D(
    input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, geometry: WindowGeometry,
    relu6: Bool)

  /// ADD of two same-shaped tensors, then the activation.
  static func add(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
    count: Int, relu6: Bool, part: Int, parts: Int)

  /// PAD of a 4-D tensor with zeros.
  static func pad(
    input: UnsafePointer<Float>, inputShape: PadShape, output: UnsafeMutablePointer<Float>)

  /// RESIZE_BILINEAR (align_corners false, half-pixel centers).
  static func resizeBilinearHalfPixel(
    input: UnsafePointer<Float>, inputHeight: Int, inputWidth: Int, channels: Int,
    output: UnsafeMutablePointer<Float>, outputHeight: Int, outputWidth: Int, part: Int,
    parts: Int)

  /// DEPTH_TO_SPACE with block `block`.
  static func depthToSpace(
    input: UnsafePointer<Float>, inputHeight: Int, inputWidth: Int, inputChannels: Int,
    block: Int, output: UnsafeMutablePointer<Float>)

  /// Fills output rows `rows` of a crop's tensor: exactly the values of
  /// ``CropSamplingJob/samplePixels(row:columns:)``, several pixels at a time.
  static func sampleCrop(_ job: CropSamplingJob, rows: Range<Int>)

  /// Floating-point operations per second of this thread's CPU time in a register-only loop
  /// of `lanes`-wide (8 or 16) vectors: fused multiply-adds (2 operations per lane each) or
  /// separate multiplies and adds (one each), compiled for this set's instruction set.
  static func peakFLOPs(lanes: Int, fused: Bool, iterations: Int) -> Double
}

extension PoseKernelSet {
  /// The whole convolution on the calling thread.
  public static func conv2D(
    input: UnsafePointer<Float>, packed: PackedGEMMWeights, output: UnsafeMutablePointer<Float>,
    geometry: WindowGeometry, relu6: Bool, scratch: UnsafeMutablePointer<Float>
  ) {
    conv2D(
      input: input, packed: packed, output: output, geometry: geometry, relu6: relu6,
      scratch: scratch, part: 0, parts: 1)
  }

  /// The whole depthwise convolution on the calling thread.
  public static func depthwiseConv2D(
    input: UnsafePointer<Float>, filter: UnsafePointer<Float>, bias: UnsafePointer<Float>,
    output: UnsafeMutablePointer<Float>, geometry: WindowGeometry, relu6: Bool
  ) {
    depthwiseConv2D(
      input: input, filter: filter, bias: bias, output: output, geometry: geometry, relu6: relu6,
      part: 0, parts: 1)
  }

  /// The whole fused pair on the calling thread.
  public static func depthwiseThenPointwise(
    input: UnsafePointer<Float>, filter: UnsafePointer<Float>, bias: UnsafePointer<Float>,
    depthwise: WindowGeometry, depthwiseRelu6: Bool, packed: PackedGEMMWeights,
    output: UnsafeMutablePointer<Float>, relu6: Bool, scratch: UnsafeMutablePointer<Float>
  ) {
    depthwiseThenPointwise(
      input: input, filter: filter, bias: bias, depthwise: depthwise,
      depthwiseRelu6: depthwiseRelu6, packed: packed, output: output, relu6: relu6,
      scratch: scratch, part: 0, parts: 1)
  }

  /// The whole ADD on the calling thread.
  public static func add(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
    count: Int, relu6: Bool
  ) {
    add(a, b, output: output, count: count, relu6: relu6, part: 0, parts: 1)
  }

  /// The whole resize on the calling thread.
  public static func resizeBilinearHalfPixel(
    input: UnsafePointer<Float>, inputHeight: Int, inputWidth: Int, channels: Int,
    output: UnsafeMutablePointer<Float>, outputHeight: Int, outputWidth: Int
  ) {
    resizeBilinearHalfPixel(
      input: input, inputHeight: inputHeight, inputWidth: inputWidth, channels: channels,
      output: output, outputHeight: outputHeight, outputWidth: outputWidth, part: 0, parts: 1)
  }
}
