/// Counts bodyweight squats one frame at a time.
///
/// A value-type state machine like ``PushUpCounter``: feed it frames in time order with
/// ``consume(_:)``, which returns the repetitions completed by that frame, and call ``finish()``
/// at the end. It keeps no history, so memory does not grow with the session, and the same input
/// always gives the same output.
///
/// How it decides: each frame gives the hip height above the planted ankle (see
/// ``SquatSignals``), divided by a *standing leg length*: the largest hip–knee–ankle length seen
/// recently, which is the true leg length when the legs are straight and which the counter holds
/// still during a squat (from the front, the thighs shorten in the picture as they come towards
/// the camera). The result is about 1 when standing and 0.5–0.6 at the bottom of a deep squat in
/// any view, and it is smoothed with a time constant so the frame rate does not matter. As for
/// push-ups, a descent starts when the height falls ``Tuning/descentDrop`` below the highest point
/// since the last top, and the cycle completes when it has climbed back
/// ``Tuning/returnFraction`` of the way to that top, so the thresholds follow the range this
/// person moves through.
///
/// Absolute guards keep other movement out. A squat drops the hips at least
/// ``Tuning/minimumExcursion`` leg lengths and bends the knees at least
/// ``Tuning/minimumKneeBend`` (hopping and bobbing move the hips on straight legs), takes at least
/// ``Tuning/minimumDuration`` and at most ``Tuning/maximumCycle`` (sitting down), and leaves the
/// feet where they were (``Tuning/maximumStep``: a step or a walk is not a squat). A body
/// travelling across the picture (``Tuning/maximumTravel``) or not upright for longer than
/// ``Tuning/uprightGrace`` (a plank, lying down) abandons any cycle. A descent that begins before
/// a standing top was seen (``Tuning/standingHeight``, ``Tuning/standingAngle``: the recording
/// started mid-descent, or the person just walked in) only counts if it goes deep and ends
/// standing.
///
/// A completed cycle is a repetition when the knees bent to ``Tuning/partialAngle`` or the hips
/// dropped ``Tuning/partialDrop`` leg lengths; otherwise it is a partial one (a half squat). Its
/// ``Repetition/depth`` is that hip drop. Frames without a pose hold the state; a gap longer
/// than ``Tuning/maximumGap`` restarts the smoothing.
public struct SquatCounter: Sendable {
  /// The engine version, reported in summaries.
  public static let engineVersion = "squat/1"

  /// The numbers that shape the counter.
  public struct Tuning: Sendable, Equatable {
    /// Drop of the hip height (leg lengths) below the last top that starts a descent.
    public var descentDrop = 0.05
    /// Fraction of the way back up (from the bottom to the previous top) that completes a cycle.
    public var returnFraction = 0.8
    /// A climb of at least this fraction back up, followed by a new descent, also completes a
    /// cycle (the next squat started before the body stood fully up).
    public var reboundFraction = 0.6
    /// Smallest top-to-bottom drop of the hips (leg lengths) that is a squat at all: a half squat
    /// drops about 0.1, swaying and shifting weight about 0.02.
    public var minimumExcursion = 0.07
    /// A cycle must bend the knees at least this much (degrees below the top's knee angle), unless
    /// the hips dropped ``partialDrop``: hopping (jump rope) and bobbing move the hips a little on
    /// straight legs.
    public var minimumKneeBend = 10.0
    /// A cycle faster than this (seconds from the top to back up) is a hop, not a squat.
    public var minimumDuration = 0.4
    /// A cycle whose smallest knee angle reached this (degrees) counts. A half squat bottoms out
    /// at 125–140°, a squat to parallel at 85–100°.
    public var partialAngle = 120.0
    /// A cycle whose hips dropped at least this many leg lengths counts. A squat to a 120° knee
    /// angle drops the hips about 0.15 leg lengths and one to parallel about 0.3; from the front,
    /// where the knee angle is foreshortened and this alone decides, a rep must reach a
    /// knee angle of about 110°, and a half squat (0.05–0.12) stays partial in every view.
    public var partialDrop = 0.2
    /// Before the first top is seen, a descent only counts from a hip height of at least this many
    /// standing leg lengths above the feet (a standing body is at about 0.95)...
    public var standingHeight = 0.8
    /// ... and a knee angle of at least this (degrees).
    public var standingAngle = 145.0
    /// Travel across the picture (leg lengths per second, the slower of the hips and the feet)
    /// above which the person is walking.
    public var maximumTravel = 0.4
    /// Feet that moved more than this (standing leg lengths) between the top and the end of a
    /// cycle took a step: not a squat.
    public var maximumStep = 0.3
    /// A body that is not upright for longer than this (seconds) abandons the cycle.
    public var uprightGrace = 0.3
    /// A cycle longer than this (seconds) is not a squat (sitting down, kneeling).
    public var maximumCycle = 10.0
    /// Time constant (seconds) with which the standing leg length follows a shrinking body
    /// (walking away) outside a cycle.
    public var referenceRelease = 3.0
    /// Smoothing time constant, seconds.
    public var smoothing = 0.08
    /// Frames further apart than this (seconds) restart the smoothing.
    public var maximumGap = 0.5

