// Measures the pose runtime: `pose-bench model-reference [iterations]` runs both
// BlazePose models with the reference kernels and prints milliseconds per inference.
// Build in release (scripts/bench.sh does).
import Foundation
import PoseEstimation

func milliseconds(_ duration: Duration) -> Double {
  let parts = duration.components
  return Double(parts.seconds) * 1000 + Double(parts.attoseconds) / 1e15
}

func benchmark(_ model: PoseModelFiles.Model, files: PoseModelFiles, iterations: Int) throws {
  let clock = ContinuousClock()
  var interpreter: TFLiteInterpreter?
  let load = try clock.measure {
    interpreter = try TFLiteInterpreter(model: try files.load(model))
  }
  guard let interpreter else { return }
  let count = interpreter.inputShape.reduce(1, *)
  var generator = SystemRandomNumberGenerator()
  let input = (0..<count).map { _ in Float.random(in: 0...1, using: &generator) }
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

let arguments = CommandLine.arguments.dropFirst()
guard arguments.first == "model-reference" else {
  FileHandle.standardError.write(Data("usage: pose-bench model-reference [iterations]\n".utf8))
  exit(64)
}
let iterations = max(arguments.dropFirst().first.flatMap { Int($0) } ?? 5, 1)
let files = PoseModelFiles(environment: ProcessInfo.processInfo.environment)
do {
  for model in PoseModelFiles.Model.allCases {
    try benchmark(model, files: files, iterations: iterations)
  }
} catch {
  FileHandle.standardError.write(Data("pose-bench: \(error)\n".utf8))
  exit(78)
}
