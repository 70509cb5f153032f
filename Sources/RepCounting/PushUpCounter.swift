/// Counts push-ups one frame at a time.
///
/// A value-type state machine: feed it frames in time order with ``consume(_:)``, which returns
/// the repetitions completed by that frame, and call ``finish()`` at the end. It keeps no
/// history, so memory does not grow with the session, and the same input always gives the same
/// output.
///
/// How it decides: each frame gives an *extension* signal (elbow angle and shoulder lift, see
/// ``PushUpSignals``), smoothed with a time constant so the frame rate does not matter. A
/// descent starts when the signal falls ``Tuning/descentDrop`` below the highest point since
/// the last top; the cycle completes when it has climbed back ``Tuning/returnFraction`` of the
/// way from its lowest point to that top. The thresholds are therefore relative to the range
/// this person actually moves through, not fixed angles. A completed cycle whose lowest elbow
/// angle stayed above ``Tuning/partialAngle`` is a partial rep. Frames without a pose hold
/// the state; an upright body (walking in or out, standing up) abandons any cycle in progress.
public struct PushUpCounter: Sendable {
  /// The engine version, reported in summaries.
  public static let engineVersion = "push-up/1"

  /// The numbers that shape the counter.
  public struct Tuning: Sendable, Equatable {
    /// Drop of the extension signal below the last top that starts a descent.
    public var descentDrop = 0.08
    /// Fraction of the way back up (from the bottom to the previous top) that completes a cycle.
    public var returnFraction = 0.8
    /// A climb of at least this fraction back up, followed by a new descent, also completes a
    /// cycle (the lockout got lower than the previous top).
    public var reboundFraction = 0.55
    /// Smallest top-to-bottom range of the extension signal that is a movement at all.
    public var minimumExcursion = 0.10
    /// A cycle whose smallest elbow angle stays above this (degrees) is partial.
    public var partialAngle = 110.0
    /// Before the first top is seen, a descent only counts from an elbow angle at least this.
    public var firstTopAngle = 125.0
    /// Smoothing time constant, seconds.
    public var smoothing = 0.06
    /// Frames further apart than this (seconds) restart the smoothing.
    public var maximumGap = 0.5

    /// The default tuning.
    public init() {}
  }

  private struct Sample: Sendable {
    var value: Double
    /// Elbow angle (for recognising a top).
    var angle: Double
    /// Elbow angle for judging depth (see ``PushUpSignals/depthAngle``).
    var depth: Double
    var time: Double
  }

  private enum Phase: Sendable {
    /// No top seen yet (start, or after the person stood up): track the highest point.
    case seeking(highest: Sample?)
    /// At or near the top: track the highest point.
    case top(highest: Sample)
    /// Going down or coming back up.
    /// `rebound` is the highest point since `lowest`.
    case cycle(top: Sample, lowest: Sample, lowestAngle: Double, rebound: Sample?)
  }

  /// Samples this close to the highest one still belong to the top (a rest or hold); the
  /// descent is timed from the last of them.
  private static let plateau = 0.03

  /// The tuning in use.
  public let tuning: Tuning
  private let geometry: ImageGeometry
  private var phase: Phase = .seeking(highest: nil)
  private var smoother: ExponentialSmoother
  /// Frame statistics for the summary.
  public private(set) var statistics = FrameStatistics()

  /// A counter for images of `geometry` (use `.normalised` when the size is unknown).
  public init(geometry: ImageGeometry = .normalised, tuning: Tuning = Tuning()) {
    self.geometry = geometry
    self.tuning = tuning
    smoother = ExponentialSmoother(timeConstant: tuning.smoothing, maximumGap: tuning.maximumGap)
  }

  /// Consumes the next frame and returns the repetitions it completed (usually none).
  public mutating func consume(_ frame: PoseFrame) -> [RepEvent] {
    statistics.record(time: frame.time)
    guard let signals = PushUpSignals(frame: frame, geometry: geometry) else { return [] }
    statistics.recordPose(armVisibility: signals.armVisibility)
    if signals.upright {
      phase = .seeking(highest: nil)
      smoother.reset()
      return []
    }
    let value = smoother.update(signals.bodyExtension, at: frame.time)
    let sample = Sample(
      value: value, angle: signals.elbowAngle, depth: signals.depthAngle, time: frame.time)
    return step(sample)
  }

  /// Ends the session. A cycle still in progress is not a repetition, so this returns no events
  /// today; it exists so callers need not change when a counter learns to flush something.
  public mutating func finish() -> [RepEvent] {
    phase = .seeking(highest: nil)
    return []
  }

