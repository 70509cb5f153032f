/// What a counted session amounts to.
public struct SessionSummary: Sendable, Equatable {
  /// The exercise counted, e.g. `push-up`.
  public var exercise: String
  /// Counted repetitions, in order.
  public var repetitions: [Repetition]
  /// Partial repetitions (not counted), in order.
  public var partials: [Repetition]
  /// Frame totals.
  public var statistics: FrameStatistics
  /// The counter's engine version.
  public var engineVersion: String

  /// Builds a summary from the events a counter returned and its statistics.
  public init(
    exercise: String, events: [RepEvent], statistics: FrameStatistics, engineVersion: String
  ) {
    self.exercise = exercise
    self.statistics = statistics
    self.engineVersion = engineVersion
    var repetitions: [Repetition] = []
    var partials: [Repetition] = []
    for event in events {
      switch event {
      case .rep(let repetition): repetitions.append(repetition)
      case .partial(let repetition): partials.append(repetition)
      }
    }
    self.repetitions = repetitions
    self.partials = partials
  }

  /// The number of counted repetitions.
  public var reps: Int { repetitions.count }

  /// The number of partial repetitions.
  public var partialReps: Int { partials.count }

  /// Seconds from the start of the first repetition to the end of the last (0 without reps).
  public var activeDuration: Double {
    guard let first = repetitions.first, let last = repetitions.last else { return 0 }
    return max(0, last.end - first.start)
  }

  /// Repetitions per minute over the active duration (0 without reps).
  public var cadence: Double {
    activeDuration > 0 ? Double(reps) * 60 / activeDuration : 0
  }

  /// A 0–1 figure for how much to trust the count: the share of frames with a pose times the
  /// mean visibility of the arms.
  public var confidence: Double {
    guard statistics.frames > 0 else { return 0 }
    let coverage = Double(statistics.framesWithPose) / Double(statistics.frames)
    return coverage * statistics.meanArmVisibility
  }
}
