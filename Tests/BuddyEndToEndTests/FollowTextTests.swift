import Foundation
import TestSupport
import Testing

/// `count --follow` text lines: the exercise is named on every line (a mixed session numbers
/// each exercise's reps from 1), and the columns stay put as numbers grow.
@Suite struct FollowTextTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures").path

  @Test func aMixedSessionNamesTheExerciseOnEveryLine() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let text = try String(
      contentsOfFile: Self.fixtures + "/mixed-coco17-side-30fps-pushups-then-rope.jsonl",
      encoding: .utf8)
    let result = try buddy.run(["count", "--follow", "-"], stdin: text)
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    let events = lines.dropLast()
    #expect(lines.last?.hasPrefix("jump-rope: 12 reps") == true)
    #expect(events.filter { $0.hasSuffix("  push-up") }.count == 4)
    #expect(events.filter { $0.hasSuffix("  jump-rope") }.count == 12)
    #expect(events.allSatisfy { $0.hasPrefix("rep ") || $0.hasPrefix("partial ") })
    // Each exercise counts from 1, and saying which is what makes the restart readable.
    #expect(events.filter { $0.hasPrefix("rep   1  ") }.count == 2)
    #expect(events.contains { $0.hasPrefix("rep  12  ") && $0.hasSuffix("  jump-rope") })
    // The time column ends at the same place on every line, one digit or two.
    let timeEnds = Set(
      events.map { $0.range(of: "  ", options: .backwards)?.lowerBound.utf16Offset(in: $0) })
    #expect(timeEnds.count == 1, "\(events)")
  }
}
