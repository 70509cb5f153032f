import Foundation
import TestSupport
import Testing

/// `buddy count --threads 2` on a landmark file large enough to be parsed in segments on two
/// threads prints what `--threads 1` prints: the same counts, and for bad data the same error
/// line (file, line, column, frame) and exit code.
@Suite struct SegmentedCountTests {
  static let fixture =
    URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
      "Fixtures/mp33-side-30fps-steady.json"
    ).path

  /// The fixture (6 push-ups in 472 frames) looped `loops` times as JSON Lines or a document,
  /// about 0.5 MB a loop; the frame numbered `backwards` (if any) goes back in time.
  static func session(loops: Int, jsonLines: Bool, backwards: Int? = nil) throws -> String {
    let data = try Data(contentsOf: URL(fileURLWithPath: fixture))
    let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let frames = try #require(document["frames"] as? [[String: Any]])
    let period = (frames.last?["t"] as? Double ?? 0) + 1.0 / 30
    var lines: [String] = []
    for loop in 0..<loops {
      for frame in frames {
        let landmarks = try JSONSerialization.data(withJSONObject: frame["landmarks"] ?? NSNull())
        var time = Double(loop) * period + (frame["t"] as? Double ?? 0)
        if lines.count == backwards { time = 0.5 }
        lines.append(
          #"{"t": \#(time), "landmarks": "# + String(decoding: landmarks, as: UTF8.self) + "}")
      }
    }
    if jsonLines { return lines.joined(separator: "\n") + "\n" }
    return "{\"fps\": 30, \"frames\": [\n" + lines.joined(separator: ",\n") + "\n]}\n"
  }

  func countBothWays(_ text: String, name: String) throws -> [BuddyProcess.Result] {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "segments-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent(name).path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    return try [1, 2].map { threads in
      try buddy.run([
        "count", "--exercise", "push-up", "--format", "json", "--threads", "\(threads)", path,
      ])
    }
  }

  @Test(arguments: [true, false])
  func countsWhatOneThreadCounts(jsonLines: Bool) throws {
    let text = try Self.session(loops: 24, jsonLines: jsonLines)
    #expect(text.utf8.count > 10 << 20)
    let results = try countBothWays(text, name: jsonLines ? "s.jsonl" : "s.json")
    #expect(results[0].status == 0)
    #expect(results[0].stdout.contains(#""reps":144,"#))
    #expect(results[1].status == results[0].status)
    #expect(results[1].stdout == results[0].stdout)
    #expect(results[1].stderr == results[0].stderr)
  }

  @Test(arguments: [true, false])
  func reportsBadDataAsOneThreadDoes(jsonLines: Bool) throws {
    let text = try Self.session(loops: 24, jsonLines: jsonLines, backwards: 8_000)
    let results = try countBothWays(text, name: "bad.json")
    #expect(results[0].status == 65)
    let line = jsonLines ? 8001 : 8002
    #expect(results[0].stderr.contains(":\(line):1: frame 8000: timestamp goes backwards"))
    #expect(results[1].status == results[0].status)
    #expect(results[1].stderr == results[0].stderr)
    #expect(results[1].stdout == results[0].stdout)
  }
}
