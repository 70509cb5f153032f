/// Sizes and offsets of a 2-D window operation on a batch-1 NHWC tensor (spec §c.1–c.2).
public struct WindowGeometry: Sendable, Equatable {
  public var inputHeight: Int
  public var inputWidth: Int
  public var inputChannels: Int
  public var outputHeight: Int
  public var outputWidth: Int
  public var outputChannels: Int
  public var kernelHeight: Int
  public var kernelWidth: Int
  public var strideHeight: Int
  public var strideWidth: Int
  public var padTop: Int
  public var padLeft: Int

  /// Every size and offset, in the order of the properties.
  public init(
    inputHeight: Int, inputWidth: Int, inputChannels: Int, outputHeight: Int, outputWidth: Int,
    outputChannels: Int, kernelHeight: Int, kernelWidth: Int, strideHeight: Int,
    strideWidth: Int, padTop: Int, padLeft: Int
  ) {
    self.inputHeight = inputHeight
    self.inputWidth = inputWidth
    self.inputChannels = inputChannels
    self.outputHeight = outputHeight
    self.outputWidth = outputWidth
    self.outputChannels = outputChannels
    self.kernelHeight = kernelHeight
    self.kernelWidth = kernelWidth
    self.strideHeight = strideHeight
    self.strideWidth = strideWidth
    self.padTop = padTop
    self.padLeft = padLeft
  }

  /// Output size and top/left padding of one spatial dimension (tflite:kernels/padding.h),
  /// dilation 1: SAME `ceil(n / s)`, VALID `(n - k + s) / s`; the total SAME padding is
  /// split with the odd pixel at the bottom/right.
  public static func outputSize(input: Int, kernel: Int, stride: Int, same: Bool) -> (
    size: Int, padBefore: Int
  ) {
    let size = same ? (input + stride - 1) / stride : (input - kernel + stride) / stride
    guard same else { return (size, 0) }
    let total = max((size - 1) * stride + kernel - input, 0)
    return (size, total / 2)
  }

  /// True for a 1×1 stride-1 convolution without padding (a plain GEMM).
  public var isPointwise: Bool {
    kernelHeight == 1 && kernelWidth == 1 && strideHeight == 1 && strideWidth == 1
      && padTop == 0 && padLeft == 0
  }
}
