import PoseInput
import Testing

@testable import RepCounting

/// Auto mode loses nothing: on every fixture it counts what the fixture's exercise counts when
/// named, and repetitions made before a late first decision are counted and released in order.
@Suite struct AutoModeTests {
  /// Counts `fixture` in `mode`: the summary and the events in release order.
  static func count(
    _ fixture: FixtureCase, mode: CountSession.Mode,
    tuning: ExerciseDetector.Tuning = ExerciseDetector.Tuning()
  ) throws -> (SessionSummary, [CountSession.Event]) {
    let reader = try PoseReader(path: fixture.path)
    var session = CountSession(
      mode: mode, geometry: ImageGeometry(width: fixture.width, height: fixture.height),
      detectorTuning: tuning)
    var events: [CountSession.Event] = []
    while let frame = try reader.next() { events += session.consume(frame) }
    events += session.finish()
    return (session.summary, events)
  }

  static let exercising = FixtureCase.all.filter { $0.exercise != "none" }

  @Test(arguments: exercising)
  func autoCountsWhatTheNamedExerciseCounts(_ fixture: FixtureCase) throws {
    let exercise = try #require(Exercise(name: fixture.exercise))
    let (auto, _) = try Self.count(fixture, mode: .auto)
    let (named, _) = try Self.count(fixture, mode: .fixed(exercise))
    #expect(auto.exercise == exercise)
    #expect(auto.reps == named.reps)
    #expect(auto.partialReps == named.partialReps)
  }

  /// What `--follow` prints in auto mode: the repetitions made while the detector gathered
  /// evidence are released on the very frame the exercise is decided (not at the end), in
  /// order, and every later one on the frame that completed it (or, waiting for the label of
  /// its time, within ``CountSession/maximumHold``). The detector here needs about 3 s of
  /// evidence (as on noisy video), so most fixtures have repetitions before the decision.
  @Test func earlyRepetitionsAreReleasedWhenTheExerciseIsDecided() throws {
    var late = ExerciseDetector.Tuning()
    late.decideAfter = 1.8
    var withEarlyReps = 0
    for fixture in Self.exercising where fixture.otherPushUps == 0 {
      let exercise = try #require(Exercise(name: fixture.exercise))
      let reader = try PoseReader(path: fixture.path)
      var session = CountSession(
        mode: .auto, geometry: ImageGeometry(width: fixture.width, height: fixture.height),
        detectorTuning: late)
      var decidedAt: Double?
      var lastTime = 0.0
      var events: [CountSession.Event] = []
      while let frame = try reader.next() {
        events += session.consume(frame)
        lastTime = frame.time
        if decidedAt == nil, session.currentLabel == .some(exercise) { decidedAt = frame.time }
      }
      let decision = try #require(decidedAt, "\(fixture.file)")
      #expect(decision < lastTime, "\(fixture.file)")
      let early = events.filter { $0.event.repetition.end < decision }
      if !early.isEmpty { withEarlyReps += 1 }
      #expect(early.allSatisfy { $0.releasedAt == decision }, "\(fixture.file)")
      for event in events where event.event.repetition.end >= decision {
        #expect(
          event.releasedAt - event.event.repetition.end <= CountSession.maximumHold,
          "\(fixture.file)")
      }
      let numbered = events.filter { $0.number > 0 }.map(\.number)
      #expect(numbered == Array(0..<numbered.count).map { $0 + 1 }, "\(fixture.file)")
    }
    #expect(withEarlyReps >= 10)
  }

  /// Each fixture as if it were a video decoded at its own rate in auto mode: the counters of
  /// exercises with a lower ``Exercise/videoFPS`` are fed through a ``FrameResampler`` (as
  /// `buddy count` does), and auto mode counts, repetition for repetition, what the named
  /// exercise counts on the frames a decode at that exercise's rate gives.
  @Test(arguments: exercising)
  func asAVideoAutoCountsWhatTheNamedExerciseCountsAtItsRate(_ fixture: FixtureCase) throws {
    let exercise = try #require(Exercise(name: fixture.exercise))
    let reader = try PoseReader(path: fixture.path)
    var frames: [PoseFrame] = []
    while let frame = try reader.next() { frames.append(frame) }
    try #require(frames.count > 2)
    let rate = (1 / (frames[1].time - frames[0].time)).rounded()
    var rates: [Exercise: Double] = [:]
    for other in Exercise.allCases where other.videoFPS < rate { rates[other] = other.videoFPS }
    let geometry = ImageGeometry(width: fixture.width, height: fixture.height)
    var named = CountSession(mode: .fixed(exercise), geometry: geometry)
    var resampler = rates[exercise].map { FrameResampler(rate: $0) }
    var auto = CountSession(mode: .auto, geometry: geometry, counterRates: rates)
    for frame in frames {
      _ = auto.consume(frame)
      for own in resampler?.push(frame) ?? [frame] { _ = named.consume(own) }
    }
    for own in resampler?.finish() ?? [] { _ = named.consume(own) }
    _ = auto.finish()
    _ = named.finish()
    #expect(auto.summary.exercise == exercise)
    #expect(auto.summary.repetitions == named.summary.repetitions)
    #expect(auto.summary.partials == named.summary.partials)
    #expect(auto.summary.statistics == named.summary.statistics)
  }

  /// A detector that decides 3 s after its evidence began (as on noisy video, where the first
  /// seconds go by while it gathers evidence): the early repetitions still count.
  @Test(arguments: exercising.filter { $0.otherPushUps == 0 })
  func repetitionsBeforeALateDecisionCount(_ fixture: FixtureCase) throws {
    let exercise = try #require(Exercise(name: fixture.exercise))
    var late = ExerciseDetector.Tuning()
    late.backdate = -3
    let (auto, events) = try Self.count(fixture, mode: .auto, tuning: late)
    let (named, _) = try Self.count(fixture, mode: .fixed(exercise))
    #expect(auto.reps == named.reps)
    let numbers = events.filter { $0.exercise == exercise && $0.number > 0 }.map(\.number)
    #expect(numbers == (0..<named.reps).map { $0 + 1 })
    // The first ones wait for the decision and are released together, in order.
    let first = try #require(events.first)
    #expect(first.releasedAt >= first.event.repetition.end)
  }
}
