import PoseEstimation
import PoseInput
import RepCounting

/// Counts a ``PoseFrameSource`` into a ``SessionSummary``: the one counting loop, whatever the
/// input (landmarks, JPEG frames, MJPEG, video).
///
/// The session is made on the first frame, with the source's image geometry (fixed from then
/// on); each repetition is reported to `onEvent` the moment it is final, `onFrame` runs
/// before every frame is counted (for progress) and `onStep` after it (for drawing what was
/// counted, see ``Step``). Memory stays flat for any length of input.
public enum SessionCounting {
  /// One frame as counted: what `onStep` sees after the session consumed it.
  public struct Step {
    /// The frame, 0-based among the frames the source returned.
    public var index: Int
    /// The frame.
    public var frame: PoseFrame
    /// Its decoded image, for image inputs (nil for landmarks and skipped image frames).
    public var image: RGBImage?
    /// The session's image geometry.
    public var geometry: ImageGeometry
    /// The frame rate the input states (``PoseFrameSource/statedFrameRate``), if any.
    public var frameRate: Double?
    /// The repetitions that became final with this frame.
    public var events: [CountSession.Event]
    /// The exercise ``trace`` describes (``CountSession/tracedExercise``).
    public var exercise: Exercise?
    /// That exercise's counter state after this frame (``CountSession/trace``).
    public var trace: RepTrace?
  }

  /// Counts every frame of `source` in `mode`. An error thrown by `onStep` ends the counting
  /// and is rethrown. `replayedVideoFPS`: the source replays the frames of a video decoded at
  /// this rate by default (a `buddy count --dump-frames` file), so auto mode feeds the counters
  /// as it fed them for that video (``counterRates(videoFPS:)``).
  public static func count(
    _ source: PoseFrameSource, mode: CountSession.Mode, replayedVideoFPS: Double? = nil,
    onFrame: (PoseFrameSource) -> Void = { _ in },
    onEvent: (CountSession.Event) -> Void = { _ in },
    onStep: ((Step) throws -> Void)? = nil
  ) throws -> SessionSummary {
    var session: CountSession?
    var index = 0
    while let frame = try source.next() {
      onFrame(source)
      let geometry = source.geometry ?? .normalised
      if session == nil {
        session = CountSession(
          mode: mode, geometry: geometry,
          counterRates: replayedVideoFPS.map(counterRates(videoFPS:)) ?? counterRates(source))
      }
      // Mutated in place: copying the session out and back per frame (its arrays retained and
      // released) was 2.5 % of `buddy count` on a large landmark file.
      let events = session?.consume(frame) ?? []
      for event in events { onEvent(event) }
      if let onStep {
        try onStep(
          Step(
            index: index, frame: frame, image: source.image, geometry: geometry,
            frameRate: source.statedFrameRate, events: events, exercise: session?.tracedExercise,
            trace: session?.trace))
      }
      index += 1
    }
    var final = session ?? CountSession(mode: mode)
    for event in final.finish() { onEvent(event) }
    return final.summary
  }

  /// The rates at which auto mode feeds each counter: for a video resampled to the detection
  /// rate, each exercise's own ``Exercise/videoFPS`` where that is lower (never above the
  /// video's rate), so the counter sees the frames `--exercise` would decode; none otherwise
  /// (landmarks, JPEG frames and `--fps` give every mode the same frames).
  static func counterRates(_ source: PoseFrameSource) -> [Exercise: Double] {
    guard source.isVideoAtDefaultRate, let rate = source.frameRate else { return [:] }
    return counterRates(videoFPS: rate)
  }

  /// The rates at which auto mode feeds each counter for a video decoded at the default rate,
  /// `videoFPS` frames per second.
  public static func counterRates(videoFPS rate: Double) -> [Exercise: Double] {
    var rates: [Exercise: Double] = [:]
    for exercise in Exercise.allCases where exercise.videoFPS < rate {
      rates[exercise] = exercise.videoFPS
    }
    return rates
  }
}
