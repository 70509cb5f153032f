import Foundation
import TestSupport
import Testing

/// `buddy count`'s everyday command lines are read without argument-parser (CountQuickLine, for
/// a faster start); each prints exactly what argument-parser's reading prints. `--` before the
/// inputs makes argument-parser read the same request, so the two are compared side by side:
/// stdout, stderr and exit code.
@Suite struct CountQuickLineTests {
  static let fixtures =
    URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
  static let document = fixtures.appendingPathComponent("mp33-side-30fps-steady.json").path
  static let lines = fixtures.appendingPathComponent("mp33-side-60fps-walk-in-out.jsonl").path
  static let coco = fixtures.appendingPathComponent("coco17-side-30fps-jitter-drops.json").path

  /// Options before the inputs, and the inputs (`MISSING`, `BAD` stand for files made here).
  @Test(arguments: [
    (["--exercise", "push-up", "--format", "json"], [document]),
    (["--format=json", "--threads", "2", "--exercise=auto"], [lines]),
    ([], [document]),
    (["--fps", "15", "--size", "640x480", "--threads=1"], [coco]),
    (["--follow", "--format", "json"], [document]),
    (["--follow"], [lines]),
    (["--exercise", "squat"], [document, coco]),
    ([], ["MISSING"]),
    (["--format", "json"], ["BAD"]),
  ])
  func printsWhatArgumentParsersReadingPrints(options: [String], inputs: [String]) throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let bad = buddy.home + "/bad.json"
    try #"{"fps": 30, "frames": [{"t": 0, "landmarks": [[0.5, 0.5], 7]}]}"#.write(
      toFile: bad, atomically: true, encoding: .utf8)
    let paths = inputs.map {
      $0 == "MISSING" ? buddy.home + "/missing.json" : $0 == "BAD" ? bad : $0
    }
    let quick = try buddy.run(["count"] + options + paths)
    let parsed = try buddy.run(["count"] + options + ["--"] + paths)
    #expect(quick.status == parsed.status)
    #expect(quick.stdout == parsed.stdout)
    #expect(quick.stderr == parsed.stderr)
    if inputs == ["MISSING"] { #expect(quick.status == 66, "\(quick.stderr)") }
    if inputs == ["BAD"] { #expect(quick.status == 65, "\(quick.stderr)") }
    if !inputs.contains("MISSING") && !inputs.contains("BAD") {
      #expect(quick.status == 0, "\(quick.stderr)")
    }
  }

  /// Lines the quick reader leaves to argument-parser still get its answers.
  @Test(arguments: [
    (["count", "--threads", "0", document], 64, "--threads must be 1 to 64"),
    (["count", "--exercise", "swim", document], 64, "--exercise"),
    (["count", "--format", "json"], 64, "see `buddy count --help`"),
    (["count", "--wrong", document], 64, "--wrong"),
    (["count", "--help"], 0, "Examples:"),
  ])
  func leavesOtherLinesToArgumentParser(arguments: [String], status: Int32, text: String) throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let result = try buddy.run(arguments)
    #expect(result.status == status, "\(result.stderr)")
    #expect((result.stdout + result.stderr).contains(text), "\(result.stdout)\(result.stderr)")
  }
}
