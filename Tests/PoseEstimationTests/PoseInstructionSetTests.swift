import Foundation
import Testing

@testable import PoseEstimation

/// Which copy of the fast kernels runs (AVX2 or AVX-512): the CPU check against the kernel's
/// own view of the CPU, the `BUDDY_POSE_ISA` override, and the two copies' bit-identical
/// results on whole models.
@Suite("Pose kernel instruction sets")
struct PoseInstructionSetTests {
  @Test("the cpuid check agrees with the CPU flags Linux reports")
  func supportAgreesWithProcCPUInfo() throws {
    #if arch(x86_64) && os(Linux)
    let info = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
    let line = try #require(info.split(separator: "\n").first { $0.hasPrefix("flags") })
    let flags = Set(line.split(separator: " ").map(String.init))
    let avx2 = ["avx", "avx2", "fma", "f16c", "bmi1", "bmi2", "abm", "movbe", "popcnt"]
    let avx512 = [
      "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl", "avx512ifma", "avx512vbmi",
      "avx512_vbmi2", "avx512_vnni", "avx512_bitalg", "avx512_vpopcntdq", "avx512_bf16", "gfni",
      "vaes", "vpclmulqdq",
    ]
    let hasAVX2 = avx2.allSatisfy(flags.contains)
    let hasAVX512 = hasAVX2 && avx512.allSatisfy(flags.contains)
    #expect(PoseInstructionSet.avx2.isSupported == hasAVX2)
    #expect(PoseInstructionSet.avx512.isSupported == hasAVX512)
    #expect(PoseInstructionSet.avx512gemm8.isSupported == hasAVX512)
    // Zen 4 (AMD family 19h with AVX-512) runs the 8-lane AVX-512 copy, every other AVX-512
    // CPU the 16-lane one.
    let zen4 =
      info.contains("vendor_id\t: AuthenticAMD")
      && info.split(separator: "\n").contains { $0.hasPrefix("cpu family") && $0.hasSuffix(": 25") }
    let fastest: PoseInstructionSet = hasAVX512 ? (zen4 ? .avx512gemm8 : .avx512) : .avx2
    #expect(PoseInstructionSet.fastest == fastest)
    #else
    #expect(PoseInstructionSet.supported == [.avx2])
    #endif
  }

  @Test("without BUDDY_POSE_ISA the fastest supported set is chosen")
  func defaultIsTheFastest() throws {
    #expect(try PoseInstructionSet.requested(environment: [:], supported: [.avx2]) == .avx2)
    #expect(
      try PoseInstructionSet.requested(environment: [:], supported: [.avx2, .avx512]) == .avx512)
    #expect(
      try PoseInstructionSet.requested(
        environment: ["BUDDY_POSE_ISA": ""], supported: [.avx2, .avx512]) == .avx512)
    #expect(
      try PoseInstructionSet.requested(environment: [:], supported: [.avx2, .avx512, .avx512gemm8])
        == .avx512gemm8)
    #expect(try PoseInstructionSet.requested(environment: [:]) == PoseInstructionSet.fastest)
  }

  @Test("BUDDY_POSE_ISA is honoured when the CPU runs it")
  func overrideHonoured() throws {
    let both: [PoseInstructionSet] = [.avx2, .avx512gemm8, .avx512]
    #expect(
      try PoseInstructionSet.requested(environment: ["BUDDY_POSE_ISA": "avx2"], supported: both)
        == .avx2)
    #expect(
      try PoseInstructionSet.requested(environment: ["BUDDY_POSE_ISA": "AVX512"], supported: both)
        == .avx512)
    #expect(
      try PoseInstructionSet.requested(
        environment: ["BUDDY_POSE_ISA": "avx512-gemm8"], supported: both)
        == .avx512gemm8)
    for set in PoseInstructionSet.supported {
      #expect(
        try PoseInstructionSet.requested(environment: ["BUDDY_POSE_ISA": set.rawValue]) == set)
    }
  }

  @Test("a bad BUDDY_POSE_ISA value, or a set the CPU cannot run, is one clear error")
  func badOverrideRejected() {
    for value in ["sse4", "avx-512", "avx2 ", "x86-64-v4"] {
      let error = #expect(throws: PoseInstructionSetError.self) {
        try PoseInstructionSet.requested(
          environment: ["BUDDY_POSE_ISA": value], supported: [.avx2, .avx512])
      }
      #expect(
        error?.description
          == "BUDDY_POSE_ISA=\(value) is not an instruction set (use avx2, avx512 or avx512-gemm8)")
    }
    for set in ["avx512", "avx512-gemm8"] {
      let error = #expect(throws: PoseInstructionSetError.self) {
        try PoseInstructionSet.requested(environment: ["BUDDY_POSE_ISA": set], supported: [.avx2])
      }
      let text = error?.description ?? ""
      #expect(
        text.hasPrefix("BUDDY_POSE_ISA=\(set): this CPU (or its operating system) cannot run"))
      #expect(text.contains("AVX-512 F, CD") && !text.contains("\n"))
    }
  }

  @Test("both AVX-512 modules compile every AVX2 kernel file, through symbolic links")
  func avx512ModulesLinkEveryKernelFile() throws {
    let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")
    let manager = FileManager.default
    let avx2 = try manager.contentsOfDirectory(
      atPath: sources.appendingPathComponent("PoseKernelsAVX2").path)
    for module in ["PoseKernelsAVX512", "PoseKernelsAVX512Gemm8"] {
      let directory = sources.appendingPathComponent(module)
      #expect(try Set(manager.contentsOfDirectory(atPath: directory.path)) == Set(avx2))
      for name in avx2 {
        let link = try manager.destinationOfSymbolicLink(
          atPath: directory.appendingPathComponent(name).path)
        #expect(link == "../PoseKernelsAVX2/" + name, "\(module)/\(name)")
      }
    }
  }

  @Test("an executor runs the kernels it was planned with")
  func executorUsesTheGivenSet() throws {
    let interpreter = try PoseTestResources.interpreter(.detector)
    for set in PoseInstructionSet.supported {
      #expect(try TFLiteExecutor(interpreter, instructionSet: set).instructionSet == set)
    }
    #expect(try TFLiteExecutor(interpreter).instructionSet == PoseInstructionSet.active)
  }

  @Test(
    "both AVX-512 copies give bit for bit the AVX2 kernels' outputs on both models, 1 and 2 threads",
    .enabled(
      if: PoseInstructionSet.avx512.isSupported,
      "this CPU has no AVX-512: only the AVX2 kernels are tested"))
  func avx512EqualsAVX2() throws {
    for model in [PoseModelFiles.Model.detector, .landmarks] {
      let interpreter = try PoseTestResources.interpreter(model)
      var random = SplitMix64(state: model == .detector ? 41 : 42)
      let input = (0..<interpreter.inputShape.reduce(1, *)).map { _ in
        Float.random(in: -1...1, using: &random)
      }
      let expected = try TFLiteExecutor(interpreter, instructionSet: .avx2).run(input)
      for threads in [1, 2] {
        for set in [PoseInstructionSet.avx512, .avx512gemm8] {
          let team = threads > 1 ? ComputeThreads(count: threads) : nil
          let actual = try TFLiteExecutor(interpreter, threads: team, instructionSet: set)
            .run(input)
          for (position, (a, e)) in zip(actual, expected).enumerated() {
            #expect(
              a.values.map(\.bitPattern) == e.values.map(\.bitPattern),
              "\(set) \(model) output \(position), \(threads) threads")
          }
        }
      }
    }
  }
}
