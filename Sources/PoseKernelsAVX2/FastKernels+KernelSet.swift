import PoseKernelTypes

/// This module's kernels as the executor calls them, once per layer.
extension FastKernels: PoseKernelSet {
  public static func peakFLOPs(lanes: Int, fused: Bool, iterations: Int) -> Double {
    ArithmeticPeak.flops(lanes: lanes, fused: fused, iterations: iterations)
  }
}