    /// The default tuning.
    public init() {}
  }

  private struct Sample: Sendable {
    /// Hip height in standing leg lengths.
    var value: Double
    /// Knee angle, degrees (for recognising a standing top).
    var angle: Double
    /// Knee angle for judging depth (see ``SquatSignals/depthAngle``).
    var depth: Double
    /// How far the feet have travelled sideways since the counter started (signed, in standing
    /// leg lengths at the time of each move).
    var feet: Double
    var time: Double
  }

  private enum Phase: Sendable {
    /// No top seen yet (start, or after walking or a plank): track the highest point.
    case seeking(highest: Sample?)
    /// Standing at or near the top: track the highest point.
    case top(highest: Sample)
    /// Going down or coming back up; `rebound` is the highest point since `lowest`. A
    /// `provisional` cycle began before any standing top was seen (the recording or the track
    /// started mid-descent): it only counts if it gets deep and ends standing.
    case cycle(
      top: Sample, lowest: Sample, lowestAngle: Double, rebound: Sample?, provisional: Bool)
  }

  /// Samples this close to the highest one (leg lengths) still belong to the top (a standing
  /// pause); the descent is timed from the last of them.
  private static let plateau = 0.02

  /// The tuning in use.
  public let tuning: Tuning
  private let geometry: ImageGeometry
  private var phase: Phase = .seeking(highest: nil)
  private var smoother: ExponentialSmoother
  private var legSmoother: ExponentialSmoother
  private var travel: ExponentialSmoother
  /// The standing leg length, pixels.
  private var reference: Double?
  private var lastTime: Double?
  /// Hip and ankle midpoint positions of the previous frame, pixels.
  private var lastPosition: (hipX: Double, ankleX: Double)?
  /// Running sideways travel of the feet, standing leg lengths (see `Sample.feet`).
  private var feetTravel = 0.0
  /// When the body stopped looking upright (nil while it does).
  private var slumpedSince: Double?

  /// Frame statistics for the summary (its visibility is that of the leg joints).
  public private(set) var statistics = FrameStatistics()
  /// Time of the last frame in which a squat descent or ascent was in progress (the hips and knees
  /// already far enough down for a squat, see ``Tuning/minimumExcursion`` and
  /// ``Tuning/minimumKneeBend``), for exercise detection: standing plus knee-flexion cycles.
  public private(set) var lastCycleActivity: Double?
  /// Time of the last frame of a cycle whose hips are down at least ``Tuning/partialDrop`` leg
  /// lengths or whose knees are at most ``Tuning/partialAngle`` (deep enough to be a
  /// repetition), or that completed a repetition: strong detection evidence.
  public private(set) var lastDeepCycleActivity: Double?
  /// Time of the last frame that completed a repetition: the strongest detection evidence.
  public private(set) var lastRepActivity: Double?
  /// Time of the last frame whose hips were down at least ``unmistakableDrop`` standing leg
  /// lengths from the cycle's top: no hop, however the feet were tracked, lowers them so far.
  public private(set) var lastUnmistakableActivity: Double?
  /// A hip drop (standing leg lengths) only a squat makes.
  public static let unmistakableDrop = 0.35
  /// Whether the last frame with a pose showed a standing or squatting body (not a plank).
  public private(set) var upright = false

