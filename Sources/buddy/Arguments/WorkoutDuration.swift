import ArgumentParser

/// The value of `record --duration`: how long a workout took, in whole seconds, at most 168 hours.
struct WorkoutDuration: CheckedArgument, Equatable {
  /// Seconds, 0 to `DurationText.maximumSeconds`.
  let seconds: Int

  static func parse(_ text: String) throws(ArgumentRefusal) -> WorkoutDuration {
    guard let seconds = DurationText.parse(text) else {
      throw ArgumentRefusal("must be a duration like 90s, 2m30s, 1h or 1:30, at most 168h")
    }
    return WorkoutDuration(seconds: seconds)
  }

  var defaultValueDescription: String { DurationText.clock(seconds) }
}
