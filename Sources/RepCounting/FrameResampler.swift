/// Resamples a stream of frames to a lower, constant rate the way ffmpeg's `fps` filter does, so
/// a counter fed through it sees the frames a video decoded at that rate would have given.
///
/// In auto mode a video is decoded at the highest rate any exercise wants
/// (``Exercise/detectionVideoFPS``), while a count of one exercise decodes it at that
/// exercise's rate (``Exercise/videoFPS``): a squat counted with `--exercise squat` sees every
/// other frame of a 30 fps video, at times 0, 1/15, 2/15, … ``CountSession`` passes each
/// counter's frames through one of these, so the decided counter sees the same frames at the
/// same times as the fixed count (the landmarks may still differ a little: the pose tracker's
/// filters ran at the higher rate).
///
/// The rule is the `fps` filter's (libavfilter `vf_fps.c`, rounding to the nearest, halves away
/// from zero): each frame's time is rounded to a slot of the output clock (`slot / rate`);
/// slot `k` gets the latest frame whose slot is at most `k` (a frame whose slot a later frame
/// also reaches is dropped; a slot no frame reaches repeats the frame before), re-timed to
/// `k / rate`; the stream ends at the slot of the last frame's time plus one frame spacing.
/// A frame is released once the next frame shows it is the latest for its slot, so the output
/// lags the input by one frame; ``finish()`` releases the last ones.
struct FrameResampler: Sendable {
  /// The output rate, frames per second.
  let rate: Double
  /// The latest frame and its slot, waiting for a later frame to show it is its slot's.
  private var held: (frame: PoseFrame, slot: Int)?
  /// The next output slot.
  private var next = 0
  /// The time of the last frame pushed and the spacing before it (for the end of the stream).
  private var lastTime: Double?
  private var spacing = 0.0

  /// The most slots one frame may fill (a gap of this many output frames is not filled; it
  /// keeps a bad time from producing frames without end).
  static let maximumRepeat = 1000

  /// A resampler to `rate` frames per second (positive and finite).
  init(rate: Double) {
    self.rate = rate
  }

  /// The slot of `time` on the output clock: `time * rate` rounded to the nearest whole number,
  /// halves away from zero (with a little tolerance, so that 3/30 s is slot 1.5 → 2 at 15 fps
  /// whatever the last bit of the division).
  func slot(_ time: Double) -> Int? {
    let position = time * rate
    guard position.isFinite, abs(position) < 1e15 else { return nil }
    let tolerance = 1e-9 * max(1, abs(position))
    let rounded =
      position >= 0
      ? (position + 0.5 + tolerance).rounded(.down)
      : -(-position + 0.5 + tolerance).rounded(.down)
    return Int(rounded)
  }

  /// Takes the next input frame; returns the frames (usually none or one) that are now final
  /// on the output clock.
  mutating func push(_ frame: PoseFrame) -> [PoseFrame] {
    guard let slot = slot(frame.time) else { return [] }
    if let lastTime { spacing = max(0, frame.time - lastTime) }
    lastTime = frame.time
    guard let held else {
      next = slot
      self.held = (frame, slot)
      return []
    }
    let out = emit(held.frame, until: slot)
    self.held = (frame, slot)
    return out
  }

  /// Ends the stream; returns the frames still to come on the output clock.
  mutating func finish() -> [PoseFrame] {
    guard let held, let lastTime, let end = slot(lastTime + spacing) else { return [] }
    self.held = nil
    return emit(held.frame, until: end)
  }

  /// `frame` re-timed to each slot from ``next`` up to (not including) `end`.
  private mutating func emit(_ frame: PoseFrame, until end: Int) -> [PoseFrame] {
    var out: [PoseFrame] = []
    while next < end, out.count < Self.maximumRepeat {
      var copy = frame
      copy.time = Double(next) / rate
      out.append(copy)
      next += 1
    }
    next = max(next, end)
    return out
  }
}
