internal import PoseKernelTypes

extension TFLiteExecutor {
  /// The smallest depthwise output (floats) worth fusing: smaller tensors stay in L1/L2
  /// between the two kernels anyway, and keep the 1×1 kernel's own split for a thread team.
  static let smallestFusedDepthwise = 16_384

  /// Positions in `steps` of the depthwise convolutions to run fused with the step after
  /// them (`Kernel.depthwisePointwise`): that step is a 1×1 stride-1 unpadded CONV_2D reading
  /// the depthwise output, nothing else reads it, it is not in `kept` (requested outputs),
  /// and it has at least `smallestFusedDepthwise` values.
  static func depthwisePointwisePairs(
    _ steps: [TFLiteInterpreter.ScheduledStep], kept: Set<Int>
  ) -> Set<Int> {
    var readers: [Int: Int] = [:]
    for step in steps {
      for tensor in inputTensors(of: step.step) { readers[tensor, default: 0] += 1 }
    }
    var pairs: Set<Int> = []
    for position in steps.indices.dropLast() {
      let step = steps[position]
      guard case .depthwiseConv2D = step.step,
        case .conv2D(let g, _, let input, _, _) = steps[position + 1].step,
        g.isPointwise, input == step.output, readers[step.output] == 1,
        !kept.contains(step.output), step.outputCount >= smallestFusedDepthwise
      else { continue }
      pairs.insert(position)
    }
    return pairs
  }
}
