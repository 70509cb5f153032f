import Foundation
import TestSupport
import Testing

/// Crafted flag values and landmark files (issue 16, "Traps on crafted values"): each used to
/// trap (SIGILL, exit 132); now an absurd flag exits 64 and an absurd file exits 65 with one
/// line naming the file and the frame.
@Suite("Crafted values give errors, never a trap")
struct CraftedValueTests {
  static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Fixtures/mp33-side-15fps-fast-no-lockout.json").standardized.path

  /// Writes the fixture to `path` with every frame time multiplied by `scale`, or with no
  /// times (and no `fps`) when `scale` is nil, so `--fps` times the frames.
  static func writeFixture(to path: String, scale: Double?, source: String = "crafted") throws {
    let data = try Data(contentsOf: URL(fileURLWithPath: fixture))
    var document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let frames = try #require(document["frames"] as? [[String: Any]])
    document["frames"] = frames.map { frame -> [String: Any] in
      var frame = frame
      if let scale, let time = frame["t"] as? Double {
        frame["t"] = time * scale
      } else {
        frame["t"] = nil
      }
      return frame
    }
    if scale == nil { document["fps"] = nil }
    document["source"] = source
    try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: path))
  }

  @Test(arguments: [
    ["--fps", "1e-18"], ["--fps", "0x1p-60"], ["--follow", "--fps", "1e-17"], ["--fps", "nan"],
    ["--fps", "inf"], ["--fps", "0.09"], ["--fps", "1000.5"],
  ])
  func countRefusesAnAbsurdFrameRate(flags: [String]) throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let file = buddy.home + "/untimed.json"
    try Self.writeFixture(to: file, scale: nil)
    let result = try buddy.run(["count"] + flags + [file])
    #expect(result.status == 64, "\(result.stderr)")
    #expect(
      result.stderr.contains("invalid for '--fps <fps>': must be a number from 0.1 to 1000"),
      "\(result.stderr)")
  }

  @Test(arguments: ["count", "record", "import", "pose"])
  func everyCommandRefusesAnAbsurdFrameRate(command: String) throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let file = buddy.home + "/untimed.json"
    try Self.writeFixture(to: file, scale: nil)
    let result = try buddy.run([command, "--fps", "1e-18", file])
    #expect(result.status == 64, "\(result.stderr)")
  }

  @Test func countStillAcceptsTheSlowestFrameRate() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let file = buddy.home + "/untimed.json"
    try Self.writeFixture(to: file, scale: nil)
    let result = try buddy.run(["count", "--fps", "0.1", file])
    #expect(result.status == 0, "\(result.stderr)")
  }

  @Test(arguments: [[], ["--follow"], ["--format", "json"]])
  func countRefusesFrameTimesScaledBy1e18(flags: [String]) throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    for scale in [1e18, 1e19] {
      let file = buddy.home + "/huge.json"
      try Self.writeFixture(to: file, scale: scale)
      let result = try buddy.run(["count"] + flags + [file])
      #expect(result.status == 65, "scale \(scale): \(result.stderr)")
      let lines = result.stderr.split(separator: "\n")
      #expect(lines.count == 1, "\(result.stderr)")
      #expect(result.stderr.contains("huge.json: frame 1: time"), "\(result.stderr)")
    }
  }

  @Test(arguments: [
    "9999999999999999h", "9223372036854775807:59", "9223372036854775807", "169h", "168:00:01",
    "99999999999999999999m",
  ])
  func recordRefusesAnAbsurdDuration(duration: String) throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let result = try buddy.run([
      "record", "--exercise", "push-up", "--reps", "3", "--duration", duration, "--dry-run",
    ])
    #expect(result.status == 64, "\(result.stderr)")
    #expect(result.stderr.contains("at most 168h"), "\(result.stderr)")
  }

  @Test(arguments: [["--page", "9223372036854775807"], ["--page", "1000001"], ["--page", "0"]])
  func historyRefusesAnAbsurdPage(flags: [String]) throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let result = try buddy.run(["history"] + flags)
    #expect(result.status == 64, "\(result.stderr)")
    #expect(result.stderr.contains("--page must be 1 to 1000000"), "\(result.stderr)")
  }
}

/// `import` fails a file with absurd times alone and stores the good ones.
@Suite("Crafted values in import", .enabled(if: TestDatabase.isAvailable))
struct CraftedImportTests {
  @Test func importFailsOnlyTheFileWithTimesScaledBy1e18() throws {
    let world = try SignedInUser("crafted")
    defer { world.close() }
    let folder = world.buddy.home + "/sessions"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try CraftedValueTests.writeFixture(to: folder + "/a-good.json", scale: 1, source: "good-1")
    try CraftedValueTests.writeFixture(to: folder + "/b-huge.json", scale: 1e18)
    try CraftedValueTests.writeFixture(to: folder + "/c-good.json", scale: 1, source: "good-2")
    let result = try world.buddy.run(["import", "--jobs", "1", folder])
    #expect(result.status == 65, "\(result.stderr)")
    #expect(result.stdout == "imported 2, skipped 0 (already recorded), empty 0, failed 1\n")
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count == 1, "\(result.stderr)")
    #expect(lines.first?.contains("b-huge.json: frame 1") == true, "\(result.stderr)")
    #expect(try world.count() == 2)
  }

  @Test func historyRefusesAnAbsurdPageWhenSignedIn() throws {
    let world = try SignedInUser("pager")
    defer { world.close() }
    let result = try world.buddy.run(["history", "--page", "9223372036854775807"])
    #expect(result.status == 64, "\(result.stderr)")
  }
}
