/// Counts one session end to end: exercise detection plus the counters, frame by frame.
///
/// The reusable core of `buddy count` (and of anything else that turns a landmark stream into a
/// ``SessionSummary``). A value type: feed frames with ``consume(_:)``, which returns the
/// repetitions that became final with that frame, in order, each numbered; call ``finish()`` at
/// the end and read ``summary``. Memory grows only with the number of repetitions, and each
/// frame costs the same however long the session has run: a released repetition is appended once
/// to its exercise's list and numbered from a running count, never by revisiting the history.
///
/// The session keeps one ``RepCounter`` per exercise of the catalogue (``Exercise/allCases``).
/// In ``Mode/auto`` every counter runs on every frame and an ``ExerciseDetector`` labels the
/// stream; a repetition is released once the label at its time is its exercise (so the first
/// ones wait for the detector's first decision, about ``ExerciseDetector/Tuning/decideAfter``
/// seconds of evidence), and dropped when a stretch turns out to be another exercise or neither.
/// The pre-roll — everything before the first stretch labelled with an exercise, undecided or
/// neither — belongs to that first exercise: its repetitions wait (at most
/// ``maximumPreRoll`` seconds of input) and are released, in order, the moment the exercise is
/// decided, so auto mode counts what a fixed exercise counts.
/// With a fixed exercise only that counter runs and repetitions are released at once; the
/// detector still runs, for the `detected` figures.
///
/// A video is decoded at ``Exercise/detectionVideoFPS`` in auto mode but at the exercise's own
/// ``Exercise/videoFPS`` when the exercise is named; `counterRates` then makes each counter see
/// the frames of its own rate (a ``FrameResampler`` per counter, ffmpeg's `fps` filter rule), so
/// the decided counter sees the frames, at the times, that the fixed count sees.
public struct CountSession: Sendable {
  /// What to count.
  public enum Mode: Sendable, Equatable {
    /// Detect the exercise.
    case auto
    /// Count this exercise whatever the detector thinks.
    case fixed(Exercise)
  }

  /// A repetition that became final.
  public struct Event: Sendable, Equatable {
    /// The exercise it belongs to.
    public var exercise: Exercise
    /// Its number among the counted repetitions of that exercise (1-based); 0 for a partial.
    public var number: Int
    /// The counter's event.
    public var event: RepEvent
    /// The frame time at which it became final.
    public var releasedAt: Double
  }

  /// How long (seconds of input) a repetition may wait for the detector to label its time once
  /// an exercise has been decided, before it is dropped: long enough for a stretch of
  /// demonstrations between two bouts of an exercise to turn out an interlude
  /// (jumprope-track-mixed: rope reps of 8.5 s released at the end, 15.8 s).
  static let maximumHold = 10.0
  /// How long (seconds of input) a repetition may wait while no exercise has been decided yet:
  /// the pre-roll buffer. Repetitions older than this when the first exercise is decided are
  /// dropped, so memory stays bounded however long a session stays undecided.
  public static let maximumPreRoll = 60.0

  /// The mode in use.
  public let mode: Mode
  /// One counter per exercise (``Exercise/index`` order); only the fixed one runs in a fixed
  /// mode, but all exist so the summary can read any.
  private var counters: [any RepCounter]
  /// Per exercise (same order): the resampler its frames go through in auto mode, if any.
  private var resamplers: [FrameResampler?]
  private var detector = ExerciseDetector()
  private var evidence = [Double](repeating: 0, count: Exercise.allCases.count)
  /// Events waiting for their label, each with the number of the counter call that returned it
  /// (``batches``): events returned together wait and are released together.
  private var pending: [(Exercise, RepEvent, batch: Int)] = []
  private var batches = 0
  /// Released events per exercise (``Exercise/allCases`` order), append-only.
  private var released = [[RepEvent]](repeating: [], count: Exercise.allCases.count)
  /// Counted repetitions per exercise (same order): the number the next one gets, less one.
  private var repCounts = [Int](repeating: 0, count: Exercise.allCases.count)
  private var lastTime = 0.0
  /// Work done by ``release(final:)``: events stored plus events already stored that were
  /// visited or copied. For the regression test that keeps counting linear in the repetitions.
  private(set) var releaseWork = 0

  /// A session for images of `geometry`. In auto mode, `counterRates` names the exercises whose
  /// counters are fed the frames resampled to a lower rate (frames per second): for a video
  /// decoded at ``Exercise/detectionVideoFPS``, each exercise's ``Exercise/videoFPS`` where that
  /// is lower, so auto mode counts the frames `--exercise` would (see ``FrameResampler``). A
  /// rate that is not positive and finite is ignored; fixed modes ignore them all.
  public init(
    mode: Mode, geometry: ImageGeometry = .normalised, counterRates: [Exercise: Double] = [:]
  ) {
    self.init(
      mode: mode, geometry: geometry, detectorTuning: ExerciseDetector.Tuning(),
      counterRates: counterRates)
  }

