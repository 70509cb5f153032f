import RepCounting

/// How `buddy count` prints a session summary and, with `--follow`, each repetition.
enum CountReport {
  /// One line: `push-up: 14 reps (1 partial) in 0:31, cadence 27/min`,
  /// `jump-rope: 137 reps in 0:32 (4.3/s)`, or for a session that is neither exercise
  /// `none: 0 reps (no push-ups or jump rope detected)`.
  static func text(_ summary: SessionSummary) -> String {
    var line = "\(summary.exerciseName): \(summary.reps) rep\(summary.reps == 1 ? "" : "s")"
    guard let exercise = summary.exercise else {
      return line + " (no \(Exercise.pluralList) detected)"
    }
    if summary.partialReps > 0 {
      line += " (\(summary.partialReps) partial)"
    }
    if summary.reps > 0 {
      let seconds = wholeNumber(summary.activeDuration)
      line += " in \(seconds / 60):\(twoDigits(seconds % 60))"
      switch exercise.paceUnit {
      case .perSecond:
        let perSecond =
          summary.activeDuration > 0
          ? Double(summary.reps) / summary.activeDuration : 0
        line += " (\(rounded(perSecond, places: 1))/s)"
      case .perMinute:
        line += ", cadence \(wholeNumber(summary.cadence))/min"
      }
    }
    for other in summary.otherExercises {
      line += "; also \(other.exercise.name): \(other.reps) rep\(other.reps == 1 ? "" : "s")"
    }
    return line
  }

  /// The `--follow` text line for one event: `rep  12   0:27.4  push-up` (the time the rep
  /// completed, minutes:seconds of input, and the exercise, whose count it continues), or
  /// `partial   0:27.4  push-up`. The columns stay put up to rep 999 and 99 minutes.
  static func followLine(_ event: CountSession.Event) -> String {
    let time = padded(clock(event.event.repetition.end), to: 7)
    let exercise = event.exercise.name
    if case .partial = event.event { return "partial  \(time)  \(exercise)" }
    return "rep \(padded(String(event.number), to: 3))  \(time)  \(exercise)"
  }

  /// `text` right-aligned in `width` columns (longer text is left as it is).
  private static func padded(_ text: String, to width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
  }

  /// The `--follow` JSON Lines object for one event.
  static func followEvent(_ event: CountSession.Event) -> JSON.Value {
    let isRep: Bool
    if case .rep = event.event { isRep = true } else { isRep = false }
    var members: [(String, JSON.Value)] = [
      ("event", .string(isRep ? "rep" : "partial")),
      ("exercise", .string(event.exercise.rawValue)),
    ]
    if isRep { members.append(("rep", .integer(event.number))) }
    members.append(("time", .number(rounded(event.event.repetition.end))))
    // The input time of the frame that made the rep final (later than `time` for a first
    // landing, which waits for the second, and for reps that waited for exercise detection).
    members.append(("final_at", .number(rounded(event.releasedAt))))
    members.append(("detail", detail(event.event.repetition, exercise: event.exercise)))
    return .object(members)
  }

  /// The JSON object for scripts.
  static func json(_ summary: SessionSummary, file: String) -> JSON.Value {
    let detail = { (repetition: Repetition) in
      Self.detail(repetition, exercise: summary.exercise)
    }
    var members: [(String, JSON.Value)] = [
      ("file", .string(file)),
      ("exercise", .string(summary.exerciseName)),
    ]
    if let detected = summary.detected {
      members.append(
        (
          "detected",
          .object([
            ("exercise", .string(detected.exercise?.name ?? "none")),
            ("confidence", .number(rounded(detected.confidence, places: 2))),
          ])
        ))
    }
    members += [
      ("reps", .integer(summary.reps)),
      ("partial_reps", .integer(summary.partialReps)),
      ("duration_seconds", .number(rounded(summary.activeDuration))),
      ("clip_seconds", .number(rounded(summary.statistics.duration))),
      ("cadence_per_minute", .number(rounded(summary.cadence, places: 1))),
      ("confidence", .number(rounded(summary.confidence, places: 2))),
      ("frames", .integer(summary.statistics.frames)),
      ("frames_with_pose", .integer(summary.statistics.framesWithPose)),
      ("engine_version", .string(summary.engineVersion)),
      ("reps_detail", .array(summary.repetitions.map(detail))),
      ("partial_reps_detail", .array(summary.partials.map(detail))),
      (
        "other_exercises",
        .array(
          summary.otherExercises.map {
            .object([("exercise", .string($0.exercise.name)), ("reps", .integer($0.reps))])
          })
      ),
      ("notes", .array(summary.notes.map { .string($0) })),
    ]
    return .object(members)
  }

  /// One repetition: the exercise's fields from the catalogue (push-ups: start, bottom, end,
  /// depth angle; jump rope: landing, take-off, apex); unmeasured fields are left out.
  private static func detail(_ repetition: Repetition, exercise: Exercise?) -> JSON.Value {
    let fields = exercise?.repFields ?? [.start, .bottom, .end]
    return .object(
      fields.compactMap { field in
        field.value(of: repetition).map { (field.key, .number(rounded($0, places: field.places))) }
      })
  }

  /// `m:ss.t` for a time in seconds.
  private static func clock(_ seconds: Double) -> String {
    let tenths = wholeNumber(seconds * 10)
    let whole = tenths / 10
    return "\(whole / 60):\(twoDigits(whole % 60)).\(tenths % 10)"
  }

  /// `value` rounded to a whole number and clamped to `0...Int.max`, so an absurd value
  /// (which `PoseFrameSource` already refuses in input) can never trap.
  static func wholeNumber(_ value: Double) -> Int {
    let rounded = value.rounded()
    guard rounded > 0 else { return 0 }  // also NaN
    // Every Double below 2⁶³ is at most Int.max, so the conversion cannot trap.
    return rounded < 0x1p63 ? Int(rounded) : .max
  }

  private static func twoDigits(_ value: Int) -> String {
    value < 10 ? "0\(value)" : "\(value)"
  }

  private static func rounded(_ value: Double, places: Int = 3) -> Double {
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    return (value * scale).rounded() / scale
  }
}
