import Foundation
import TestSupport
import Testing

/// JSON files that are not landmark data: skipped with one line in a directory walk (`count DIR`,
/// `import DIR`), bad input when named directly; and a clip folder holding `frames/` beside
/// `landmarks.json` is one session, counted from the landmarks.
@Suite struct NonLandmarkFileTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures").path

  /// A folder with one real session, the fixtures' manifest and an unrelated settings object.
  private func folder(in buddy: BuddyProcess) throws -> String {
    let folder = buddy.home + "/recordings"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      atPath: Self.fixtures + "/mp33-side-15fps-steady.json", toPath: folder + "/steady.json")
    try FileManager.default.copyItem(
      atPath: Self.fixtures + "/manifest.json", toPath: folder + "/manifest.json")
    try #"{"theme": "dark"}"#.write(
      toFile: folder + "/settings.json", atomically: true, encoding: .utf8)
    return folder
  }

  @Test func countDIRSkipsAManifestWithOneLineAndCountsTheRest() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let folder = try folder(in: buddy)
    let result = try buddy.run(["count", "--exercise", "push-up", folder])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == "push-up: 6 reps in 0:12, cadence 29/min\n")
    #expect(
      result.stderr.split(separator: "\n") == [
        "buddy: skipped \(folder)/manifest.json: a JSON array of objects that are not landmark frames",
        "buddy: skipped \(folder)/settings.json: a JSON object without \"frames\", not a landmark document",
      ])
  }

  @Test func aManifestNamedDirectlyIsBadInputNamingTheFile() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let manifest = Self.fixtures + "/manifest.json"
    let result = try buddy.run(["count", manifest])
    #expect(result.status == 65)
    #expect(result.stdout.isEmpty)
    #expect(
      result.stderr == "buddy: \(manifest):2:3: not landmark data: the array's first object has "
        + "no \"t\", \"timestamp_ms\" or landmarks key\n")
  }

  @Test func importDIRSkipsTheManifestToo() throws {
    let world = try SignedInUser("skipper")
    defer { world.close() }
    let folder = try folder(in: world.buddy)
    let result = try world.buddy.run(["import", "--exercise", "push-up", folder])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("buddy: skipped \(folder)/manifest.json: "))
    #expect(result.stderr.contains("buddy: skipped \(folder)/settings.json: "))
    #expect(!result.stderr.contains("failed"))
    #expect(try world.count() == 1)
  }

  /// The realdata layout: `frames/` and the `landmarks.json` made from them (at 15 fps).
  @Test func framesBesideLandmarksJSONAreOneSessionCountedFromTheLandmarks() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let clip = buddy.home + "/clip"
    try FileManager.default.createDirectory(
      atPath: clip + "/frames", withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      atPath: Self.fixtures + "/mp33-side-15fps-steady.json", toPath: clip + "/landmarks.json")
    for index in 1...3 {
      // Never read: a frame directory beside landmarks.json is not a session.
      try Data([0xFF, 0xD8, 0xFF, 0xD9]).write(
        to: URL(fileURLWithPath: clip + "/frames/0000\(index).jpg"))
    }
    let result = try buddy.run(["count", "--exercise", "push-up", "--format", "json", buddy.home])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.count == 1)
    #expect(lines.first?.contains(#""file":"\#(clip)/landmarks.json""#) == true)
    #expect(lines.first?.contains(#""reps":6"#) == true)
    #expect(
      result.stderr
        == "buddy: skipped \(clip)/frames: its frames are counted from \(clip)/landmarks.json "
        + "beside it\n")
  }
}
