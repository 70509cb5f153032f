import Foundation
import TestSupport
import Testing

/// Every command's `--help` reads as laid out: prose is wrapped by argument-parser alone (no
/// hard line break left in a paragraph), and no example wraps back to column 0.
@Suite struct HelpLayoutTests {
  /// Every command path, from argument-parser's own dump of the command tree.
  private static func commandPaths(_ buddy: BuddyProcess) throws -> [[String]] {
    let dump = try buddy.run(["--experimental-dump-help"])
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
    var paths: [[String]] = []
    func walk(_ command: [String: Any], _ path: [String]) {
      paths.append(path)
      for sub in command["subcommands"] as? [[String: Any]] ?? [] {
        guard let name = sub["commandName"] as? String, name != "help" else { continue }
        walk(sub, path + [name])
      }
    }
    walk(try #require(object["command"] as? [String: Any]), [])
    return paths
  }

  @Test func paragraphsAreNotRaggedAndExamplesDoNotWrapToTheMargin() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let paths = try Self.commandPaths(buddy)
    #expect(paths.count > 30)
    for path in paths {
      let help = try buddy.run(path + ["--help"])
      #expect(help.status == 0)
      let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false)
      var inExamples = false
      for (line, next) in zip(lines, lines.dropFirst()) {
        if line.hasPrefix("Examples:") || line.hasPrefix("Example:") {
          inExamples = true
          continue
        }
        if line.isEmpty { inExamples = false }
        // An example's continuation is indented (a shell `\` line), never at column 0.
        if inExamples {
          #expect(next.isEmpty || next.hasPrefix("  "), "\(path): example wraps: \(next)")
        }
        // Greedy wrapping at 80 columns would have put the next word on this line: the source
        // has a hard line break inside a paragraph (a missing `\`).
        guard !line.isEmpty, !next.isEmpty, !line.hasPrefix(" "), !next.hasPrefix(" "),
          !line.hasPrefix("USAGE"), !line.hasPrefix("OVERVIEW")
        else { continue }
        let word = next.split(separator: " ").first ?? ""
        #expect(line.count + 1 + word.count > 70, "\(path): ragged: \(line) / \(word)")
      }
    }
  }
}
