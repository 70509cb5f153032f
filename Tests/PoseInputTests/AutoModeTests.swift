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
