import PoseInput
import RepCounting
import Testing

/// Every counter of the catalogue, driven only through the `RepCounter` protocol
/// (`Exercise.makeCounter`): each fixture of one exercise counts exactly with its counter, and
/// a fixture of another exercise (or of nobody exercising) counts nothing with it.
@Suite struct RepCounterProtocolTests {
  /// Counts `fixture` with `exercise`'s counter: reps and partials.
  static func count(_ fixture: FixtureCase, with exercise: Exercise) throws -> (Int, Int) {
    let reader = try PoseReader(path: fixture.path)
    var counter = exercise.makeCounter(
      geometry: ImageGeometry(width: fixture.width, height: fixture.height))
    var events: [RepEvent] = []
    while let frame = try reader.next() {
      events += counter.consume(frame)
      let evidence = counter.detectionEvidence(posture: Posture(frame), time: frame.time)
      #expect((0...1).contains(evidence))
    }
    events += counter.finish()
    let reps = events.filter { if case .rep = $0 { true } else { false } }.count
    #expect(counter.statistics.frames > 0)
    return (reps, events.count - reps)
  }

  /// The fixtures that show one exercise only.
  static let single = FixtureCase.all.filter { $0.otherPushUps == 0 && $0.exercise != "none" }

  @Test(arguments: single)
  func eachCounterCountsItsFixturesExactly(_ fixture: FixtureCase) throws {
    let exercise = try #require(Exercise(name: fixture.exercise))
    let (reps, partials) = try Self.count(fixture, with: exercise)
    #expect(reps == fixture.reps)
    #expect(partials == fixture.partialReps)
  }

  @Test(arguments: Exercise.allCases)
  func noCounterCountsTheWalk(_ exercise: Exercise) throws {
    let walks = FixtureCase.all.filter { $0.exercise == "none" }
    try #require(!walks.isEmpty)
    for walk in walks {
      let (reps, _) = try Self.count(walk, with: exercise)
      #expect(reps == 0, "\(exercise.name) on \(walk.file)")
    }
  }

  @Test func everyExerciseHasFixtures() {
    for exercise in Exercise.allCases {
      #expect(Self.single.contains { $0.exercise == exercise.name }, "\(exercise.name)")
    }
  }
}