  private mutating func step(_ sample: Sample) -> [RepEvent] {
    switch phase {
    case .seeking(let highest):
      guard var highest, highest.value >= sample.value else {
        phase = .seeking(highest: sample)
        return []
      }
      if sample.value >= highest.value - Self.plateau {
        // Still on the top plateau: the descent starts later than the highest sample.
        highest.time = sample.time
        phase = .seeking(highest: highest)
      }
      if sample.value < highest.value - tuning.descentDrop {
        if highest.angle >= tuning.firstTopAngle {
          phase = .cycle(top: highest, lowest: sample, lowestAngle: sample.depth, rebound: nil)
        } else {
          // Started mid-rep: whatever was seen so far is not a top.
          phase = .seeking(highest: sample)
        }
      }
      return []

    case .top(var highest):
      if sample.value >= highest.value {
        phase = .top(highest: sample)
      } else if sample.value >= highest.value - Self.plateau {
        highest.time = sample.time
        phase = .top(highest: highest)
      } else if sample.value < highest.value - tuning.descentDrop {
        phase = .cycle(top: highest, lowest: sample, lowestAngle: sample.depth, rebound: nil)
      }
      return []

    case .cycle(let top, var lowest, var lowestAngle, var rebound):
      let excursion = top.value - lowest.value
      if let peak = rebound, peak.value >= lowest.value + tuning.reboundFraction * excursion,
        sample.value < peak.value - tuning.descentDrop
      {
        // Came most of the way up but turned down again before the old top: a lower lockout
        // (fatigue, fast reps). The rep ends at that turn, and the next descent starts there.
        phase = .cycle(top: peak, lowest: sample, lowestAngle: sample.depth, rebound: nil)
        return event(top: top, lowest: lowest, end: peak, excursion: excursion, depth: lowestAngle)
      }
      lowestAngle = min(lowestAngle, sample.depth)
      if sample.value < lowest.value {
        lowest = sample
        rebound = nil
      } else if sample.value > rebound?.value ?? -Double.infinity {
        rebound = sample
      }
      let depthRange = top.value - lowest.value
      guard sample.value >= lowest.value + tuning.returnFraction * depthRange else {
        phase = .cycle(top: top, lowest: lowest, lowestAngle: lowestAngle, rebound: rebound)
        return []
      }
      phase = .top(highest: sample)
      return event(top: top, lowest: lowest, end: sample, excursion: depthRange, depth: lowestAngle)
    }
  }

  /// The event for a finished cycle, or none when it was too small to be a movement.
  private func event(top: Sample, lowest: Sample, end: Sample, excursion: Double, depth: Double)
    -> [RepEvent]
  {
    guard excursion >= tuning.minimumExcursion else { return [] }
    let repetition = Repetition(
      start: top.time, bottom: lowest.time, end: end.time, depthAngle: depth)
    return [depth <= tuning.partialAngle ? .rep(repetition) : .partial(repetition)]
  }
}

extension PushUpCounter: RepCounter {
  /// A horizontal body with the arms visible: the push-up position.
  public func detectionEvidence(posture: Posture, time: Double) -> Double {
    posture == .plank ? 1 : 0
  }

  /// The smoothed extension signal (``PushUpSignals/bodyExtension``) on a gauge from
  /// ``traceRange``: at the top (``RepPhase/up``) the low line is where a descent starts; in a
  /// cycle (``RepPhase/down``) the high line is where it completes. Before a first top that
  /// could start a cycle, and while the body is upright, the phase is ``RepPhase/idle``.
  public var trace: RepTrace? {
    guard let value = smoother.value else { return RepTrace(phase: .idle) }
    func gauge(low: Double?, high: Double?) -> RepTrace.Gauge {
      RepTrace.Gauge(value: value, low: low, high: high, range: Self.traceRange)
    }
    switch phase {
    case .seeking(let highest):
      let ready = highest.map { $0.angle >= tuning.firstTopAngle } ?? false
      return RepTrace(
        phase: ready ? .up : .idle,
        gauge: gauge(low: highest.map { $0.value - tuning.descentDrop }, high: nil))
    case .top(let highest):
      return RepTrace(phase: .up, gauge: gauge(low: highest.value - tuning.descentDrop, high: nil))
    case .cycle(let top, let lowest, _, _):
      let back = lowest.value + tuning.returnFraction * (top.value - lowest.value)
      return RepTrace(phase: .down, gauge: gauge(low: nil, high: back))
    }
  }

  /// The extension values the gauge of ``trace`` spans: about 0.95 at a lockout, 0.35–0.6 at
  /// the bottom.
  public static let traceRange = 0.2...1.1
}