  /// A counter for images of `geometry` (use `.normalised` when the size is unknown).
  public init(geometry: ImageGeometry = .normalised, tuning: Tuning = Tuning()) {
    self.geometry = geometry
    self.tuning = tuning
    smoother = ExponentialSmoother(timeConstant: tuning.smoothing, maximumGap: tuning.maximumGap)
    legSmoother = ExponentialSmoother(timeConstant: tuning.smoothing, maximumGap: tuning.maximumGap)
    travel = ExponentialSmoother(timeConstant: 0.4, maximumGap: tuning.maximumGap)
  }

  /// Consumes the next frame and returns the repetitions it completed (usually none).
  public mutating func consume(_ frame: PoseFrame) -> [RepEvent] {
    statistics.record(time: frame.time)
    let time = frame.time
    guard time.isFinite, let signals = SquatSignals(frame: frame, geometry: geometry) else {
      return []
    }
    statistics.recordPose(armVisibility: signals.legVisibility)
    upright = signals.upright
    let previousTime = lastTime
    lastTime = time
    guard signals.upright else {
      // Travel is measured between upright frames only.
      lastPosition = nil
      travel.reset()
      let since = slumpedSince ?? time
      slumpedSince = since
      if time - since > tuning.uprightGrace {
        abandon()
        smoother.reset()
      }
      return []
    }
    slumpedSince = nil

    let elapsed = previousTime.map { time - $0 } ?? .infinity
    let fresh = !(elapsed <= tuning.maximumGap)
    let leg = legSmoother.update(signals.legLength, at: time)
    let standingLeg = updateReference(leg: leg, elapsed: fresh ? 0 : max(0, elapsed))

    // Travel: the slower of the hips and the feet, so hips swinging back over planted feet (a
    // fast squat seen from the side) is not walking, nor a foot stepping on the spot.
    var speed = 0.0
    if !fresh, elapsed > 0, let lastPosition {
      let hips = abs(signals.hipX - lastPosition.hipX)
      let feet = signals.ankleX - lastPosition.ankleX
      // At most a brisk walk: a one-frame jump is the tracker switching people, not travel.
      speed = min(2.5, min(hips, abs(feet)) / elapsed / standingLeg)
      let move = feet / standingLeg
      if move.isFinite { feetTravel += min(1, max(-1, move)) }
    }
    lastPosition = (signals.hipX, signals.ankleX)
    let travelling = travel.update(speed.isFinite ? speed : 0, at: time) > tuning.maximumTravel
    if travelling {
      abandon()
    }

    let value = smoother.update(signals.height(reference: standingLeg), at: time)
    guard !travelling else { return [] }
    let sample = Sample(
      value: value, angle: signals.kneeAngle, depth: signals.depthAngle, feet: feetTravel,
      time: time)
    let events = step(sample)
    if !events.isEmpty {
      lastCycleActivity = time
      if events.contains(where: { if case .rep = $0 { true } else { false } }) {
        lastDeepCycleActivity = time
        lastRepActivity = time
      }
    } else if case .cycle(let top, let lowest, let lowestAngle, _, _) = phase,
      isSquat(drop: top.value - lowest.value, kneeBend: top.angle - lowestAngle)
    {
      lastCycleActivity = time
      if top.value - sample.value >= tuning.partialDrop || sample.depth <= tuning.partialAngle {
        lastDeepCycleActivity = time
      }
      if top.value - sample.value >= Self.unmistakableDrop {
        lastUnmistakableActivity = time
      }
    }
    return events
  }

  /// Ends the session. A cycle still in progress is not a repetition, so this returns no events;
  /// it exists so callers need not change when a counter learns to flush something.
  public mutating func finish() -> [RepEvent] {
    phase = .seeking(highest: nil)
    return []
  }

  /// Forgets any cycle in progress; the next one starts from a new top.
  private mutating func abandon() {
    phase = .seeking(highest: nil)
  }

