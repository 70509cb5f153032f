import Testing

@testable import RepCounting

/// Auto mode on a video decodes it at ``Exercise/detectionVideoFPS`` (30), a named squat or
/// push-up at 15 fps. The squat counter used to count the 30 fps frames in auto mode, and on
/// short clips that end as the body stands up (squat-correct-016, squat-correct-013 mirrored)
/// the two rates gave 1 and 0: auto ≠ `--exercise squat`. With `counterRates` each counter is
/// fed the frames of its own rate, at the same times, so the decided counter sees what the
/// named one sees.
@Suite struct AutoModeFrameRateTests {
  static let geometry = ImageGeometry(width: 640, height: 480)
  static let rates: [Exercise: Double] = [.pushUp: 15, .squat: 15]

  /// Squats of `depths` (knee angles at the bottom) as a 30 fps stream.
  static func squats(_ depths: [Double], yaw: Double = 0) -> [PoseFrame] {
    let angle = SyntheticSquatter.kneeAngles(depths)
    let count = Int(SyntheticSquatter.length(depths.count) * 30)
    return (0...count).map { index in
      let time = Double(index) / 30
      return SyntheticSquatter.frame(
        time: time, kneeAngle: angle(time), yaw: yaw, topology: .mediaPipe33)
    }
  }

  /// The frames a 15 fps decode of the same video gives: every other one, timed k / 15.
  static func every2nd(_ frames: [PoseFrame]) -> [PoseFrame] {
    stride(from: 0, to: frames.count, by: 2).map { index in
      var frame = frames[index]
      frame.time = Double(index / 2) / 15
      return frame
    }
  }

  static func run(_ frames: [PoseFrame], mode: CountSession.Mode, rates: [Exercise: Double])
    -> (SessionSummary, [CountSession.Event])
  {
    var session = CountSession(mode: mode, geometry: geometry, counterRates: rates)
    var events: [CountSession.Event] = []
    for frame in frames { events += session.consume(frame) }
    events += session.finish()
    return (session.summary, events)
  }

  @Test(arguments: [0.0, 45, 90])
  func theDecidedCounterSeesTheNamedCountsFrames(yaw: Double) {
    let video = Self.squats([80, 85, 130, 90], yaw: yaw)
    let (named, _) = Self.run(Self.every2nd(video), mode: .fixed(.squat), rates: [:])
    let (auto, events) = Self.run(video, mode: .auto, rates: Self.rates)
    #expect(named.reps == 3)
    #expect(auto.exercise == .squat)
    #expect(auto.repetitions == named.repetitions)
    #expect(auto.partials == named.partials)
    #expect(auto.statistics.frames == named.statistics.frames)
    #expect(auto.statistics.duration == named.statistics.duration)
    #expect(events.filter { $0.number > 0 }.map(\.number) == [1, 2, 3])
    // Without the rates the counter saw twice the frames (the cause of the difference).
    let (unresampled, _) = Self.run(video, mode: .auto, rates: [:])
    #expect(unresampled.statistics.frames != named.statistics.frames)
  }

  @Test func aRepCompletedOnTheLastFrameIsCounted() {
    // The clip ends on the frame that completes the last squat: the resampler's one-frame lag
    // must not lose it (finish() releases the held frame when ffmpeg would output it).
    var video = Self.squats([80, 85])
    let (full, _) = Self.run(Self.every2nd(video), mode: .fixed(.squat), rates: [:])
    let lastEnd = full.repetitions.last?.end ?? 0
    // Cut at the (15 fps) frame that completed the last rep, keeping an odd count of frames.
    let lastIndex = Int((lastEnd * 30).rounded())
    video = Array(video.prefix(lastIndex + 1))
    let (named, _) = Self.run(Self.every2nd(video), mode: .fixed(.squat), rates: [:])
    let (auto, _) = Self.run(video, mode: .auto, rates: Self.rates)
    #expect(named.reps == 2)
    #expect(auto.reps == named.reps)
    #expect(auto.repetitions == named.repetitions)
    #expect(auto.partials == named.partials)
  }

  @Test func fixedModesIgnoreTheRates() {
    let video = Self.squats([80, 85])
    let (plain, _) = Self.run(video, mode: .fixed(.squat), rates: [:])
    let (rated, _) = Self.run(video, mode: .fixed(.squat), rates: Self.rates)
    #expect(plain.repetitions == rated.repetitions)
    #expect(plain.statistics.frames == rated.statistics.frames)
  }
}
