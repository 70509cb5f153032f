internal import PoseKernelTypes

extension TFLiteExecutor {
  /// Folds each zero PAD of the height and width alone into the convolution that reads it:
  /// the convolution gets the PAD's input and the padding as its own top/left padding, and the
  /// PAD step is dropped. The kernels skip (depthwise) or zero-fill (im2col) the taps outside
  /// their input, which is exactly what reading the padded zeros did: an accumulator starts at
  /// +0 and adding a product of a zero never changes a float that is not −0, so results stay
  /// bit-identical, without writing and reading the padded copy (the landmark model pads
  /// 2.2 M values per inference this way: its input, and before every stride-2 depthwise).
  ///
  /// A PAD is folded only when its output is read by exactly one step, a CONV_2D or
  /// DEPTHWISE_CONV_2D with VALID padding whose window fits the unpadded input, and is not in
  /// `kept` (requested outputs). MAX_POOL_2D is never a target: its padding reads −∞, not 0.
  static func foldingZeroPadding(
    _ steps: [TFLiteInterpreter.ScheduledStep], kept: Set<Int>
  ) -> [TFLiteInterpreter.ScheduledStep] {
    var readers: [Int: Int] = [:]
    for step in steps {
      for tensor in inputTensors(of: step.step) { readers[tensor, default: 0] += 1 }
    }
    // PAD output tensor → its input, the rows and columns before and after, the unpadded size.
    var spatialPads: [Int: Padding] = [:]
    for step in steps {
      guard case .pad(let input, let shape, let before, let outputShape) = step.step,
        shape.count == 4, before.count == 4, outputShape.count == 4,
        before[0] == 0, before[3] == 0, shape[0] == outputShape[0], shape[3] == outputShape[3],
        readers[step.output] == 1, !kept.contains(step.output)
      else { continue }
      spatialPads[step.output] = Padding(
        input: input, top: before[1], left: before[2],
        bottom: outputShape[1] - shape[1] - before[1], right: outputShape[2] - shape[2] - before[2],
        height: shape[1], width: shape[2])
    }
    guard !spatialPads.isEmpty else { return steps }
    var folded: Set<Int> = []
    var result: [TFLiteInterpreter.ScheduledStep] = []
    for var step in steps {
      switch step.step {
      case .conv2D(let g, let activation, let input, let filter, let bias):
        if let pad = spatialPads[input], let geometry = unpadded(g, by: pad) {
          step.step = .conv2D(geometry, activation, input: pad.input, filter: filter, bias: bias)
          folded.insert(input)
        }
      case .depthwiseConv2D(let g, let activation, let input, let filter, let bias):
        if let pad = spatialPads[input], let geometry = unpadded(g, by: pad) {
          step.step = .depthwiseConv2D(
            geometry, activation, input: pad.input, filter: filter, bias: bias)
          folded.insert(input)
        }
      default:
        break
      }
      result.append(step)
    }
    return result.filter { !folded.contains($0.output) }
  }

  /// A zero PAD of the height and width.
  private struct Padding {
    var input: Int
    var top: Int
    var left: Int
    var bottom: Int
    var right: Int
    var height: Int
    var width: Int
  }

  /// `g` (VALID, over the padded input) as a window over the unpadded input with the padding
  /// as its own; nil when `g` has padding already, or a window could lie wholly in the padding
  /// (padding as wide as the kernel) or the window does not fit the unpadded input: the
  /// kernels' window bounds assume neither happens, as with SAME padding.
  private static func unpadded(_ g: WindowGeometry, by pad: Padding) -> WindowGeometry? {
    guard g.padTop == 0, g.padLeft == 0, pad.height >= g.kernelHeight,
      pad.width >= g.kernelWidth, pad.top < g.kernelHeight, pad.bottom < g.kernelHeight,
      pad.left < g.kernelWidth, pad.right < g.kernelWidth
    else { return nil }
    var geometry = g
    geometry.inputHeight = pad.height
    geometry.inputWidth = pad.width
    geometry.padTop = pad.top
    geometry.padLeft = pad.left
    return geometry
  }
}
