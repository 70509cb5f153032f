import Foundation
import TestSupport
import Testing

/// `buddy workout show`'s per-rep tables: every header sits right-aligned over its values.
@Suite("workout show tables", .enabled(if: TestDatabase.isAvailable))
struct WorkoutShowTableTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures").path

  /// Where each blank-separated word of `line` ends (the column of its last character).
  private func wordEnds(_ line: Substring) -> [Int] {
    var ends: [Int] = []
    let characters = Array(line)
    for index in characters.indices where characters[index] != " " {
      if index + 1 == characters.count || characters[index + 1] == " " { ends.append(index) }
    }
    return ends
  }

  /// Records `fixture` and returns `workout show`'s text for it.
  private func shown(_ fixture: String, by world: SignedInUser) throws -> String {
    let record = try world.buddy.run(["record", Self.fixtures + "/" + fixture])
    #expect(record.status == 0, "\(record.stderr)")
    let history = try world.buddy.run(["history", "--format", "jsonl", "--limit", "1"])
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [String: Any])
    let id = try #require(object["id"] as? String)
    let show = try world.buddy.run(["workout", "show", id])
    #expect(show.status == 0, "\(show.stderr)")
    return show.stdout
  }

  /// The tables of `text`: each a header line and its rows.
  private func tables(_ text: String) -> [[Substring]] {
    text.split(separator: "\n\n").map { $0.split(separator: "\n") }.filter {
      $0.first.map { $0.hasPrefix("REP ") || $0.hasPrefix("PARTIAL ") } == true
    }
  }

  @Test(arguments: [
    ("mp33-oblique45-30fps-partials.json", ["REP", "START", "BOTTOM", "END", "DEPTH"], 2),
    ("rope-coco17-front-30fps-alternate-foot-fast.json", ["REP", "TAKEOFF", "APEX", "LANDING"], 1),
  ])
  func headersSitOverTheirValues(fixture: String, headers: [String], tableCount: Int) throws {
    let world = try SignedInUser("tabler")
    defer { world.close() }
    let text = try shown(fixture, by: world)
    let found = tables(text)
    #expect(found.count == tableCount, "\(text)")
    for table in found {
      let header = try #require(table.first)
      #expect(
        header.split(separator: " ").dropFirst().map(String.init) == Array(headers.dropFirst()))
      let ends = wordEnds(header)
      #expect(table.count > 1)
      for row in table.dropFirst() {
        #expect(wordEnds(row) == ends, "\n\(header)\n\(row)")
      }
    }
    // Rows numbered past 9 keep the columns too (the rope clip has 28 reps), and a rope jump
    // shows its own times rather than dashes.
    if fixture.hasPrefix("rope") {
      #expect(found.first?.count == 29)
      #expect(found.first?.dropFirst().allSatisfy { !$0.contains(" -") } == true)
    }
  }
}
