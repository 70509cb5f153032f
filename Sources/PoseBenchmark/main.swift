// Measures the pose runtime. Build in release (scripts/bench.sh does).
//   pose-bench model [iterations]            fast executor: both models (the landmark model
//                                            with and without its segmentation branch),
//                                            median ms after a warm-up, allocations per
//                                            inference; one JSON object per line
//   pose-bench model-reference [iterations]  the reference kernels, ms per inference
//   pose-bench pipeline DIR FPS THREADS [ROUNDS]  PosePipeline.process over a clip's JPEG
//                                            frames (decoded beforehand): pure inference,
//                                            and ms per frame of each stage (JPEG decode,
//                                            crops, models, post-processing)
//   pose-bench roofline [runs]               the CPU's fused and unfused peak, and per model
//                                            and layer kind the multiply-adds, GFLOP/s and
//                                            fraction of the peak (Roofline.swift)
// BUDDY_POSE_ISA=avx2|avx512 chooses the kernels (default: the fastest this CPU runs; exit 78
// for a set it cannot run); every mode reports which ran ("instruction_set").
import CMallocCounter
import Foundation
import PoseEstimation

func milliseconds(_ duration: Duration) -> Double {
  let parts = duration.components
  return Double(parts.seconds) * 1000 + Double(parts.attoseconds) / 1e15
}

func randomInput(count: Int) -> [Float] {
  var generator = SystemRandomNumberGenerator()
  return (0..<count).map { _ in Float.random(in: 0...1, using: &generator) }
}

func benchmarkReference(_ model: PoseModelFiles.Model, files: PoseModelFiles, iterations: Int)
  throws
{
  let clock = ContinuousClock()
  var interpreter: TFLiteInterpreter?
  let load = try clock.measure {
    interpreter = try TFLiteInterpreter(model: try files.load(model))
  }
  guard let interpreter else { return }
  let input = randomInput(count: interpreter.inputShape.reduce(1, *))
  _ = try interpreter.run(input)  // warm-up
  var times: [Double] = []
  for _ in 0..<iterations {
    times.append(milliseconds(try clock.measure { _ = try interpreter.run(input) }))
  }
  times.sort()
  let median = times[times.count / 2]
  print(
    String(
      format:
        "%@: load %.0f ms, %d compute ops, inference median %.1f ms (min %.1f, max %.1f, n=%d)",
      model.rawValue, milliseconds(load), interpreter.computeOperatorCount, median, times[0],
      times[times.count - 1], iterations))
}

/// Times `executor.run` (median and minimum of `iterations` after 5 warm-up runs) and
/// counts the heap allocations of this thread during the timed runs.
func benchmarkFast(
  name: String, interpreter: TFLiteInterpreter, executor: TFLiteExecutor, loadMilliseconds: Double,
  iterations: Int
) throws {
  let input = randomInput(count: interpreter.inputShape.reduce(1, *))
  let clock = ContinuousClock()
  var times = [Double](repeating: 0, count: iterations)
  try input.withUnsafeBufferPointer { buffer in
    for _ in 0..<5 { try executor.run(buffer) }
    let before = malloc_counter_thread_allocations()
    for i in 0..<iterations {
      let start = clock.now
      try executor.run(buffer)
      times[i] = milliseconds(clock.now - start)
    }
    let allocations = malloc_counter_thread_allocations() - before
    times.sort()
    let line: [String: Any] = [
      "name": name,
      "median_ms": times[iterations / 2],
      "min_ms": times[0],
      "max_ms": times[iterations - 1],
      "iterations": iterations,
      "allocations_per_inference": Double(allocations) / Double(iterations),
      "running_ops": executor.runningOperatorCount,
      "folded_ops": executor.foldedOperatorCount,
      "folded_pads": executor.foldedPadCount,
      "load_ms": loadMilliseconds,
      "instruction_set": executor.instructionSet.rawValue,
    ]
    let data = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
    if ProcessInfo.processInfo.environment["BUDDY_BENCH_BREAKDOWN"] != nil {
      var best: [String: Double] = [:]
      for _ in 0..<10 {
        for (kind, ms) in try executor.kernelTimes(buffer) {
          best[kind] = min(best[kind] ?? .infinity, ms)
        }
      }
      for (kind, ms) in best.sorted(by: { $0.value > $1.value }) {
        FileHandle.standardError.write(
          Data(String(format: "  %@ %@: %.2f ms\n", name, kind, ms).utf8))
      }
    }
  }
}