  /// A session whose detector has `detectorTuning` (tests make it decide late).
  init(
    mode: Mode, geometry: ImageGeometry, detectorTuning: ExerciseDetector.Tuning,
    counterRates: [Exercise: Double] = [:]
  ) {
    self.mode = mode
    counters = Exercise.allCases.map { $0.makeCounter(geometry: geometry) }
    detector = ExerciseDetector(tuning: detectorTuning)
    resamplers = Exercise.allCases.map { exercise in
      guard mode == .auto, let rate = counterRates[exercise], rate.isFinite, rate > 0 else {
        return nil
      }
      return FrameResampler(rate: rate)
    }
  }

  /// The detector's current label (`.some(nil)`: neither exercise; nil while undecided).
  public var currentLabel: Exercise?? { detector.current }

  /// The exercise ``trace`` describes: the fixed one, or the detector's current label (nil
  /// while it is undecided or sees neither exercise).
  public var tracedExercise: Exercise? {
    switch mode {
    case .fixed(let exercise): return exercise
    case .auto: return detector.current ?? nil
    }
  }

  /// The phase and thresholded signal of ``tracedExercise``'s counter after the frame just
  /// consumed (for drawing; see ``RepTrace``).
  public var trace: RepTrace? { tracedExercise.flatMap { counters[$0.index].trace } }

  /// Consumes the next frame; returns the repetitions that became final.
  public mutating func consume(_ frame: PoseFrame) -> [Event] {
    lastTime = frame.time
    let posture = Posture(frame)
    for exercise in Exercise.allCases {
      let index = exercise.index
      guard runs(exercise) else {
        evidence[index] = 0
        continue
      }
      if resamplers[index] == nil {
        feed(exercise, frame)
      } else {
        for own in resamplers[index]?.push(frame) ?? [] { feed(exercise, own) }
      }
      evidence[index] = counters[index].detectionEvidence(posture: posture, time: frame.time)
    }
    _ = detector.observe(time: frame.time, posture: posture, evidence: evidence)
    return release(final: false)
  }

  /// Ends the session; returns the repetitions still waiting that now become final.
  public mutating func finish() -> [Event] {
    for exercise in Exercise.allCases where runs(exercise) {
      let index = exercise.index
      for own in resamplers[index]?.finish() ?? [] { feed(exercise, own) }
      batches += 1
      for event in counters[index].finish() { pending.append((exercise, event, batches)) }
    }
    if mode == .auto { _ = detector.finish() }
    return release(final: true)
  }

  /// Feeds `frame` to `exercise`'s counter; its events wait in ``pending``.
  private mutating func feed(_ exercise: Exercise, _ frame: PoseFrame) {
    batches += 1
    for event in counters[exercise.index].consume(frame) {
      pending.append((exercise, event, batches))
    }
  }

  private func runs(_ exercise: Exercise) -> Bool {
    switch mode {
    case .auto: return true
    case .fixed(let fixed): return fixed == exercise
    }
  }

  private mutating func release(final: Bool) -> [Event] {
    guard !pending.isEmpty else { return [] }
    let verdicts = pending.map { verdict($0.0, $0.1, final: final) }
    // Events a counter returned together (a rope run's held landings with the landing that
    // confirms the run and starts its evidence) are one decision: when the last of them is
    // accepted, so are the others, whose times may lie just before its label's backdated start.
    var acceptedBatches = Set<Int>()
    for (entry, verdict) in zip(pending, verdicts) where verdict.accept {
      acceptedBatches.insert(entry.batch)
    }
    var out: [Event] = []
    var waiting: [(Exercise, RepEvent, batch: Int)] = []
    for (entry, verdict) in zip(pending, verdicts) {
      let (exercise, event, batch) = entry
      let accept = verdict.accept || (mode == .auto && acceptedBatches.contains(batch))
      if accept {
        let slot = exercise.index
        released[slot].append(event)
        releaseWork += 1
        var number = 0
        if case .rep = event {
          repCounts[slot] += 1
          number = repCounts[slot]
        }
        out.append(Event(exercise: exercise, number: number, event: event, releasedAt: lastTime))
      } else if !verdict.decided {
        waiting.append(entry)
      }
    }
    pending = waiting
    return out
  }

  /// Whether `event` of `exercise` is accepted now, and if not, whether it is decided (dropped)
  /// or waits.
  private func verdict(_ exercise: Exercise, _ event: RepEvent, final: Bool) -> (
    accept: Bool, decided: Bool
  ) {
    switch mode {
    case .fixed:
      return (true, true)
    case .auto:
      let time = event.repetition.end
      // At the end, a stream too short for any decision goes to the label with the most
      // evidence.
      let fallback = detector.segments.first.map(\.label) ?? detector.overall.map(\.label)
      var label = detector.label(at: time) ?? (final ? fallback : nil)
      let first = detector.firstExerciseSegment
      if let first, time < first.start, label == nil || label == .some(nil) {
        // The pre-roll (undecided, or neither before any exercise) belongs to the first
        // exercise decided: nothing counted while the detector gathered evidence is lost.
        label = .some(first.label)
      }
      let accept = label == .some(exercise) || isInterlude(at: time, within: exercise)
      let decided =
        final || lastTime - time > (first == nil ? Self.maximumPreRoll : Self.maximumHold)
      return (accept, decided)
    }
  }

