internal import PoseKernelTypes

/// The work and the time of one kind of layer in an executor's plan (`pose-bench roofline`).
public struct LayerKindProfile: Sendable {
  /// The kernel kind, as in `kernelTimes` ("conv 1x1", "depthwise 3x3", "add", …).
  public var kind: String
  /// Kernels of this kind per inference.
  public var layers: Int
  /// Multiply-adds per inference (nominal: every tap of every window, padding included, as
  /// the model's operators define them; 0 for kinds without multiply-adds).
  public var multiplyAdds: Int
  /// Sum over the kernels of this kind of each kernel's fastest run, in milliseconds of the
  /// calling thread's CPU time.
  public var milliseconds: Double
}

extension TFLiteExecutor {
  /// Runs the plan `runs` times on `input`, one kernel at a time on the calling thread, and
  /// returns per kernel kind the multiply-adds and the sum of each kernel's best time
  /// (thread CPU time, best of `runs` per kernel: both filter out the other work of a
  /// shared machine).
  /// Allocates: for the benchmark.
  public func layerProfile(_ input: UnsafeBufferPointer<Float>, runs: Int) throws(TFLiteModelError)
    -> [LayerKindProfile]
  {
    var best = [Double](repeating: .infinity, count: kernels.count)
    for _ in 0..<max(runs, 1) {
      try write(input, to: 0)
      for (index, kernel) in kernels.enumerated() {
        let start = ThreadCPUClock.seconds()
        execute(kernel)
        best[index] = min(best[index], ThreadCPUClock.seconds() - start)
      }
    }
    var profiles: [String: LayerKindProfile] = [:]
    for (index, kernel) in kernels.enumerated() {
      let kind = Self.kind(of: kernel)
      let milliseconds = best[index] * 1000
      profiles[
        kind, default: LayerKindProfile(kind: kind, layers: 0, multiplyAdds: 0, milliseconds: 0)
      ]
      .layers += 1
      profiles[kind]?.multiplyAdds += Self.multiplyAdds(of: kernel)
      profiles[kind]?.milliseconds += milliseconds
    }
    return profiles.values.sorted { $0.milliseconds > $1.milliseconds }
  }

  /// The nominal multiply-adds of one kernel call.
  static func multiplyAdds(of kernel: Kernel) -> Int {
    switch kernel {
    case .conv2D(_, let packed, _, let g, _):
      g.outputHeight * g.outputWidth * packed.k * packed.n
    case .depthwiseConv2D(_, _, _, _, let g, _):
      g.outputHeight * g.outputWidth * g.inputChannels * g.kernelHeight * g.kernelWidth
    case .depthwisePointwise(_, _, _, let g, _, let packed, _, _):
      g.outputHeight * g.outputWidth * g.inputChannels * (g.kernelHeight * g.kernelWidth + packed.n)
    default:
      0
    }
  }
}