/// Checks that the allocation counter sees this thread's allocations (it only does when
/// the executable's malloc interposes the C library's).
func allocationCounterWorks() -> Bool {
  let before = malloc_counter_thread_allocations()
  let array = [Int](repeating: 1, count: Int.random(in: 1000...2000))
  return malloc_counter_thread_allocations() > before && array.count > 0
}

func benchmarkModels(files: PoseModelFiles, iterations: Int) throws {
  guard allocationCounterWorks() else {
    throw BenchmarkError(message: "the malloc counter does not see allocations")
  }
  let clock = ContinuousClock()
  for model in PoseModelFiles.Model.allCases {
    var interpreter: TFLiteInterpreter?
    var executor: TFLiteExecutor?
    let load = try clock.measure {
      let checked = try TFLiteInterpreter(model: try files.load(model))
      executor = try TFLiteExecutor(checked)
      interpreter = checked
    }
    guard let interpreter, let executor else { return }
    let name = model == .detector ? "detector" : "landmarks_full"
    try benchmarkFast(
      name: name, interpreter: interpreter, executor: executor,
      loadMilliseconds: milliseconds(load), iterations: iterations)
    if model == .landmarks {
      let start = clock.now
      let skipping = try TFLiteExecutor.withoutSegmentation(interpreter)
      try benchmarkFast(
        name: "landmarks_no_segmentation", interpreter: interpreter, executor: skipping,
        loadMilliseconds: milliseconds(clock.now - start), iterations: iterations)
    }
    // The same plans on a team of two threads (when this process may use two CPUs).
    if ComputeThreads.availableCores >= 2 {
      let team = ComputeThreads(count: 2)
      let start = clock.now
      let threaded =
        model == .detector
        ? try TFLiteExecutor(interpreter, threads: team)
        : try TFLiteExecutor.withoutSegmentation(interpreter, threads: team)
      try benchmarkFast(
        name: (model == .detector ? "detector" : "landmarks_no_segmentation") + "_2_threads",
        interpreter: interpreter, executor: threaded,
        loadMilliseconds: milliseconds(clock.now - start), iterations: iterations)
    }
  }
}

struct BenchmarkError: Error {
  var message: String
}

/// PoseEstimation is compiled for AVX2 on x86-64 (Package.swift). This executable is not,
/// so it can say so instead of dying with an illegal instruction.
func cpuLacksAVX2() -> Bool {
  #if arch(x86_64) && os(Linux)
  guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
    let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
  else { return false }
  return !flags.split(separator: " ").contains("avx2")
  #else
  return false
  #endif
}

if cpuLacksAVX2() {
  FileHandle.standardError.write(
    Data("pose-bench: this CPU has no AVX2; the pose kernels are built for it\n".utf8))
  exit(69)
}

// BUDDY_POSE_ISA=avx2|avx512 chooses the kernels (default: the fastest this CPU runs).
do {
  _ = try PoseInstructionSet.requested(environment: ProcessInfo.processInfo.environment)
} catch {
  FileHandle.standardError.write(Data("pose-bench: \(error)\n".utf8))
  exit(78)
}

let arguments = Array(CommandLine.arguments.dropFirst())
let usage =
  "usage: pose-bench model|model-reference [iterations] | pipeline DIR FPS THREADS [ROUNDS]"
  + " | roofline [runs]\n"
guard let mode = arguments.first,
  ["model", "model-reference", "pipeline", "roofline"].contains(mode)
else {
  FileHandle.standardError.write(Data(usage.utf8))
  exit(64)
}
let defaultIterations = mode == "model" ? 50 : mode == "roofline" ? 30 : 5
let iterations = max(arguments.dropFirst().first.flatMap { Int($0) } ?? defaultIterations, 1)
let files = PoseModelFiles(environment: ProcessInfo.processInfo.environment)
do {
  if mode == "pipeline" {
    try benchmarkPipeline(Array(arguments.dropFirst()), files: files)
  } else if mode == "roofline" {
    try roofline(files: files, runs: iterations)
  } else if mode == "model" {
    try benchmarkModels(files: files, iterations: iterations)
  } else {
    for model in PoseModelFiles.Model.allCases {
      try benchmarkReference(model, files: files, iterations: iterations)
    }
  }
} catch {
  FileHandle.standardError.write(Data("pose-bench: \(error)\n".utf8))
  exit(78)
}
