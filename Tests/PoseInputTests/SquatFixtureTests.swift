import PoseInput
import RepCounting
import Testing

/// Counts every synthetic squat fixture with `SquatCounter` and compares with the count it was
/// made with (the rows of Fixtures/manifest.json whose exercise is `squat`).
@Suite struct SquatFixtureTests {
  /// Reps, partials and the repetitions of the file at `path`.
  static func count(_ path: String, geometry: ImageGeometry?) throws -> (Int, Int, [Repetition]) {
    let reader = try PoseReader(path: path)
    var counter: SquatCounter?
    var events: [RepEvent] = []
    while let frame = try reader.next() {
      if counter == nil {
        let size =
          geometry
          ?? reader.header.width.flatMap { width in
            reader.header.height.map { ImageGeometry(width: width, height: $0) }
          } ?? .normalised
        counter = SquatCounter(geometry: size)
      }
      events += counter?.consume(frame) ?? []
    }
    events += counter?.finish() ?? []
    let reps = events.filter { if case .rep = $0 { return true } else { return false } }.count
    return (reps, events.count - reps, events.map(\.repetition))
  }

  @Test func manifestListsTheSquatFixtures() {
    #expect(FixtureCase.squats.count >= 5)
  }

  @Test(arguments: FixtureCase.squats)
  func countsEachFixtureExactly(_ fixture: FixtureCase) throws {
    let geometry = ImageGeometry(width: fixture.width, height: fixture.height)
    let (reps, partials, repetitions) = try Self.count(fixture.path, geometry: geometry)
    #expect(reps == fixture.reps)
    #expect(partials == fixture.partialReps)
    for repetition in repetitions {
      #expect(repetition.start < repetition.bottom && repetition.bottom < repetition.end)
      #expect((repetition.depth ?? 0) > 0.07)
    }
  }

  @Test(arguments: FixtureCase.squats)
  func countsWithoutKnowingTheImageSize(_ fixture: FixtureCase) throws {
    let (reps, partials, _) = try Self.count(fixture.path, geometry: .normalised)
    #expect(reps == fixture.reps)
    #expect(partials == fixture.partialReps)
  }

  /// Push-up, jump-rope and walking fixtures hold no squats.
  @Test(arguments: FixtureCase.all.filter { $0.exercise != "squat" })
  func countsNoSquatsInOtherExercises(_ fixture: FixtureCase) throws {
    let (reps, _, _) = try Self.count(fixture.path, geometry: nil)
    #expect(reps == 0)
  }
}