  /// Whether `time` lies in a stretch that `exercise` comes before and after (the nearest
  /// stretches labelled with an exercise), labelled neither or labelled another exercise that
  /// counted no more repetitions there than `exercise`'s counter saw: a late switch and back
  /// (gym-routine's rope skipping briefly labelled squat, backdated over a rope rep still
  /// waiting for its label, the squat counting nothing) or demonstrations between two bouts
  /// (track-mixed: rope, neither, squat with 2 squats and 2 rope reps, rope). Such a stretch
  /// belongs to `exercise`, so its repetitions count as the fixed exercise counts them; the
  /// ones released before the switch stay, and so do the other exercise's. The session's first
  /// exercise stretch, when `exercise` comes after it and the other exercise counted no more
  /// there, belongs to `exercise` too: a false start (track-mixed at crf 32: the first two
  /// bounces' knee bends counted as one squat, decided at 1.6 s and backdated over the first
  /// two rope reps; rope takes over at 4.1 s, backdated only to 1.4 s).
  private func isInterlude(at time: Double, within exercise: Exercise) -> Bool {
    let segments = detector.segments
    guard let index = detector.segmentIndex(at: time), segments[index].label != exercise,
      let after = segments[(index + 1)...].first(where: { $0.label != nil }),
      after.label == exercise
    else { return false }
    guard let before = segments[..<index].last(where: { $0.label != nil }) else {
      // The session's first exercise stretch, overturned by `exercise`: a false start (a
      // compressed video's first bounces bending the knees like a squat, jumprope-track-mixed
      // at crf 32), when the other exercise counted no more there.
      return isOutcounted(index: index, by: exercise)
    }
    guard before.label == exercise else { return false }
    // A stretch of neither between two of `exercise` (rope held still between two bouts).
    guard segments[index].label != nil else { return true }
    return isOutcounted(index: index, by: exercise)
  }

  /// Whether in the stretch `segments[index]`, labelled with another exercise (or neither),
  /// that exercise counted no more repetitions than `exercise`'s counter saw (released or still
  /// waiting).
  private func isOutcounted(index: Int, by exercise: Exercise) -> Bool {
    let segments = detector.segments
    guard let other = segments[index].label else { return true }
    let start = segments[index].start
    let end = segments[index + 1].start
    func inside(_ event: RepEvent) -> Bool {
      guard case .rep(let repetition) = event else { return false }
      return repetition.end >= start && repetition.end < end
    }
    // Released repetitions are in time order: scan back to the stretch.
    func releasedInside(_ exercise: Exercise) -> Int {
      var count = 0
      for event in released[exercise.index].reversed() {
        if event.repetition.end < start { break }
        if inside(event) { count += 1 }
      }
      return count
    }
    let others = releasedInside(other)
    guard others > 0 else { return true }
    let own = releasedInside(exercise) + pending.count { $0.0 == exercise && inside($0.1) }
    return others <= own
  }

  /// The statistics of the counter that saw a pose in the most frames (for a session that is
  /// neither exercise).
  private var widestStatistics: FrameStatistics {
    counters.map(\.statistics).max { $0.framesWithPose < $1.framesWithPose } ?? FrameStatistics()
  }

  /// The summary of everything consumed so far.
  public var summary: SessionSummary {
    func reps(_ exercise: Exercise) -> Int { repCounts[exercise.index] }
    let counted: Exercise?
    switch mode {
    case .fixed(let exercise):
      counted = exercise
    case .auto:
      let best = Exercise.allCases.max { reps($0) < reps($1) }
      if let best, reps(best) > 0 {
        counted = best
      } else {
        counted = detector.overall?.label
      }
    }
    let detection = detector.overall.map { overall in
      // With repetitions counted, the detection names the counted exercise.
      let label = counted ?? overall.label
      return Detection(exercise: label, confidence: detector.confidence(of: label))
    }
    guard let counted else {
      var summary = SessionSummary(
        exercise: nil, events: [], statistics: widestStatistics, engineVersion: "none")
      summary.detected = detection ?? Detection(exercise: nil, confidence: 0)
      return summary
    }
    var summary = SessionSummary(
      exercise: counted, events: released[counted.index],
      statistics: counters[counted.index].statistics, engineVersion: counted.engineVersion)
    summary.detected = detection
    summary.otherExercises = Exercise.allCases.filter { $0 != counted && reps($0) > 0 }.map {
      ExerciseCount(exercise: $0, reps: reps($0))
    }
    let statistics = summary.statistics
    if statistics.frames > 10, statistics.duration > 0 {
      let fps = Double(statistics.frames - 1) / statistics.duration
      if fps < counted.minimumFPS {
        let shown = (fps * 10).rounded() / 10
        summary.notes.append(
          "input is \(shown) fps; \(counted.name) counting needs at least "
            + "\(Int(counted.minimumFPS)) fps \(counted.minimumFPSReason), so the count "
            + "may be low")
      }
    }
    return summary
  }
}