  /// Updates the standing leg length with this frame's (smoothed) `leg` and returns it. It rises
  /// at once to a longer leg, and outside a cycle drifts down towards a shorter one (the person
  /// stepped back); during a cycle it holds, because from the front the legs only look shorter.
  private mutating func updateReference(leg: Double, elapsed: Double) -> Double {
    guard var standing = reference, standing.isFinite, standing > 0 else {
      reference = leg
      return leg
    }
    if leg >= standing {
      standing = leg
    } else if case .cycle = phase {
      // Hold.
    } else {
      standing -= (standing - leg) * min(1, elapsed / tuning.referenceRelease)
    }
    reference = standing
    return standing
  }

  private mutating func step(_ sample: Sample) -> [RepEvent] {
    switch phase {
    case .seeking(let highest):
      guard var highest, highest.value >= sample.value else {
        phase = .seeking(highest: sample)
        return []
      }
      if sample.value >= highest.value - Self.plateau {
        // Still on the standing plateau: the descent starts later than the highest sample.
        highest.time = sample.time
        highest.angle = max(highest.angle, sample.angle)
        phase = .seeking(highest: highest)
      }
      if sample.value < highest.value - tuning.descentDrop {
        // A descent from a standing top is a cycle; one that started lower (the recording began
        // mid-descent) is provisional.
        let standing =
          highest.value >= tuning.standingHeight && highest.angle >= tuning.standingAngle
        phase = .cycle(
          top: highest, lowest: sample, lowestAngle: sample.depth, rebound: nil,
          provisional: !standing)
      }
      return []

    case .top(var highest):
      if sample.value >= highest.value {
        phase = .top(highest: sample)
      } else if sample.value >= highest.value - Self.plateau {
        highest.time = sample.time
        phase = .top(highest: highest)
      } else if sample.value < highest.value - tuning.descentDrop {
        phase = .cycle(
          top: highest, lowest: sample, lowestAngle: sample.depth, rebound: nil,
          provisional: false)
      }
      return []

    case .cycle(let top, var lowest, var lowestAngle, var rebound, let provisional):
      guard sample.time - top.time <= tuning.maximumCycle else {
        // Down too long to be a squat: sitting, kneeling, tying a shoe.
        phase = .seeking(highest: sample)
        return []
      }
      let excursion = top.value - lowest.value
      if !provisional, let peak = rebound,
        peak.value >= lowest.value + tuning.reboundFraction * excursion,
        sample.value < peak.value - tuning.descentDrop
      {
        // Came most of the way up but went down again before reaching the old top: the next
        // squat began early. This one ends at that turn, and the next starts there.
        phase = .cycle(
          top: peak, lowest: sample, lowestAngle: sample.depth, rebound: nil, provisional: false)
        return event(
          top: top, lowest: lowest, end: peak, depthAngle: lowestAngle, provisional: false)
      }
      lowestAngle = min(lowestAngle, sample.depth)
      if sample.value < lowest.value {
        lowest = sample
        rebound = nil
      } else if sample.value > rebound?.value ?? -Double.infinity {
        rebound = sample
      }
      let range = top.value - lowest.value
      var back = sample.value >= lowest.value + tuning.returnFraction * range
      if provisional {
        // No real top to return to: the body must be standing again.
        back =
          back && sample.value >= tuning.standingHeight && sample.angle >= tuning.standingAngle
      }
      guard back else {
        phase = .cycle(
          top: top, lowest: lowest, lowestAngle: lowestAngle, rebound: rebound,
          provisional: provisional)
        return []
      }
      phase = .top(highest: sample)
      return event(
        top: top, lowest: lowest, end: sample, depthAngle: lowestAngle, provisional: provisional)
    }
  }

  /// The event for a finished cycle, or none when the hips hardly moved, the feet moved (a step
  /// or a walk, not a squat), or a provisional cycle was shallow.
  private func event(
    top: Sample, lowest: Sample, end: Sample, depthAngle: Double, provisional: Bool
  ) -> [RepEvent] {
    let drop = max(top.value, end.value) - lowest.value
    guard isSquat(drop: drop, kneeBend: top.angle - depthAngle),
      end.time - top.time >= tuning.minimumDuration,
      abs(end.feet - top.feet) <= tuning.maximumStep
    else { return [] }
    let repetition = Repetition(
      start: top.time, bottom: lowest.time, end: end.time, depthAngle: depthAngle, depth: drop)
    let deep = depthAngle <= tuning.partialAngle || drop >= tuning.partialDrop
    guard deep || !provisional else { return [] }
    return [deep ? .rep(repetition) : .partial(repetition)]
  }

