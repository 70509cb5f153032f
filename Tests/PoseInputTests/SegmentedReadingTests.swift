import Foundation
import RepCounting
import Testing

@testable import PoseInput

/// How a generated landmark file lays out its frames.
enum SegmentLayout: String, CaseIterable, Sendable, CustomTestStringConvertible {
  /// One frame per line.
  case jsonLines
  /// `{"fps": …, "frames": [` one frame per line `], "start_time": …}`.
  case document
  /// A document on a single line (no newline to guess frame starts from).
  case compactDocument
  /// A bare array, one frame per line.
  case array
  /// A document with landmark objects spread over many lines (most guessed frame starts are
  /// the `{` of a landmark object, which the reader must notice).
  case prettyDocument

  var testDescription: String { rawValue }

  /// A session of `count` frames with varied full-precision numbers.
  func text(frames count: Int, seed: UInt64 = 1) -> String {
    var state = seed
    func number() -> String {
      // SplitMix64: deterministic, varied digits.
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      z ^= z >> 31
      return "\(Double(z >> 11) / Double(1 << 53))"
    }
    var frames: [String] = []
    for index in 0..<count {
      let time = "\(Double(index) / 30)"
      if index % 17 == 5 {
        frames.append(#"{"t": \#(time), "landmarks": null}"#)
        continue
      }
      let landmarks: [String] = (0..<33).map { _ in
        if self == .prettyDocument {
          return "{\n  \"x\": \(number()),\n  \"y\": \(number()),\n  \"visibility\": \(number())\n}"
        }
        return "[\(number()), \(number()), \(number()), \(number())]"
      }
      let separator = self == .prettyDocument ? ",\n" : ", "
      // Some frames hold what looks like a frame start after a comma or a newline.
      let extra = index % 13 == 7 ? #""extra": [0,\#n {"a": [1, "x, {\"t\": 1}"]}], "# : ""
      frames.append(
        #"{"t": \#(time), "# + extra + #""landmarks": ["#
          + landmarks.joined(separator: separator) + "]}")
    }
    switch self {
    case .jsonLines:
      return frames.joined(separator: "\n") + "\n"
    case .document, .prettyDocument:
      return #"{"fps": 30, "frames": ["# + "\n" + frames.joined(separator: ",\n")
        + "\n], \"start_time\": \"2026-01-02T03:04:05Z\"}\n"
    case .compactDocument:
      return #"{"fps": 30, "frames": ["# + frames.joined(separator: ",")
        + #"], "start_time": "2026-01-02T03:04:05Z"}"#
    case .array:
      return "[\n" + frames.joined(separator: ",\n") + "\n]\n"
    }
  }
}

/// What one reading of a file gave.
struct ReadOutcome: Equatable {
  var frames: [PoseFrame] = []
  var error: String?
  var format: PoseInputFormat?
  var header = PoseDocumentHeader()
  /// Segments the workers parsed and the reader took (not compared).
  var segmentsTaken = 0

  static func == (left: ReadOutcome, right: ReadOutcome) -> Bool {
    left.frames == right.frames && left.error == right.error && left.format == right.format
      && left.header == right.header
  }
}

/// Writes `bytes` to a new temporary file and returns its path.
func temporaryLandmarkFile(_ bytes: [UInt8], suffix: String = ".json") throws -> String {
  let path = FileManager.default.temporaryDirectory.appendingPathComponent(
    "segments-\(UUID().uuidString)\(suffix)"
  ).path
  guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
    throw CocoaError(.fileWriteUnknown)
  }
  return path
}

/// Reads `path` to the end (or the first error) with `threads` parsing threads, segments of
/// `segmentSize` bytes, and no minimum file size for segments.
func readSegmented(_ path: String, threads: Int, segmentSize: Int) throws -> ReadOutcome {
  var options = PoseReader.Options(threads: threads)
  options.segmentSize = segmentSize
  options.minimumSegmentedSize = 0
  let reader = try PoseReader(path: path, options: options)
  var outcome = ReadOutcome()
  do {
    while let frame = try reader.next() { outcome.frames.append(frame) }
  } catch {
    outcome.error = error.description
  }
  outcome.format = reader.format
  outcome.header = reader.header
  outcome.segmentsTaken = reader.segmentsTaken
  return outcome
}

@Suite struct SegmentedReadingTests {
  @Test(arguments: SegmentLayout.allCases, [1, 700, 4096, 65536])
  func givesTheFramesOneThreadGives(layout: SegmentLayout, segmentSize: Int) throws {
    let path = try temporaryLandmarkFile(Array(layout.text(frames: 120).utf8))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let alone = try readSegmented(path, threads: 1, segmentSize: segmentSize)
    #expect(alone.error == nil)
    #expect(alone.frames.count == 120)
    #expect(alone.segmentsTaken == 0)
    for threads in [2, 3] {
      let segmented = try readSegmented(path, threads: threads, segmentSize: segmentSize)
      #expect(segmented == alone)
      // Frame starts are guessed right (and so segments used) except where no frame follows
      // a comma or newline closely enough, or landmark objects come first.
      if layout != .prettyDocument && segmentSize < 65536 {
        #expect(segmented.segmentsTaken > 1)
      }
    }
  }

