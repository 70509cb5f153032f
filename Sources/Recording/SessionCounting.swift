import PoseInput
import RepCounting

/// Counts a ``PoseFrameSource`` into a ``SessionSummary``: the one counting loop, whatever the
/// input (landmarks, JPEG frames, MJPEG, video).
///
/// The session is made on the first frame, with the source's image geometry (fixed from then
/// on); each repetition is reported to `onEvent` the moment it is final, and `onFrame` runs
/// after every frame (for progress). Memory stays flat for any length of input.
public enum SessionCounting {
  /// Counts every frame of `source` in `mode`.
  public static func count(
    _ source: PoseFrameSource, mode: CountSession.Mode,
    onFrame: (PoseFrameSource) -> Void = { _ in },
    onEvent: (CountSession.Event) -> Void = { _ in }
  ) throws -> SessionSummary {
    var session: CountSession?
    while let frame = try source.next() {
      onFrame(source)
      var running = session ?? CountSession(mode: mode, geometry: source.geometry ?? .normalised)
      session = nil  // keep the state uniquely referenced while it mutates
      for event in running.consume(frame) { onEvent(event) }
      session = running
    }
    var final = session ?? CountSession(mode: mode)
    for event in final.finish() { onEvent(event) }
    return final.summary
  }
}
