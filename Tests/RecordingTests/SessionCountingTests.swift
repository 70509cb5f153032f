import Foundation
import PoseEstimation
import PoseInput
import Recording
import RepCounting
import Testing
import WorkoutStore

/// Counting in-process, as `record` and `import` do: a fixture becomes a `PoseFrameSource`,
/// one loop counts it, and the session carries the digest of the file's bytes.
@Suite("A pose frame source counted for storage")
struct SessionCountingTests {
  private static func path(_ file: String) -> String { StoredFixtures.directory + "/" + file }

  /// Landmark inputs never load the pose models.
  private static func noModels() throws -> PosePipeline {
    Issue.record("a landmark input asked for the pose pipeline")
    throw PoseInputError(.badData, file: "-", reason: "no models in this test")
  }

  @Test(arguments: [
    ("mp33-oblique45-30fps-partials.json", Exercise.pushUp, 5, "document"),
    ("mixed-coco17-side-30fps-pushups-then-rope.jsonl", .jumpRope, 12, "jsonLines"),
    ("squat-mp33-side-30fps-steady.json", .squat, 5, "document"),
  ])
  func countsAFixtureAndHashesItsBytes(
    file: String, exercise: Exercise, reps: Int, kind: String
  ) throws {
    let path = Self.path(file)
    var events: [CountSession.Event] = []
    var frames = 0
    let session = try CountedSession.count(
      .path(path), mode: .auto, options: PoseFrameSource.Options(),
      makePipeline: Self.noModels, onFrame: { _ in frames += 1 }, onEvent: { events.append($0) })
    #expect(session.summary.exercise == exercise)
    #expect(session.summary.reps == reps)
    #expect(session.summary.statistics.frames == frames)
    #expect(events.filter { $0.exercise == exercise && $0.number > 0 }.count == reps)
    let bytes = try #require(FileManager.default.contents(atPath: path))
    #expect(session.digest == SHA256.hash([UInt8](bytes)))
    #expect(session.details.source == .init(name: path, format: kind))
    #expect(session.details.exercise == exercise.name)
    #expect(try WorkoutDetails(jsonText: session.details.jsonText) == session.details)
    let workout = try session.workout(bodyMassKg: 70, fallbackTime: Date())
    #expect(workout.exerciseType == exercise && workout.reps == reps)
  }

  @Test func aFixedExerciseCountsOnlyThatOne() throws {
    let source = try PoseFrameSource(
      .path(Self.path("squat-mp33-front-15fps-half-squats-pauses.json")),
      makePipeline: Self.noModels)
    let summary = try SessionCounting.count(source, mode: .fixed(.squat))
    #expect(summary.exercise == .squat)
    #expect(summary.reps == 4 && summary.partialReps == 3)
    #expect(summary.detected?.exercise == .squat)
    #expect(summary.repetitions.allSatisfy { ($0.depth ?? 0) > 0 })
  }

  @Test func aMissingInputIsAPoseInputError() {
    #expect(throws: PoseInputError.self) {
      _ = try CountedSession.count(
        .path(Self.path("no-such-file.json")), mode: .auto, options: PoseFrameSource.Options(),
        makePipeline: Self.noModels)
    }
  }
}
