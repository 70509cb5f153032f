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

  /// A value for each option `buddy count` declares, so the test below can try every one. An
  /// option added to `CountCommand` without a value here fails the test: add one, and check
  /// whether `CountQuickLine` should read it (it leaves unknown options to argument-parser).
  static let sampleValues: [String: String] = [
    "exercise": "push-up", "fps": "15", "threads": "2", "size": "640x480", "format": "json",
    "annotate": "OUT/annotated.mp4", "frames": "OUT/frames", "dump-frames": "OUT/dump",
    "replay-video-fps": "30",
  ]

  /// Walks the options argument-parser knows for `count` (its help dump): each one, given alone
  /// before an input, prints what argument-parser's own reading prints, whether the quick reader
  /// takes the line or leaves it. Catches a quick reader that has drifted from `CountCommand`
  /// (an option renamed, turned into a flag, or given another conversion).
  @Test func everyDeclaredOptionReadsAsArgumentParserReadsIt() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let dump = try buddy.run(["count", "--experimental-dump-help"])
    #expect(dump.status == 0, "\(dump.stderr)")
    let json = try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any]
    let command = json?["command"] as? [String: Any]
    let declared = try #require(command?["arguments"] as? [[String: Any]])
    var tried: [String] = []
    for argument in declared {
      let kind = argument["kind"] as? String
      let names = (argument["names"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
      guard let name = names.first(where: { $0.count > 1 }), kind == "option" || kind == "flag",
        name != "help", name != "version"
      else { continue }
      var options = ["--" + name]
      if kind == "option" {
        let value = try #require(
          Self.sampleValues[name], "--\(name) has no sample value: see sampleValues")
        options.append(value.replacingOccurrences(of: "OUT", with: buddy.home))
      }
      let quick = try buddy.run(["count"] + options + [Self.document])
      let parsed = try buddy.run(["count"] + options + ["--", Self.document])
      #expect(quick.status == parsed.status, "--\(name): \(quick.stderr) / \(parsed.stderr)")
      #expect(quick.stdout == parsed.stdout, "--\(name)")
      #expect(quick.stderr == parsed.stderr, "--\(name)")
      tried.append(name)
    }
    // The options the quick reader takes are among those tried.
    #expect(Set(["exercise", "fps", "threads", "size", "format", "follow"]).isSubset(of: tried))
  }
}
