import ArgumentParser
import PoseEstimation

/// `--threads` of the commands that run the pose models (pose, count, record).
enum PoseThreads {
  /// The default: every CPU this process may run on (its affinity mask), up to 4.
  static var defaultCount: Int { min(4, ComputeThreads.availableCores) }

  /// Checks the option's value (1 to 64).
  static func validate(_ threads: Int) throws {
    guard (1...64).contains(threads) else { throw ValidationError("--threads must be 1 to 64") }
  }

  /// The option's help.
  static let help =
    "Threads for JPEG and video input: they share each frame's pose work (same results for any number), and with 2 or more a reader decodes the next frames meanwhile and the two models load side by side at the start. A landmark file of 8 MiB or more is parsed by that many threads, counted in order (same counts and error messages as 1). The default is the number of CPUs this process may use, at most 4."
}
