import CMallocCounter
import Testing

@testable import PoseEstimation

/// The executor's promise: after planning, an inference allocates nothing on the heap.
/// Counted by CMallocCounter (malloc interposed in the test executable, per thread).
@Suite("Executor allocations")
struct ExecutorAllocationTests {
  @Test("the allocation counter sees this thread's allocations")
  func counterWorks() {
    let before = malloc_counter_thread_allocations()
    let array = [Int](repeating: 7, count: Int.random(in: 1000...2000))
    #expect(malloc_counter_thread_allocations() > before)
    #expect(array.count >= 1000)
  }

  @Test(
    "run allocates nothing after planning (both models, with and without segmentation)",
    arguments: [PoseModelFiles.Model.detector, .landmarks], [false, true])
  func zeroAllocations(model: PoseModelFiles.Model, skipSegmentation: Bool) throws {
    let interpreter = try PoseTestResources.interpreter(model)
    let executor =
      skipSegmentation
      ? try TFLiteExecutor.withoutSegmentation(interpreter) : try TFLiteExecutor(interpreter)
    var random = SplitMix64(seed: 21)
    let input = random.floats(count: interpreter.inputShape.reduce(1, *), in: 0...1)
    try input.withUnsafeBufferPointer { buffer in
      let before = malloc_counter_thread_allocations()
      for _ in 0..<3 { try executor.run(buffer) }
      let allocations = malloc_counter_thread_allocations() - before
      #expect(allocations == 0, "\(model): \(allocations) allocations in 3 runs")
      let sum = executor.withOutput(0) { $0.reduce(0, +) }
      #expect(sum.isFinite)
    }
  }

  @Test(
    "with a team of threads, outputs are bit-identical to one thread and run allocates nothing",
    arguments: [PoseModelFiles.Model.detector, .landmarks], [2, 3])
  func threadedRuns(model: PoseModelFiles.Model, threads: Int) throws {
    let interpreter = try PoseTestResources.interpreter(model)
    let single = try TFLiteExecutor(interpreter)
    let team = ComputeThreads(count: threads)
    let threaded = try TFLiteExecutor(interpreter, threads: team)
    #expect(threaded.chunks.contains { $0 > 1 }, "no kernel was split")
    var random = SplitMix64(seed: 22)
    for trial in 0..<3 {
      let input = random.floats(count: interpreter.inputShape.reduce(1, *), in: -1...1)
      let allocations = try input.withUnsafeBufferPointer { buffer in
        try single.run(buffer)
        let before = malloc_counter_thread_allocations()
        try threaded.run(buffer)
        return malloc_counter_thread_allocations() - before
      }
      #expect(allocations == 0, "\(model): \(allocations) allocations")
      for output in 0..<single.outputCount {
        let expected = single.withOutput(output) { Array($0) }
        let actual = threaded.withOutput(output) { Array($0) }
        #expect(actual == expected, "\(model) trial \(trial) output \(output)")
      }
    }
  }
}
