#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// The CPU time the calling thread has used: what benchmarks on a shared machine measure
/// (time the machine gives to other work does not count).
public enum ThreadCPUClock {
  /// The CPU time this thread has used, in seconds.
  public static func seconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
  }
}
