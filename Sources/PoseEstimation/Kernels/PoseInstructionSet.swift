internal import CCPUID
internal import Foundation
internal import PoseKernelTypes
internal import PoseKernelsAVX2
internal import PoseKernelsAVX512
internal import PoseKernelsAVX512Gemm8

/// The instruction sets the fast pose kernels are compiled for: the same sources in three
/// modules (`PoseKernelsAVX2`, `PoseKernelsAVX512`, `PoseKernelsAVX512Gemm8`, Package.swift),
/// one chosen at run time from the CPU (`active`) and called once per layer. All compute every
/// value with the same operations in the same order, so their results are bit-identical.
public enum PoseInstructionSet: String, Sendable, CaseIterable, CustomStringConvertible {
  /// `-target-cpu haswell`: AVX2 and FMA, 8-lane registers (Intel Haswell / AMD Zen 1 and
  /// newer). On other architectures this names the copy built for the default CPU.
  case avx2
  /// `-target-cpu znver4`: AVX-512, 16-lane registers, 32 of them (AMD Zen 4 / Zen 5, Intel
  /// Sapphire Rapids and newer: every AVX-512 subset znver4 may emit, see
  /// `ccpuid_supports_avx512`); the GEMM multiplies two 16-float panels at a time.
  case avx512
  /// `avx512` with the one-panel GEMM tiles of `avx2` (6 pixels × 16 channels; the depthwise
  /// kernels as in `avx512`): the same CPUs; the faster of the two on AMD Zen 4, which runs
  /// each 512-bit operation as two 256-bit halves (`ccpuid_splits_512_bit_vectors`).
  case avx512gemm8 = "avx512-gemm8"

  /// The environment variable that overrides the choice: `avx2`, `avx512` or `avx512-gemm8`.
  public static let environmentVariable = "BUDDY_POSE_ISA"

  /// The name people know: "AVX2", "AVX-512", and "AVX-512 gemm8" for the 8-lane GEMM copy.
  public var description: String {
    switch self {
    case .avx2: "AVX2"
    case .avx512: "AVX-512"
    case .avx512gemm8: "AVX-512 gemm8"
    }
  }

  /// True when this CPU (and its operating system) can run the kernels built for `self`.
  public var isSupported: Bool {
    Self.supported.contains(self)
  }

  /// The instruction sets this CPU can run, slowest first (of the two AVX-512 copies, the
  /// 8-lane one is the faster on Zen 4, the 16-lane one elsewhere).
  public static let supported: [PoseInstructionSet] = {
    #if arch(x86_64)
    var sets: [PoseInstructionSet] = []
    if ccpuid_supports_avx2() != 0 { sets.append(.avx2) }
    if ccpuid_supports_avx512() != 0 {
      sets +=
        ccpuid_splits_512_bit_vectors() != 0 ? [.avx512, .avx512gemm8] : [.avx512gemm8, .avx512]
    }
    return sets
    #else
    return [.avx2]
    #endif
  }()

  /// The fastest instruction set this CPU runs (AVX2 when it runs none: the caller checked
  /// for AVX2 before using the pose runtime).
  public static var fastest: PoseInstructionSet {
    supported.last ?? .avx2
  }

  /// The instruction set `environment` asks for (`BUDDY_POSE_ISA`), else the fastest this
  /// CPU runs. Throws for a value other than `avx2`/`avx512`, or for one this CPU cannot run
  /// (never an illegal instruction later).
  public static func requested(environment: [String: String]) throws(PoseInstructionSetError)
    -> PoseInstructionSet
  {
    try requested(environment: environment, supported: supported)
  }

  /// `requested(environment:)` on a CPU that runs `supported` (slowest first).
  static func requested(environment: [String: String], supported: [PoseInstructionSet])
    throws(PoseInstructionSetError) -> PoseInstructionSet
  {
    let fastest = supported.last ?? .avx2
    guard let value = environment[environmentVariable], !value.isEmpty else { return fastest }
    guard let requested = PoseInstructionSet(rawValue: value.lowercased()) else {
      throw PoseInstructionSetError(
        "\(environmentVariable)=\(value) is not an instruction set (use \(Self.choices))")
    }
    guard supported.contains(requested) else {
      throw PoseInstructionSetError(
        "\(environmentVariable)=\(value): this CPU (or its operating system) cannot run the "
          + "\(requested) pose kernels" + (requested == .avx2 ? "" : Self.avx512Subsets))
    }
    return requested
  }

  /// The values `BUDDY_POSE_ISA` takes, for the error message: "avx2, avx512 or avx512-gemm8".
  static var choices: String {
    let names = allCases.map(\.rawValue)
    return names.dropLast().joined(separator: ", ") + " or " + names[names.count - 1]
  }

  /// What the AVX-512 kernels need, for the error message.
  static let avx512Subsets =
    " (they need AVX-512 F, CD, BW, DQ, VL, IFMA, VBMI, VBMI2, VNNI, BITALG, VPOPCNTDQ, "
    + "BF16, GFNI, VAES and VPCLMULQDQ)"

  /// The instruction set executors use when none is given: `requested(environment:)` for
  /// this process's environment, chosen once; the fastest one when that throws (the CLI
  /// checks the variable first and refuses a bad value with exit 78).
  public static let active: PoseInstructionSet =
    (try? requested(environment: ProcessInfo.processInfo.environment)) ?? fastest

  /// The kernels compiled for this instruction set.
  var kernels: any PoseKernelSet.Type {
    switch self {
    case .avx2: PoseKernelsAVX2.FastKernels.self
    case .avx512: PoseKernelsAVX512.FastKernels.self
    case .avx512gemm8: PoseKernelsAVX512Gemm8.FastKernels.self
    }
  }

  /// Floating-point operations per second of this thread's CPU time in a register-only loop
  /// compiled for this instruction set (`PoseKernelSet.peakFLOPs`): for `pose-bench
  /// roofline`. Call it only for a supported set.
  public func peakFLOPs(lanes: Int, fused: Bool, iterations: Int) -> Double {
    kernels.peakFLOPs(lanes: lanes, fused: fused, iterations: iterations)
  }

  /// True when the convolutions of these kernels fuse their multiply-adds (`POSE_FMA`).
  public var fusesMultiplyAdds: Bool { kernels.fusesMultiplyAdds }
}
