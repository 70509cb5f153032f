import Foundation
import PoseEstimation

/// `pose-bench pipeline DIR FPS THREADS [ROUNDS]`: pure inference on a clip's frames. The
/// JPEGs in DIR are decoded first (untimed) and the pipeline is loaded (untimed); then
/// `PosePipeline.process` runs over all frames in tracking mode, ROUNDS times (default 3) on
/// a fresh pipeline each, and one JSON line gives the best and median total milliseconds, wall
/// clock and process CPU time (helpers that spin between kernels count in the latter).
/// `stages` gives, per stage, the fewest milliseconds per frame of any round (wall clock, and
/// the calling thread's CPU time), `jpeg decode` included (the frames' bytes decoded from
/// memory as `buddy pose` does, ROUNDS times).
func benchmarkPipeline(_ arguments: [String], files: PoseModelFiles) throws {
  guard arguments.count >= 3, let fps = Double(arguments[1]), fps > 0, fps <= 1000,
    let threads = Int(arguments[2]), (1...64).contains(threads)
  else {
    throw BenchmarkError(message: "usage: pose-bench pipeline DIR FPS THREADS [ROUNDS]")
  }
  let rounds = max(arguments.dropFirst(3).first.flatMap { Int($0) } ?? 3, 1)
  let directory = arguments[0]
  let names = try FileManager.default.contentsOfDirectory(atPath: directory)
    .filter { $0.lowercased().hasSuffix(".jpg") }.sorted()
  guard !names.isEmpty else { throw BenchmarkError(message: "no JPEG files in \(directory)") }
  let decoder = JPEGDecoder()
  let frameBytes = try names.map { name in
    guard let data = FileManager.default.contents(atPath: directory + "/" + name) else {
      throw BenchmarkError(message: "cannot read \(name)")
    }
    return [UInt8](data)
  }
  var images: [RGBImage] = []
  var decodeWall = Double.infinity
  var decodeCPU = Double.infinity
  for _ in 0..<rounds {
    let wall = ContinuousClock.now
    let cpu = threadCPUMilliseconds()
    images = try frameBytes.map { try decoder.decode($0) }
    decodeWall = min(decodeWall, milliseconds(ContinuousClock.now - wall))
    decodeCPU = min(decodeCPU, threadCPUMilliseconds() - cpu)
  }
  let clock = ContinuousClock()
  var totals: [Double] = []
  var cpuTotals: [Double] = []
  var found = 0
  var stageWall: [String: Double] = ["jpeg decode": decodeWall / Double(images.count)]
  var stageCPU: [String: Double] = ["jpeg decode": decodeCPU / Double(images.count)]
  for _ in 0..<rounds {
    var pipeline = try PosePipeline(models: files, mode: .tracking, threads: threads)
    pipeline.startTimingStages()
    found = 0
    let cpuStart = processCPUMilliseconds()
    let start = clock.now
    for (index, image) in images.enumerated() {
      if try pipeline.process(image, at: Double(index) / fps) != nil { found += 1 }
    }
    totals.append(milliseconds(clock.now - start))
    cpuTotals.append(processCPUMilliseconds() - cpuStart)
    if let times = pipeline.stageTimes {
      for stage in PoseStageTimes.Stage.allCases {
        let frames = Double(images.count)
        let wall = Double(times.wallNanoseconds[stage] ?? 0) / 1e6 / frames
        let cpu = Double(times.cpuNanoseconds[stage] ?? 0) / 1e6 / frames
        stageWall[stage.rawValue] = min(stageWall[stage.rawValue] ?? .infinity, wall)
        stageCPU[stage.rawValue] = min(stageCPU[stage.rawValue] ?? .infinity, cpu)
      }
    }
  }
  totals.sort()
  cpuTotals.sort()
  let line: [String: Any] = [
    "frames": images.count, "frames_with_pose": found, "threads": threads, "rounds": rounds,
    "instruction_set": PoseInstructionSet.active.description,
    "best_ms": totals[0], "median_ms": totals[totals.count / 2],
    "worst_ms": totals[totals.count - 1], "best_cpu_ms": cpuTotals[0],
    "median_cpu_ms": cpuTotals[cpuTotals.count / 2],
    "stages_ms_per_frame": stageWall.mapValues { ($0 * 1000).rounded() / 1000 },
    "stages_thread_cpu_ms_per_frame": stageCPU.mapValues { ($0 * 1000).rounded() / 1000 },
  ]
  let data = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
  print(String(decoding: data, as: UTF8.self))
}

/// The CPU time the calling thread has used, in milliseconds.
func threadCPUMilliseconds() -> Double {
  var time = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
  return Double(time.tv_sec) * 1000 + Double(time.tv_nsec) / 1e6
}

/// The CPU time this process has used, in milliseconds.
func processCPUMilliseconds() -> Double {
  var time = timespec()
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
  return Double(time.tv_sec) * 1000 + Double(time.tv_nsec) / 1e6
}