  /// A byte changed anywhere gives the error (or the frames) one thread gives: the same
  /// message, line, column and frame.
  @Test(arguments: SegmentLayout.allCases)
  func reportsBadDataWhereOneThreadDoes(layout: SegmentLayout) throws {
    let original = Array(layout.text(frames: 40, seed: 9).utf8)
    var changes = 0
    for position in stride(from: 3, to: original.count, by: original.count / 23) {
      for replacement in [UInt8(ascii: "x"), UInt8(ascii: "}"), UInt8(ascii: "\n")] {
        var bytes = original
        bytes[position] = replacement
        let path = try temporaryLandmarkFile(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let alone = try readSegmented(path, threads: 1, segmentSize: 1)
        if alone.error != nil { changes += 1 }
        for segmentSize in [1, 300, 5000] {
          let segmented = try readSegmented(path, threads: 2, segmentSize: segmentSize)
          #expect(segmented == alone, "byte \(position) -> \(replacement)")
        }
      }
    }
    #expect(changes > 20)
  }

  /// Errors found after parsing (time going backwards) name the frame's line and column.
  @Test(arguments: SegmentLayout.allCases, [3, 25, 90])
  func reportsFrameErrorsWhereOneThreadDoes(layout: SegmentLayout, frame: Int) throws {
    let text = layout.text(frames: 100).replacingOccurrences(
      of: #"{"t": \#(Double(frame) / 30), "#, with: #"{"t": 0.001, "#)
    let path = try temporaryLandmarkFile(Array(text.utf8))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let alone = try readSegmented(path, threads: 1, segmentSize: 1)
    #expect(alone.error?.contains("frame \(frame): timestamp goes backwards") == true)
    for segmentSize in [1, 500, 3000] {
      let segmented = try readSegmented(path, threads: 2, segmentSize: segmentSize)
      #expect(segmented == alone)
    }
  }

  @Test(arguments: SegmentLayout.allCases)
  func reportsATruncatedFileWhereOneThreadDoes(layout: SegmentLayout) throws {
    let original = Array(layout.text(frames: 30, seed: 4).utf8)
    for length in stride(from: original.count / 3, to: original.count, by: original.count / 11) {
      let path = try temporaryLandmarkFile(Array(original.prefix(length)))
      defer { try? FileManager.default.removeItem(atPath: path) }
      let alone = try readSegmented(path, threads: 1, segmentSize: 1)
      let segmented = try readSegmented(path, threads: 2, segmentSize: 200)
      #expect(segmented == alone, "first \(length) bytes")
    }
  }

  @Test func opensLargeLandmarkFilesWithTheSourcesThreads() throws {
    let path = try temporaryLandmarkFile(Array(SegmentLayout.jsonLines.text(frames: 3).utf8))
    defer { try? FileManager.default.removeItem(atPath: path) }
    for threads in [1, 2] {
      guard
        case .landmarks(let reader) = try PoseFrameSource.open(
          .path(path), fps: nil, videoFPS: 30, threads: threads)
      else {
        Issue.record("not opened as landmarks")
        continue
      }
      #expect(reader.options.threads == threads)
    }
  }

  @Test func stopsTheWorkersWhenTheReaderIsDroppedEarly() throws {
    let path = try temporaryLandmarkFile(Array(SegmentLayout.jsonLines.text(frames: 300).utf8))
    defer { try? FileManager.default.removeItem(atPath: path) }
    for _ in 0..<20 {
      var options = PoseReader.Options(threads: 2)
      options.segmentSize = 100
      options.minimumSegmentedSize = 0
      let reader = try PoseReader(path: path, options: options)
      for _ in 0..<3 { _ = try reader.next() }
    }
    // Every reader let go of its workers: the file's descriptors are all closed (the workers
    // may take a moment to see the stop).
    func descriptorsOnFile() throws -> Int {
      try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").filter {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + $0))
          == path
      }.count
    }
    var waited = 0
    while try descriptorsOnFile() > 0 && waited < 500 {
      usleep(10_000)
      waited += 1
    }
    #expect(try descriptorsOnFile() == 0)
  }

  @Test func countsWhatOneThreadCounts() throws {
    let fixture = FixtureCase.directory + "/mp33-side-30fps-steady.json"
    let frames = try readAll(
      String(decoding: try Data(contentsOf: URL(fileURLWithPath: fixture)), as: UTF8.self)
    ).1
    var lines = ""
    let period = (frames.last?.time ?? 0) + 1.0 / 30
    for loop in 0..<6 {
      for frame in frames {
        let time = Double(loop) * period + frame.time
        let marks =
          frame.landmarks.isEmpty
          ? "null"
          : "["
            + frame.landmarks.map { "[\($0.x), \($0.y), \($0.z), \($0.visibility)]" }
            .joined(separator: ",") + "]"
        lines += #"{"t": \#(time), "landmarks": \#(marks)}"# + "\n"
      }
    }
    let path = try temporaryLandmarkFile(Array(lines.utf8), suffix: ".jsonl")
    defer { try? FileManager.default.removeItem(atPath: path) }
    var summaries: [SessionSummary] = []
    for threads in [1, 2] {
      let read = try readSegmented(path, threads: threads, segmentSize: 10_000)
      #expect(read.error == nil)
      for mode in [CountSession.Mode.fixed(.pushUp), .auto] {
        var session = CountSession(mode: mode)
        for frame in read.frames { _ = session.consume(frame) }
        _ = session.finish()
        summaries.append(session.summary)
      }
    }
    #expect(summaries[0].reps == 36)
    #expect(summaries[0] == summaries[2])
    #expect(summaries[1] == summaries[3])
  }
}
