import ArgumentParser
import WorkoutStore

/// A local day on the command line (`history --since 2026-11-01`), checked when it is read.
extension LocalDay: CheckedArgument {
  // Public because LocalDay is: the conformance's default in CheckedArgument is internal.
  public init?(argument: String) { self.init(argument) }

  static func parse(_ text: String) throws(ArgumentRefusal) -> LocalDay {
    guard let day = LocalDay(text) else {
      throw ArgumentRefusal("must be a date YYYY-MM-DD (years 1900 to 9999)")
    }
    return day
  }
}