  /// Whether a movement that dropped the hips `drop` leg lengths and bent the knees `kneeBend`
  /// degrees is a squat (deep or partial) at all.
  private func isSquat(drop: Double, kneeBend: Double) -> Bool {
    drop >= tuning.minimumExcursion
      && (kneeBend >= tuning.minimumKneeBend || drop >= tuning.partialDrop)
  }
}

extension SquatCounter: RepCounter {
  /// The evidence of a deep cycle still in progress: just under a run of hops' 1.
  public static let pendingEvidence = 0.9

  /// A standing body in a knee-flexion cycle within the last second: 1 when a repetition
  /// completed (``lastRepActivity``) or the hips are down ``unmistakableDrop`` leg lengths (a
  /// deep squat that noisy feet make look like hops: squat-correct-010 from our own pose),
  /// ``pendingEvidence`` while a cycle is deep enough to be one
  /// but not back up (``lastDeepCycleActivity``), 0.5 for a shallower one (a half squat,
  /// ``lastCycleActivity``). Squats come before jump rope in the catalogue, so a frame both claim
  /// at full strength (a deep squat's rising hips, which the rope counter takes for a hop) is a
  /// squat frame; a hop's landing bends the knees and lowers the hips too, but not that far, and
  /// a shallow cycle's 0.5 loses to the rope's 1 (measured on the real rope clips, where
  /// side-view bouncing had looked like squats). A cycle that never comes back up loses to a run
  /// of hops: a speed skipper steps with knees bent (one lifted knee bent past 120°, or both
  /// bent while leaning forward), which looks like a squat held at the bottom.
  public func detectionEvidence(posture: Posture, time: Double) -> Double {
    guard posture == .upright, upright else { return 0 }
    if let rep = lastRepActivity, time - rep <= 1.0 { return 1 }
    if let low = lastUnmistakableActivity, time - low <= 1.0 { return 1 }
    if let deep = lastDeepCycleActivity, time - deep <= 1.0 { return Self.pendingEvidence }
    if let last = lastCycleActivity, time - last <= 1.0 { return 0.5 }
    return 0
  }

  /// The smoothed hip height (standing leg lengths above the feet, see ``SquatSignals``) on a
  /// gauge from ``traceRange``: standing at the top (``RepPhase/up``) the low line is where a
  /// descent starts; in a cycle (``RepPhase/down``) the high line is where it completes. Before
  /// a standing top, and while the body is not upright, the phase is ``RepPhase/idle``.
  public var trace: RepTrace? {
    guard upright, let value = smoother.value else { return RepTrace(phase: .idle) }
    func gauge(low: Double?, high: Double?) -> RepTrace.Gauge {
      RepTrace.Gauge(value: value, low: low, high: high, range: Self.traceRange)
    }
    switch phase {
    case .seeking(let highest):
      let standing = highest.map {
        $0.value >= tuning.standingHeight && $0.angle >= tuning.standingAngle
      }
      return RepTrace(
        phase: standing == true ? .up : .idle,
        gauge: gauge(low: highest.map { $0.value - tuning.descentDrop }, high: nil))
    case .top(let highest):
      return RepTrace(phase: .up, gauge: gauge(low: highest.value - tuning.descentDrop, high: nil))
    case .cycle(let top, let lowest, _, _, let provisional):
      var back = lowest.value + tuning.returnFraction * (top.value - lowest.value)
      if provisional { back = max(back, tuning.standingHeight) }
      return RepTrace(phase: .down, gauge: gauge(low: nil, high: back))
    }
  }

  /// The hip heights the gauge of ``trace`` spans: about 0.95 standing, 0.5–0.6 at the bottom of
  /// a deep squat.
  public static let traceRange = 0.3...1.1
}
