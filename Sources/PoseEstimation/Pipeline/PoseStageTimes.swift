#if canImport(Glibc)
internal import Glibc
#endif

/// Where a pipeline's frames spent their time, stage by stage (for `pose-bench pipeline`):
/// wall-clock time and the calling thread's CPU time of each stage, summed over the frames
/// since timing started. Off unless asked for (`PosePipeline.startTimingStages()`).
public struct PoseStageTimes: Sendable {
  /// One stage of a frame.
  public enum Stage: String, Sendable, CaseIterable {
    /// The letterboxed 224 × 224 detector input cut out of the image.
    case detectorInput = "detector input"
    /// The detector model.
    case detectorModel = "detector model"
    /// Box decoding and weighted non-maximum suppression.
    case detections
    /// The rotated 256 × 256 crop of the region of interest.
    case landmarkInput = "landmark input"
    /// The landmark model.
    case landmarkModel = "landmark model"
    /// Decoding, heatmap refinement, projection, smoothing and tracking.
    case landmarks
  }

  /// Wall-clock nanoseconds per stage.
  public private(set) var wallNanoseconds: [Stage: Int] = [:]
  /// Nanoseconds of the calling thread's CPU time per stage (helper threads not included).
  public private(set) var cpuNanoseconds: [Stage: Int] = [:]
  /// Frames processed since timing started.
  public internal(set) var frames = 0

  /// A stage that started at `start` ends now.
  mutating func end(_ stage: Stage, startedAt start: Instant) -> Instant {
    let now = Instant.now
    wallNanoseconds[stage, default: 0] += now.wall - start.wall
    cpuNanoseconds[stage, default: 0] += now.cpu - start.cpu
    return now
  }

  /// A point in time on both clocks.
  struct Instant {
    var wall: Int
    var cpu: Int

    static var now: Instant {
      Instant(wall: nanoseconds(CLOCK_MONOTONIC), cpu: nanoseconds(CLOCK_THREAD_CPUTIME_ID))
    }

    private static func nanoseconds(_ clock: clockid_t) -> Int {
      var time = timespec()
      clock_gettime(clock, &time)
      return time.tv_sec * 1_000_000_000 + time.tv_nsec
    }
  }
}
