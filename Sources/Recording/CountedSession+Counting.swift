import PoseEstimation
import PoseInput
import RepCounting
import WorkoutStore

extension CountedSession {
  /// Opens `input` as a ``PoseFrameSource``, counts it in `mode` (``SessionCounting``) while
  /// hashing its bytes (the landmark bytes, or each frame's JPEG bytes in order), and returns
  /// the session to store. `makePipeline`, `onNotice`, `onFrame`, `onEvent` and `onStep` are
  /// passed on to the source and the loop. The counted exercise's signal is recorded on the way
  /// (``SignalRecorder``) into the details' ``WorkoutDetails/signal``. With `keepLandmarks`
  /// every frame is kept too (``LandmarkPayloadWriter``) into ``landmarks``, with the input's
  /// stated frame rate and image size; a frame that cannot be kept ends the counting with a
  /// ``LandmarkPayloadError`` naming the input and the frame. Shared by `record` and `import`.
  public static func count(
    _ input: PoseFrameSource.Input, mode: CountSession.Mode, options: PoseFrameSource.Options,
    keepLandmarks: Bool = false,
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
    var kept = keepLandmarks ? LandmarkPayloadWriter() : nil
    let summary = try SessionCounting.count(
      source, mode: mode, onFrame: onFrame, onEvent: onEvent,
      onStep: { step in
        recorder.record(time: step.frame.time, exercise: step.exercise, gauge: step.trace?.gauge)
        do {
          try kept?.append(step.frame)
        } catch let error as LandmarkPayloadError {
          throw LandmarkPayloadError(error.kind, "\(input.name): \(error.message)")
        }
        try onStep?(step)
      })
    var counted = CountedSession(
      summary: summary, digest: hasher.finalize(),
      startTime: startTime(fromDocument: source.startTime), sourceName: input.label,
      sourceKind: source.kind?.rawValue ?? "unknown")
    counted.details.signal = recorder.signal(for: summary.exercise)
    if let kept {
      let geometry = source.geometry.flatMap { $0.isKnown ? $0 : nil }
      counted.landmarks = KeptLandmarks(
        kept, framesPerSecond: source.statedFrameRate, imageWidth: geometry?.width,
        imageHeight: geometry?.height)
    }
    return counted
  }
}
