import Foundation
import TestSupport
import Testing

/// Control characters from outside never reach the terminal raw (issue 16, point 8).
@Suite("Control characters in names and values")
struct ControlCharacterTests {
  @Test func aFileNameWithEscapesAndANewlineIsOneEscapedLine() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let name = buddy.home + "/evil\u{1B}[31m\nsecond line\u{7}.json"
    try Data("{\"frames\": [".utf8).write(to: URL(fileURLWithPath: name))
    let result = try buddy.run(["count", name])
    #expect(result.status == 65)
    #expect(!result.stderr.contains("\u{1B}"))
    #expect(!result.stderr.contains("\u{7}"))
    #expect(result.stderr.contains("\\u{1b}[31m"))
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
  }

  @Test func configValuesAreOneLine() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let result = try buddy.run(["config", "set", "database_url", "postgresql:///a\nevil = 1"])
    #expect(result.status == 64)
    #expect(try buddy.run(["config", "list"]).stdout.contains("evil") == false)
  }
}
