import Foundation
import PoseEstimation

/// Checks that this CPU can run the pose kernels, and which copy of them runs.
enum CPUFeatures {
  /// PoseEstimation is compiled for AVX2 on x86-64 (Package.swift); the `buddy` target is not,
  /// so it can refuse with a clear message (exit 78) instead of dying on an illegal instruction.
  /// Then checks `BUDDY_POSE_ISA` (`avx2`, `avx512` or `avx512-gemm8`; exit 78 for another
  /// value or one this CPU cannot run) and notes the chosen kernels in the debug log.
  static func requirePoseKernels() throws {
    #if arch(x86_64) && os(Linux)
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
      let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
    else { return }
    if !flags.split(separator: " ").contains("avx2") {
      throw CLIError(
        .config,
        "pose estimation needs a CPU with AVX2 (Intel Haswell / AMD Zen or newer); this one has none"
      )
    }
    #endif
    do {
      let chosen = try PoseInstructionSet.requested(
        environment: ProcessInfo.processInfo.environment)
      Log.pose.debug(
        "pose kernels: \(chosen) (this CPU runs \(PoseInstructionSet.supported.map(\.description).joined(separator: ", ")))"
      )
    } catch {
      throw CLIError(.config, error.description)
    }
  }
}
