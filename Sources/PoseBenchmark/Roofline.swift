import Dispatch
import Foundation
import PoseEstimation

/// `pose-bench roofline [runs]`: this CPU's arithmetic peak (fused and unfused, one thread
/// and two) and, per model and per layer kind, the multiply-adds per inference, the time
/// (each layer's best of `runs` in thread CPU time, summed), the achieved GFLOP/s and the
/// fraction of the peak; then each model's whole inference (wall clock, one thread and
/// two) against the peak. A Markdown report on stdout.
func roofline(files: PoseModelFiles, runs: Int) throws {
  let active = PoseInstructionSet.active
  let peaks = PoseInstructionSet.supported.map { ($0, measurePeak($0)) }
  let peak = peaks.first { $0.0 == active }?.1 ?? measurePeak(active)
  print("## Roofline (`pose-bench roofline`, \(runs) runs)")
  print()
  print(
    "Kernels in use: **\(active)** (\(PoseInstructionSet.environmentVariable)="
      + "\(ProcessInfo.processInfo.environment[PoseInstructionSet.environmentVariable] ?? "")"
      + "; this CPU runs \(PoseInstructionSet.supported.map(\.description).joined(separator: ", ")))."
  )
  print()
  print(
    "Peak of this CPU (register-only loops compiled for each instruction set, best of 5, per"
      + " second of thread CPU time; the % columns below use the peak of the kernels in use):"
  )
  print()
  print("| instruction set | vector | loop | 1 thread GFLOP/s | 2 threads GFLOP/s |")
  print("| --- | --- | --- | --- | --- |")
  for (set, measured) in peaks {
    let vector = "\(lanes(set)) lanes (\(set == .avx512 ? "zmm" : "ymm"))"
    let mark = set == active ? " (in use)" : ""
    print(
      String(
        format: "| %@%@ | %@ | fused multiply-add (vfmadd) | %.1f | %.1f |", set.description,
        mark, vector, measured.fused / 1e9, measured.fusedTwo / 1e9))
    print(
      String(
        format: "| %@%@ | %@ | separate multiply + add | %.1f | %.1f |", set.description, mark,
        vector, measured.unfused / 1e9, measured.unfusedTwo / 1e9))
  }
  print()
  print("Per layer kind, \(active) kernels:")
  print()
  print(
    "| model | layer kind | layers | MMAC/inference | ms | GFLOP/s | % of fused peak | % of unfused peak |"
  )
  print("| --- | --- | --- | --- | --- | --- | --- | --- |")
  var wholeRows: [String] = []
  for model in PoseModelFiles.Model.allCases {
    let interpreter = try TFLiteInterpreter(model: try files.load(model))
    let executor =
      model == .detector
      ? try TFLiteExecutor(interpreter) : try TFLiteExecutor.withoutSegmentation(interpreter)
    let name = model == .detector ? "detector" : "landmarks (no segmentation)"
    let input = randomInput(count: interpreter.inputShape.reduce(1, *))
    let profile = try input.withUnsafeBufferPointer { buffer in
      try executor.layerProfile(buffer, runs: runs)
    }
    var totalWork = 0
    var totalMilliseconds = 0.0
    for kind in profile {
      totalWork += kind.multiplyAdds
      totalMilliseconds += kind.milliseconds
      print(row(name, kind.kind, "\(kind.layers)", kind.multiplyAdds, kind.milliseconds, peak))
    }
    let layers = profile.reduce(0) { $0 + $1.layers }
    print(row(name, "**all layers**", "\(layers)", totalWork, totalMilliseconds, peak))

    // The whole inference as the pipeline runs it, on one thread and on a team of two.
    let one = try wallMilliseconds(executor, input: input, runs: runs)
    wholeRows.append(wholeRow(name, "1", totalWork, one, peak.fused, peak.unfused))
    if ComputeThreads.availableCores >= 2 {
      let team = ComputeThreads(count: 2)
      let threaded =
        model == .detector
        ? try TFLiteExecutor(interpreter, threads: team)
        : try TFLiteExecutor.withoutSegmentation(interpreter, threads: team)
      let two = try wallMilliseconds(threaded, input: input, runs: runs)
      wholeRows.append(wholeRow(name, "2", totalWork, two, peak.fusedTwo, peak.unfusedTwo))
    }
  }
  print()
  print(
    "Whole inference (wall clock, median and best of \(runs); element-wise layers and hand-overs",
    "included; GFLOP/s and % from the best):")
  print()
  print(
    "| model | threads | MMAC | median ms | best ms | GFLOP/s | % of fused peak | % of unfused peak |"
  )
  print("| --- | --- | --- | --- | --- | --- | --- | --- |")
  for line in wholeRows { print(line) }
}

