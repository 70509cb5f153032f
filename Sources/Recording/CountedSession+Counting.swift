import PoseEstimation
import PoseInput
import RepCounting
import WorkoutStore

extension CountedSession {
  /// Opens `input` as a ``PoseFrameSource``, counts it in `mode` (``SessionCounting``) while
  /// hashing its bytes (the landmark bytes, or each frame's JPEG bytes in order), and returns
  /// the session to store. `makePipeline`, `onNotice`, `onFrame`, `onEvent` and `onStep` are
  /// passed on to the source and the loop. The counted exercise's signal is recorded on the way
  /// (``SignalRecorder``) into the details' ``WorkoutDetails/signal``. Shared by `record` and
  /// `import`.
  public static func count(
    _ input: PoseFrameSource.Input, mode: CountSession.Mode, options: PoseFrameSource.Options,
    makePipeline: @escaping () throws -> PosePipeline,
    onNotice: @escaping (PoseFrameSource.Notice) -> Void = { _ in },
    onFrame: (PoseFrameSource) -> Void = { _ in },
    onEvent: (CountSession.Event) -> Void = { _ in },
    onStep: ((SessionCounting.Step) throws -> Void)? = nil
  ) throws -> CountedSession {
    let hasher = SHA256()
    let source = try PoseFrameSource(
      input, options: options, makePipeline: makePipeline,
      onRawBytes: { hasher.update($0) }, onNotice: onNotice)
    var recorder = SignalRecorder()
    let summary = try SessionCounting.count(
      source, mode: mode, onFrame: onFrame, onEvent: onEvent,
      onStep: { step in
        recorder.record(time: step.frame.time, exercise: step.exercise, gauge: step.trace?.gauge)
        try onStep?(step)
      })
    var counted = CountedSession(
      summary: summary, digest: hasher.finalize(),
      startTime: startTime(fromDocument: source.startTime), sourceName: input.label,
      sourceKind: source.kind?.rawValue ?? "unknown")
    counted.details.signal = recorder.signal(for: summary.exercise)
    return counted
  }
}
