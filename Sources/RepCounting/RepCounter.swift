/// A counter for one exercise: a value-type state machine fed one frame at a time.
///
/// Feed frames in time order with ``consume(_:)``, which returns the repetitions that frame
/// completed; call ``finish()`` at the end. Counters keep no history (memory does not grow with
/// the session) and the same input always gives the same output. ``CountSession`` runs one per
/// exercise of the catalogue and asks each, frame by frame, for its ``detectionEvidence(posture:time:)``.
public protocol RepCounter: Sendable {
  /// Consumes the next frame; returns the repetitions it completed, in order.
  mutating func consume(_ frame: PoseFrame) -> [RepEvent]
  /// Ends the session; returns the repetitions still open that now count (or are partial).
  mutating func finish() -> [RepEvent]
  /// Frame totals so far.
  var statistics: FrameStatistics { get }
  /// How strongly the frame just consumed (at `time`, with the neutral `posture`) looks like
  /// this exercise being done: 0 (not at all) to 1. The detector credits the exercise with the
  /// strongest evidence; an upright body that no exercise claims is evidence for neither.
  func detectionEvidence(posture: Posture, time: Double) -> Double
  /// The phase and the thresholded signal after the frame just consumed, for drawing (nil when
  /// the counter does not describe itself).
  var trace: RepTrace? { get }
}

extension RepCounter {
  /// No trace unless the counter gives one.
  public var trace: RepTrace? { nil }
}
