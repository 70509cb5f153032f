import Foundation
import PoseEstimation

extension PosePipeline {
  /// The pipeline with its model load stages and first-frame milestones logged at debug level
  /// (`BUDDY_LOG=debug`); the milestones carry the wall-clock time in seconds since 1970, so
  /// `scripts/bench-startup.sh` can time them from the moment it started the process, and the
  /// CPU time the process has used so far (what start-up costs on a machine others share).
  func tracingStartup() -> PosePipeline {
    for times in loadTimes {
      Log.pose.debug("\(Self.describe(times))")
    }
    var pipeline = self
    pipeline.milestone = { point in
      var cpu = timespec()
      clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu)
      let cpuMilliseconds = Double(cpu.tv_sec) * 1000 + Double(cpu.tv_nsec) / 1e6
      let wall = String(format: "%.6f", Date().timeIntervalSince1970)
      let used = String(format: "%.1f", cpuMilliseconds)
      Log.pose.debug("startup: \(point.rawValue) at \(wall) (process CPU \(used) ms)")
    }
    return pipeline
  }

  /// One line of load stage times in milliseconds.
  static func describe(_ times: ModelLoadTimes) -> String {
    let stages: [(String, Double)] = [
      ("parse", times.parse), ("check", times.check), ("densify", times.densify),
      ("dequantize", times.dequantize), ("plan", times.plan), ("pack", times.pack),
      ("model hash", times.modelHash), ("cache map", times.cacheMap),
      ("cache write", times.cacheWrite),
    ]
    let text = stages.map { "\($0.0) \(String(format: "%.2f", $0.1))" }.joined(separator: ", ")
    return "load \(times.model.rawValue) (\(times.fromCache ? "warm" : "cold")): \(text) ms; "
      + "total \(String(format: "%.2f", times.total)) ms"
  }
}
