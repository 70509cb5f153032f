import Foundation
import PoseEstimation
import PoseInput
import Recording
import RepCounting
import Testing
import WorkoutStore

/// A session counted with `keepLandmarks` keeps a stream that, written as JSON Lines and read
/// back, counts to the same result as the input: for every landmark fixture.
@Suite("Kept landmarks count as the input did")
struct KeptLandmarksCountTests {
  private static func noModels() throws -> PosePipeline {
    throw PoseInputError(.badData, file: "-", reason: "no models in this test")
  }

  private static let fixtures: [String] = {
    let names =
      (try? FileManager.default.contentsOfDirectory(atPath: StoredFixtures.directory)) ?? []
    return names.filter {
      ($0.hasSuffix(".json") || $0.hasSuffix(".jsonl")) && $0 != "manifest.json"
    }
    .sorted()
  }()

  @Test func thereAreFixtures() {
    #expect(Self.fixtures.count >= 20)
  }

  @Test(arguments: fixtures)
  func theExportCountsTheSame(fixture: String) throws {
    let path = StoredFixtures.directory + "/" + fixture
    let session = try CountedSession.count(
      .path(path), mode: .auto, options: PoseFrameSource.Options(), keepLandmarks: true,
      makePipeline: Self.noModels)
    let kept = try #require(session.landmarks)
    #expect(kept.frameCount == session.summary.statistics.frames)
    var text = ""
    try LandmarkLines.write(kept, startTime: nil) { text += $0 + "\n" }
    let copy = FileManager.default.temporaryDirectory
      .appendingPathComponent("kept-\(UUID().uuidString).jsonl").path
    try text.write(toFile: copy, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: copy) }
    let source = try PoseFrameSource(.path(copy), makePipeline: Self.noModels)
    let again = try SessionCounting.count(source, mode: .auto)
    #expect(again.exercise == session.summary.exercise)
    #expect(again.reps == session.summary.reps)
    #expect(again.partialReps == session.summary.partialReps)
    #expect(again.statistics.frames == session.summary.statistics.frames)
  }
}
