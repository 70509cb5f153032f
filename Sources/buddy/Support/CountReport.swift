import RepCounting

/// How `buddy count` prints a session summary.
enum CountReport {
  /// One line: `push-up: 14 reps (1 partial) in 0:31, cadence 27/min`.
  static func text(_ summary: SessionSummary) -> String {
    var line = "\(summary.exercise): \(summary.reps) rep\(summary.reps == 1 ? "" : "s")"
    if summary.partialReps > 0 {
      line += " (\(summary.partialReps) partial)"
    }
    if summary.reps > 0 {
      let seconds = Int(summary.activeDuration.rounded())
      let padded = seconds % 60 < 10 ? "0\(seconds % 60)" : "\(seconds % 60)"
      line += " in \(seconds / 60):\(padded), cadence \(Int(summary.cadence.rounded()))/min"
    }
    return line
  }

  /// The JSON object for scripts.
  static func json(_ summary: SessionSummary, file: String) -> JSON.Value {
    func detail(_ repetition: Repetition) -> JSON.Value {
      .object([
        ("start", .number(rounded(repetition.start))),
        ("bottom", .number(rounded(repetition.bottom))),
        ("end", .number(rounded(repetition.end))),
        ("depth_angle", .number(rounded(repetition.depthAngle, places: 1))),
      ])
    }
    return .object([
      ("file", .string(file)),
      ("exercise", .string(summary.exercise)),
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
    ])
  }

  private static func rounded(_ value: Double, places: Int = 3) -> Double {
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    return (value * scale).rounded() / scale
  }
}
