import Foundation
import RepCounting
import Testing

@testable import PoseInput

/// Everything a reader gives for `bytes` (frames bit for bit, format, header, or the error with
/// its line, column and frame), read with the landmark fast path on or off, through a buffer of
/// `capacity` bytes.
func readingOutcome(_ bytes: [UInt8], fastPath: Bool, capacity: Int = 1 << 20) -> String {
  var options = PoseReader.Options()
  options.landmarkFastPath = fastPath
  let reader = PoseReader(
    source: .memory(bytes), name: "in.json", options: options, initialCapacity: capacity)
  var outcome = ""
  do {
    while let frame = try reader.next() {
      outcome += "\(frame.time.bitPattern):"
      for landmark in frame.landmarks {
        outcome += "\(landmark.x.bitPattern),\(landmark.y.bitPattern),"
        outcome += "\(landmark.z.bitPattern),\(landmark.visibility.bitPattern);"
      }
      outcome += "\n"
    }
  } catch {
    outcome += "error: \(error)\n"
  }
  return outcome + "\(String(describing: reader.format)) \(reader.header)"
}

/// The fast path by itself on `text` (followed by padding, as a buffer would be): its
/// landmarks, or nil, and where the scanner stands after it.
func fastLandmarks(_ text: String) -> (landmarks: [Landmark]?, index: Int, line: Int) {
  let window = ByteWindow(source: .memory(Array((text + String(repeating: " ", count: 200)).utf8)))
  _ = try? window.refill()
  var scanner = JSONScanner(window: window, line: 1, lineStart: 0)
  let landmarks = scanner.fastLandmarks()
  return (landmarks, scanner.index, scanner.line)
}

/// `[entry, entry, …]` with `count` entries.
func landmarkArray(_ entry: String, _ count: Int, _ separator: String = ",") -> String {
  "[" + Array(repeating: entry, count: count).joined(separator: separator) + "]"
}

@Suite struct LandmarkFastPathTests {
  static let mediaPipeEntry =
    "[0.8227647542953491, 0.28730931878089905, -3.018689494638238e-05, 0.9899144768714905]"

