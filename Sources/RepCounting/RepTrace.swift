/// What a counter shows about the frame it just consumed, for drawing: the phase of the movement
/// and the signal it thresholds, as a gauge.
///
/// Read it from ``RepCounter/trace`` (or ``CountSession/trace``) after each frame. It is a
/// picture of the counter's state, never an input to it: counting does not depend on it.
public struct RepTrace: Sendable, Equatable {
  /// Where the counter is in the movement.
  public var phase: RepPhase
  /// The thresholded signal and the lines it must cross; nil while the counter has no signal
  /// (no pose yet, or a reset).
  public var gauge: Gauge?

  /// Makes a trace.
  public init(phase: RepPhase, gauge: Gauge? = nil) {
    self.phase = phase
    self.gauge = gauge
  }

  /// The signal a counter thresholds, mapped onto `0...1` (0 the bottom of the gauge, 1 the top)
  /// together with the lines whose crossing changes the phase.
  public struct Gauge: Sendable, Equatable {
    /// The signal now, in `0...1`.
    public var value: Double
    /// The line the signal must fall below for the next change (a descent starts, a foot lands),
    /// in `0...1`; nil when falling changes nothing now.
    public var low: Double?
    /// The line the signal must climb above for the next change (a cycle completes, a foot takes
    /// off), in `0...1`; nil when climbing changes nothing now.
    public var high: Double?

    /// Makes a gauge from a raw `value` and raw lines, mapping `range` onto `0...1` (values
    /// outside it are clamped).
    public init(value: Double, low: Double?, high: Double?, range: ClosedRange<Double>) {
      let span = range.upperBound - range.lowerBound
      func unit(_ raw: Double) -> Double {
        guard span > 0, raw.isFinite else { return 0 }
        return min(1, max(0, (raw - range.lowerBound) / span))
      }
      self.value = unit(value)
      self.low = low.map(unit)
      self.high = high.map(unit)
    }
  }
}

/// The phase of a movement as a counter sees it.
public enum RepPhase: String, Sendable, CaseIterable {
  /// Not tracking a movement: no pose, not in position, or waiting for a first top.
  case idle
  /// At the top (push-up lockout, standing tall): a descent past the gauge's low line starts a
  /// cycle.
  case up
  /// In a cycle (went down, not back up yet): climbing past the gauge's high line completes it.
  case down
  /// Jump rope: a foot (or, with the feet unseen, the hips) is off the ground.
  case air
  /// Jump rope: on the ground, upright.
  case ground
}