struct Peak {
  var fused: Double
  var unfused: Double
  var fusedTwo: Double
  var unfusedTwo: Double
}

/// The vector width the kernels of `set` use: 16 floats in a zmm register, else 8 in a ymm.
func lanes(_ set: PoseInstructionSet) -> Int {
  set == .avx512 ? 16 : 8
}

/// Best of 5 rounds of each loop (~0.15 s of CPU each) compiled for `set`, on vectors of its
/// register width, on one thread and on two at once.
func measurePeak(_ set: PoseInstructionSet) -> Peak {
  let iterations = 50_000_000
  let width = lanes(set)
  func best(_ body: () -> Double) -> Double { (0..<5).map { _ in body() }.max() ?? 0 }
  let rate: @Sendable (_ fused: Bool) -> Double = { fused in
    set.peakFLOPs(lanes: width, fused: fused, iterations: iterations)
  }
  _ = set.peakFLOPs(lanes: width, fused: true, iterations: iterations / 10)  // clock ramp-up
  let fused = best { rate(true) }
  let unfused = best { rate(false) }
  var fusedTwo = 0.0
  var unfusedTwo = 0.0
  if ComputeThreads.availableCores >= 2 {
    fusedTwo = best { twoThreads { rate(true) } }
    unfusedTwo = best { twoThreads { rate(false) } }
  }
  return Peak(fused: fused, unfused: unfused, fusedTwo: fusedTwo, unfusedTwo: unfusedTwo)
}

/// The sum of `body`'s rates run on two threads at the same time.
func twoThreads(_ body: @escaping @Sendable () -> Double) -> Double {
  let rates = UnsafeMutableBufferPointer<Double>.allocate(capacity: 2)
  defer { rates.deallocate() }
  nonisolated(unsafe) let shared = rates
  DispatchQueue.concurrentPerform(iterations: 2) { index in shared[index] = body() }
  return rates[0] + rates[1]
}

/// The median and the best wall-clock time of `runs` inferences after 5 warm-up runs.
func wallMilliseconds(_ executor: TFLiteExecutor, input: [Float], runs: Int) throws -> (
  median: Double, best: Double
) {
  let clock = ContinuousClock()
  var times: [Double] = []
  try input.withUnsafeBufferPointer { buffer in
    for _ in 0..<5 { try executor.run(buffer) }
    for _ in 0..<max(runs, 1) {
      let start = clock.now
      try executor.run(buffer)
      times.append(milliseconds(clock.now - start))
    }
  }
  times.sort()
  return (times[times.count / 2], times[0])
}

func row(
  _ model: String, _ kind: String, _ layers: String, _ multiplyAdds: Int, _ ms: Double, _ peak: Peak
) -> String {
  let megaMACs = Double(multiplyAdds) / 1e6
  guard multiplyAdds > 0, ms > 0 else {
    return String(format: "| %@ | %@ | %@ | – | %.2f | – | – | – |", model, kind, layers, ms)
  }
  let flops = 2 * Double(multiplyAdds) / (ms / 1000)
  return String(
    format: "| %@ | %@ | %@ | %.1f | %.2f | %.1f | %.0f %% | %.0f %% |", model, kind, layers,
    megaMACs, ms, flops / 1e9, 100 * flops / peak.fused, 100 * flops / peak.unfused)
}

func wholeRow(
  _ model: String, _ threads: String, _ multiplyAdds: Int, _ ms: (median: Double, best: Double),
  _ fused: Double, _ unfused: Double
) -> String {
  let flops = 2 * Double(multiplyAdds) / (ms.best / 1000)
  return String(
    format: "| %@ | %@ | %.1f | %.2f | %.2f | %.1f | %.0f %% | %.0f %% |", model, threads,
    Double(multiplyAdds) / 1e6, ms.median, ms.best, flops / 1e9, 100 * flops / fused,
    100 * flops / unfused)
}
