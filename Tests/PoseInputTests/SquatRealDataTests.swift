import Foundation
import PoseInput
import RepCounting
import Testing

/// The real squat development set (`../squatdata/cases/<case>/{landmarks.json,
/// landmarks-buddy.json, gt.json}` next to the checkout, or `$SQUAT_DATA`); not in the
/// repository (licence), so the suite is skipped when it is absent.
private let squatDataCases: String = {
  if let folder = ProcessInfo.processInfo.environment["SQUAT_DATA"] {
    return folder + "/cases"
  }
  return URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../../squatdata/cases").standardized.path
}()
private let squatDataPresent = FileManager.default.fileExists(atPath: squatDataCases)

/// Measures ``SquatCounter`` on the real squat clips and prints a per-case table.
@Suite(.enabled(if: squatDataPresent, "../squatdata not found (or $SQUAT_DATA): skipped"))
struct SquatRealDataTests {
  struct Row {
    var name: String
    var truth: Int
    var range: ClosedRange<Int>
    var mediaPipe: Int?
    var buddy: Int?
  }

  static func count(_ path: String) -> (reps: Int, partials: Int)? {
    guard FileManager.default.fileExists(atPath: path), let reader = try? PoseReader(path: path)
    else { return nil }
    var counter: SquatCounter?
    var reps = 0
    var partials = 0
    while let frame = try? reader.next() {
      if counter == nil {
        let size =
          reader.header.width.flatMap { width in
            reader.header.height.map { ImageGeometry(width: width, height: $0) }
          } ?? .normalised
        counter = SquatCounter(geometry: size)
      }
      for event in counter?.consume(frame) ?? [] {
        if case .rep = event { reps += 1 } else { partials += 1 }
      }
    }
    return (reps, partials)
  }

  static func rows() -> [Row] {
    let names =
      ((try? FileManager.default.contentsOfDirectory(atPath: squatDataCases)) ?? []).sorted()
    return names.compactMap { name in
      let folder = squatDataCases + "/" + name
      guard let data = FileManager.default.contents(atPath: folder + "/gt.json"),
        let truth = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
        let reps = truth["reps"] as? Int, let range = truth["acceptable_range"] as? [Int],
        range.count == 2, range[0] <= range[1]
      else { return nil }
      return Row(
        name: name, truth: reps, range: range[0]...range[1],
        mediaPipe: count(folder + "/landmarks.json")?.reps,
        buddy: count(folder + "/landmarks-buddy.json")?.reps)
    }
  }

  @Test func countsTheRealClips() {
    let rows = Self.rows()
    print("case | truth | accept | MediaPipe | buddy")
    var inRange = 0
    var counted = 0
    for row in rows {
      let cells = [row.mediaPipe, row.buddy].map { $0.map(String.init) ?? "-" }
      print(
        "\(row.name) | \(row.truth) | \(row.range.lowerBound)–\(row.range.upperBound) | "
          + "\(cells[0]) | \(cells[1])")
      for count in [row.mediaPipe, row.buddy].compactMap({ $0 }) {
        counted += 1
        if row.range.contains(count) { inRange += 1 }
      }
    }
    print("within the acceptable range: \(inRange) of \(counted)")
    #expect(!rows.isEmpty)
    // Two clips of the first set are known tracker failures (MediaPipe follows a standing
    // trainer, not the squatter); require 80 % so a regression shows without pinning each clip.
    #expect(inRange * 10 >= counted * 8)
  }
}
