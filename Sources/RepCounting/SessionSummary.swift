/// What a counted session amounts to.
public struct SessionSummary: Sendable, Equatable {
  /// The exercise counted; nil when the session showed none.
  public var exercise: Exercise?
  /// Counted repetitions, in order.
  public var repetitions: [Repetition]
  /// Partial repetitions (not counted), in order.
  public var partials: [Repetition]
  /// Frame totals.
  public var statistics: FrameStatistics
  /// The counter's engine version.
  public var engineVersion: String
  /// What exercise detection concluded (nil when it did not run).
  public var detected: Detection?
  /// Other exercises counted in the same session (a mixed session), with their reps.
  public var otherExercises: [ExerciseCount] = []
  /// Warnings about the input, e.g. a frame rate too low for the exercise.
  public var notes: [String] = []

  /// Builds a summary from the events a counter returned and its statistics.
  public init(
    exercise: Exercise?, events: [RepEvent], statistics: FrameStatistics, engineVersion: String
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

  /// The exercise's name, or `none`.
  public var exerciseName: String { exercise?.name ?? "none" }

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
  /// mean visibility of the arms (for jump rope, whose counter needs hips and feet, the share
  /// of frames with those).
  public var confidence: Double {
    guard statistics.frames > 0 else { return 0 }
    let coverage = Double(statistics.framesWithPose) / Double(statistics.frames)
    return coverage * statistics.meanArmVisibility
  }
}

/// The outcome of exercise detection: a label (an exercise, or `none`) and how sure it is.
public struct Detection: Sendable, Equatable {
  /// The exercise, or nil for neither (`none` in output).
  public var exercise: Exercise?
  /// The share of the session's posture-and-motion evidence that supports it (0...1).
  public var confidence: Double

  /// Makes a detection result.
  public init(exercise: Exercise?, confidence: Double) {
    self.exercise = exercise
    self.confidence = confidence
  }
}

/// An exercise and the repetitions counted for it.
public struct ExerciseCount: Sendable, Equatable {
  public var exercise: Exercise
  public var reps: Int

  /// Makes a count.
  public init(exercise: Exercise, reps: Int) {
    self.exercise = exercise
    self.reps = reps
  }
}