  @Test func takesTheUsualShapes() {
    let entries: String = Array(repeating: "[0.5, 0.25, 0, 1]", count: 17).joined(
      separator: ",\n  ")
    let pretty: String = "[\n  " + entries + "\n]"
    let shapes: [String] = [
      landmarkArray(Self.mediaPipeEntry, 33, ", "),
      landmarkArray("[0.5,0.25,0.75]", 17),
      landmarkArray("[1,2]", 17),
      landmarkArray(#"{"x": 0.5, "y": 0.25, "z": -0.1, "visibility": 0.9}"#, 33),
      landmarkArray(#"{"x":0.5,"y":0.25}"#, 17),
      pretty,
    ]
    for text in shapes {
      let (landmarks, index, _) = fastLandmarks(text)
      #expect(landmarks?.count == 33 || landmarks?.count == 17, "\(text.prefix(40))")
      #expect(index == text.utf8.count)
    }
    let (landmarks, _, line) = fastLandmarks(shapes[5])
    #expect(landmarks?[0] == Landmark(x: 0.5, y: 0.25, z: 0, visibility: 1))
    #expect(line == 19)
    #expect(fastLandmarks(shapes[1]).landmarks?[16] == Landmark(x: 0.5, y: 0.25, visibility: 0.75))
    #expect(fastLandmarks(shapes[4]).landmarks?[3] == Landmark(x: 0.5, y: 0.25))
  }

  static let unusualShapes: [String] = [
    "[]", "[[1,2]]", landmarkArray("[1,2]", 34),
    landmarkArray(#"{"y":1,"x":2}"#, 17),
    landmarkArray(#"{"x":1,"y":2,"score":0.5}"#, 17),
    landmarkArray("[1,2,3,4,5]", 17),
    landmarkArray("[1,2]", 16).dropLast() + ",[1,NaN]]",
    landmarkArray("[1,2]", 17).dropLast() + ",]",
    landmarkArray("[1,2]", 16, ",\n").dropLast() + ",[1,2x]]",
  ]

  @Test(arguments: unusualShapes)
  func leavesEverythingElseToTheGeneralPathWithThePositionRestored(_ text: String) {
    let (landmarks, index, line) = fastLandmarks(text)
    #expect(landmarks == nil)
    #expect(index == 0)
    #expect(line == 1)
  }

  @Test func givesWhatTheGeneralPathGivesForEveryFixture() throws {
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
    let names = try FileManager.default.contentsOfDirectory(atPath: fixtures.path)
      .filter { $0.hasSuffix(".json") || $0.hasSuffix(".jsonl") }
    #expect(names.count > 20)
    for name in names {
      let bytes = try [UInt8](Data(contentsOf: fixtures.appendingPathComponent(name)))
      let general = readingOutcome(bytes, fastPath: false)
      #expect(readingOutcome(bytes, fastPath: true) == general, "\(name)")
      // A small buffer: frames straddle refills, where the fast path gives way.
      #expect(readingOutcome(bytes, fastPath: true, capacity: 700) == general, "\(name)")
    }
  }

  /// Random edits of landmark data (bytes replaced, inserted or dropped, from the characters
  /// JSON and numbers are made of): the fast path must give the same frames or the same error
  /// at the same line and column as the general path, on every one.
  @Test func givesWhatTheGeneralPathGivesOnTwoThousandMangledInputs() {
    var random = SplitMix(state: 4)
    let entries = [
      Self.mediaPipeEntry, "[0.5,0.25,0.75]", "[1, 2]",
      #"{"x": 0.5, "y": 0.25, "z": -0.1, "visibility": 0.9}"#, #"{"x":0.5,"y":0.25}"#,
      "[-0.000123456789012345678, 1e-7, 0.00012345678901234567, 1E+2]",
    ]
    let alphabet = Array(" \n\t,:[]{}\"-+.eE0123456789xyzvN".utf8)
    var mismatches: [String] = []
    var errors = 0
    for round in 0..<2000 {
      let count = round % 3 == 0 ? 17 : 33
      var text = ""
      for frame in 0..<3 {
        let entry = entries[Int.random(in: 0..<entries.count, using: &random)]
        let separator = round % 4 == 0 ? ",\n " : ", "
        let marks = Array(repeating: entry, count: count).joined(separator: separator)
        text += "{\"t\": \(frame), \"landmarks\": [\(marks)]}\n"
      }
      var bytes = Array(text.utf8)
      for _ in 0..<Int.random(in: 1...3, using: &random) {
        let position = Int.random(in: 0..<bytes.count, using: &random)
        let byte = alphabet[Int.random(in: 0..<alphabet.count, using: &random)]
        switch Int.random(in: 0..<3, using: &random) {
        case 0: bytes[position] = byte
        case 1: bytes.insert(byte, at: position)
        default: bytes.remove(at: position)
        }
      }
      let general = readingOutcome(bytes, fastPath: false)
      if general.contains("error: ") { errors += 1 }
      let capacity = round % 5 == 0 ? 512 : 1 << 20
      if readingOutcome(bytes, fastPath: true, capacity: capacity) != general {
        mismatches.append(String(decoding: bytes, as: UTF8.self))
        if mismatches.count > 3 { break }
      }
    }
    #expect(mismatches == [])
    // Both kinds of outcome were compared.
    #expect(errors > 200 && errors < 1900)
  }

  @Test func reportsAnErrorInsideALandmarkArrayAtItsPlace() {
    let marks = Array(repeating: "[0.5, 0.25, 0, 1]", count: 32).joined(separator: ",\n")
    let text = "{\"t\": 0, \"landmarks\": [\n\(marks),\n[0.5, 0.25, 0, 1e999]]}\n"
    for fastPath in [true, false] {
      let outcome = readingOutcome(Array(text.utf8), fastPath: fastPath)
      #expect(outcome.contains("in.json:34:16"), "\(outcome)")
    }
  }
}
