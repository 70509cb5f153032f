import Foundation
import PoseInput
import RepCounting
import Testing

/// One row of Fixtures/manifest.json.
struct FixtureCase: Sendable, CustomTestStringConvertible {
  var file: String
  var exercise: String
  /// Push-ups counted before the rope in a mixed session.
  var otherPushUps: Int
  var reps: Int
  var partialReps: Int
  var width: Double
  var height: Double

  var testDescription: String { file }

  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures").path

  static let all: [FixtureCase] = {
    guard let data = FileManager.default.contents(atPath: directory + "/manifest.json"),
      let rows = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]]
    else { return [] }
    return rows.compactMap { row in
      guard let file = row["file"] as? String, let reps = row["reps"] as? Int,
        let partial = row["partial_reps"] as? Int, let width = row["width"] as? Double,
        let height = row["height"] as? Double
      else { return nil }
      return FixtureCase(
        file: file, exercise: row["exercise"] as? String ?? "push-up",
        otherPushUps: row["push-up_reps"] as? Int ?? 0, reps: reps, partialReps: partial,
        width: width, height: height)
    }
  }()

  var path: String { Self.directory + "/" + file }

  /// The push-up-only fixtures (the push-up counter is checked on these directly).
  static var pushUps: [FixtureCase] { all.filter { $0.exercise == "push-up" } }

  /// The squat fixtures (`SquatFixtureTests` checks `SquatCounter` on these directly).
  static var squats: [FixtureCase] { all.filter { $0.exercise == "squat" } }
}

/// Counts every synthetic fixture and compares with the count it was made with.
@Suite struct FixtureCountTests {
  static func count(_ path: String, geometry: ImageGeometry?) throws -> (Int, Int) {
    let reader = try PoseReader(path: path)
    var counter: PushUpCounter?
    var reps = 0
    var partials = 0
    while let frame = try reader.next() {
      if counter == nil {
        let size =
          geometry
          ?? reader.header.width.flatMap { width in
            reader.header.height.map { ImageGeometry(width: width, height: $0) }
          } ?? .normalised
        counter = PushUpCounter(geometry: size)
      }
      for event in counter?.consume(frame) ?? [] {
        if case .rep = event { reps += 1 } else { partials += 1 }
      }
    }
    return (reps, partials)
  }

  @Test func manifestListsTheFixtures() {
    #expect(FixtureCase.all.count >= 16)
  }

  /// Every fixture, push-up or not, through exercise detection (`--exercise auto`).
  @Test(arguments: FixtureCase.all)
  func detectsAndCountsEachFixture(_ fixture: FixtureCase) throws {
    let reader = try PoseReader(path: fixture.path)
    var session = CountSession(
      mode: .auto, geometry: ImageGeometry(width: fixture.width, height: fixture.height))
    while let frame = try reader.next() {
      _ = session.consume(frame)
    }
    _ = session.finish()
    let summary = session.summary
    #expect(summary.exerciseName == fixture.exercise)
    #expect((summary.detected?.exercise?.name ?? "none") == fixture.exercise)
    #expect(summary.reps == fixture.reps)
    #expect(summary.partialReps == fixture.partialReps)
    let pushUps = summary.otherExercises.first { $0.exercise == .pushUp }?.reps ?? 0
    #expect(pushUps == fixture.otherPushUps)
  }

  @Test(arguments: FixtureCase.pushUps)
  func countsEachFixtureExactly(_ fixture: FixtureCase) throws {
    let geometry = ImageGeometry(width: fixture.width, height: fixture.height)
    let (reps, partials) = try Self.count(fixture.path, geometry: geometry)
    #expect(reps == fixture.reps)
    #expect(partials == fixture.partialReps)
  }

  @Test(arguments: FixtureCase.pushUps)
  func countsWithoutKnowingTheImageSize(_ fixture: FixtureCase) throws {
    let (reps, _) = try Self.count(fixture.path, geometry: .normalised)
    #expect(reps == fixture.reps)
  }

  @Test func sameClipAt15And30FPSGivesTheSameCount() throws {
    let slow = try Self.count(FixtureCase.directory + "/mp33-side-15fps-steady.json", geometry: nil)
    let fast = try Self.count(FixtureCase.directory + "/mp33-side-30fps-steady.json", geometry: nil)
    #expect(slow.0 == fast.0)
    #expect(slow.0 > 0)
  }
}
