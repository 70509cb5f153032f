import Foundation
import RepCounting
import Testing

@testable import PoseInput

/// Text of a frame with `count` landmarks as `[x, y, z, v]` arrays.
func frameText(t: Double? = nil, count: Int = 33, value: String = "0.5") -> String {
  let landmark = "[\(value),\(value),0,1]"
  let landmarks = Array(repeating: landmark, count: count).joined(separator: ",")
  let time = t.map { "\"t\":\($0)," } ?? ""
  return "{\(time)\"landmarks\":[\(landmarks)]}"
}

func readAll(_ text: String, options: PoseReader.Options = .init(), capacity: Int = 1 << 20)
  throws(PoseInputError) -> (PoseReader, [PoseFrame])
{
  let reader = PoseReader(
    source: .memory(Array(text.utf8)), name: "in.json", options: options,
    initialCapacity: capacity)
  var frames: [PoseFrame] = []
  while let frame = try reader.next() {
    frames.append(frame)
  }
  return (reader, frames)
}

func readError(_ text: String) -> PoseInputError? {
  do {
    _ = try readAll(text)
    return nil
  } catch {
    return error
  }
}

@Suite struct PoseReaderTests {
  @Test func readsADocumentWithHeaderAndUnknownKeys() throws {
    let text = """
      {"fps": 15, "source": "x", "clip_start_s": [1, {"a": null}], "width": 480, "height": 270,
       "topology": "mediapipe-33", "frames": [\(frameText(t: 0)), {"t": 0.0667, "landmarks": null}]}
      """
    let (reader, frames) = try readAll(text)
    #expect(reader.format == .document)
    #expect(reader.header.fps == 15)
    #expect(reader.header.width == 480)
    #expect(reader.header.topology == .mediaPipe33)
    #expect(frames.count == 2)
    #expect(frames[0].landmarks.count == 33)
    #expect(!frames[1].hasPose)
    #expect(frames[1].time == 0.0667)
  }

  @Test func detectsABareArray() throws {
    let (reader, frames) = try readAll("[\(frameText()), \(frameText())]", options: .init(fps: 10))
    #expect(reader.format == .array)
    #expect(frames.count == 2)
    #expect(frames[1].time == 0.1)
  }

  @Test func detectsJSONLinesAndUsesTimestampMilliseconds() throws {
    let text = """
      {"timestamp_ms": 0, "pose_landmarks": []}
      {"timestamp_ms": 33.5, "keypoints": [\(String(repeating: "[0.1,0.2,0.9],", count: 16))[0.1,0.2,0.9]]}

      {"timestamp_ms": 67, "poseLandmarks": null}
      """
    let (reader, frames) = try readAll(text)
    #expect(reader.format == .jsonLines)
    #expect(frames.map(\.time) == [0, 0.0335, 0.067])
    #expect(frames[1].topology == .coco17)
    #expect(frames[1].landmarks[0] == Landmark(x: 0.1, y: 0.2, z: 0, visibility: 0.9))
  }

  @Test func readsLandmarkObjects() throws {
    let object = "{\"x\":0.25,\"y\":0.75,\"z\":-0.5,\"visibility\":0.8,\"name\":\"nose\"}"
    let text =
      "[{\"landmarks\":[" + Array(repeating: object, count: 33).joined(separator: ",") + "]}]"
    let (_, frames) = try readAll(text)
    #expect(frames[0].landmarks[5] == Landmark(x: 0.25, y: 0.75, z: -0.5, visibility: 0.8))
  }

  @Test func timesFramesWithoutTimestampsByFPS() throws {
    let lines = [frameText(), frameText(), frameText()].joined(separator: "\n")
    let (defaulted, frames) = try readAll(lines)
    #expect(defaulted.usedDefaultFPS)
    #expect(frames[2].time == 2.0 / 30)
    let (given, timed) = try readAll(lines, options: .init(fps: 29.97))
    #expect(!given.usedDefaultFPS)
    #expect(timed[1].time == 1 / 29.97)
    let document = "{\"fps\": 10, \"frames\": [\(frameText()), \(frameText())]}"
    let (_, fromDocument) = try readAll(document)
    #expect(fromDocument[1].time == 0.1)
  }

  @Test func tinyBuffersGiveTheSameFramesAsLargeOnes() throws {
    for name in [
      "mp33-side-15fps-objects-shallow.json", "coco17-oblique30-15fps-starts-ends-mid-rep.jsonl",
    ] {
      let text = try String(contentsOfFile: FixtureCase.directory + "/" + name, encoding: .utf8)
      let (_, large) = try readAll(text)
      for capacity in [1, 7, 64, 1000] {
        let (_, small) = try readAll(text, capacity: capacity)
        #expect(small == large, "capacity \(capacity)")
      }
    }
  }

  @Test func numbersAgreeWithTheStandardLibraryWithinOneULP() throws {
    var generator = SystemRandomNumberGenerator()
    var texts: [String] = []
    var expected: [Double] = []
    for index in 0..<4000 {
      let value: Double
      switch index % 4 {
      case 0: value = Double.random(in: -1...2, using: &generator)
      case 1: value = Double.random(in: 0...1e-3, using: &generator)
      case 2: value = Double(Float.random(in: 0...1, using: &generator))
      default: value = Double.random(in: -1e30...1e30, using: &generator)
      }
      let text = index % 8 == 3 ? String(format: "%.6e", value) : "\(value)"
      texts.append(text)
      expected.append(Double(text) ?? .nan)
    }
    var frames: [String] = []
    for start in stride(from: 0, to: texts.count - 132, by: 132) {
      var landmarks: [String] = []
      for offset in 0..<33 {
        let base = start + offset * 4
        landmarks.append(
          "[\(texts[base]),\(texts[base + 1]),\(texts[base + 2]),\(texts[base + 3])]")
      }
      frames.append("{\"landmarks\":[" + landmarks.joined(separator: ",") + "]}")
    }
    let (_, parsed) = try readAll(frames.joined(separator: "\n"))
    var index = 0
    for frame in parsed {
      for landmark in frame.landmarks {
        for value in [landmark.x, landmark.y, landmark.z, landmark.visibility] {
          let reference = expected[index]
          let ulp = reference.ulp
          #expect(abs(value - reference) <= ulp, "\(texts[index]) -> \(value), want \(reference)")
          index += 1
        }
      }
    }
    #expect(index > 3000)
  }

  @Test func reportsPositionsOfErrorsInsideFrames() {
    let text = "{\"fps\": 30, \"frames\": [\n\(frameText()),\n\(frameText(value: "\"a\""))\n]}"
    let error = readError(text)
    #expect(error?.line == 3)
    #expect(error?.frameIndex == 1)
    #expect(error?.reason.contains("found a string") == true)
    #expect(error?.description.hasPrefix("in.json:3:") == true)
  }
}

/// Every kind of bad input named in the issue becomes a typed error, never a crash or a hang.
@Suite struct BadInputTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var text: String
    var reason: String
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(name: "empty", text: "", reason: "empty input"),
    Case(name: "whitespace", text: "  \n\t ", reason: "only whitespace"),
    Case(name: "null", text: "null", reason: "found null"),
    Case(name: "no frames", text: "{\"fps\": 30}", reason: "no \"frames\""),
    Case(name: "frames not array", text: "{\"frames\": {}}", reason: "\"frames\" must be an array"),
    Case(name: "frames null", text: "{\"frames\": null}", reason: "\"frames\" must be an array"),
    Case(
      name: "truncated", text: "{\"frames\": [\(frameText(t: 0)), {\"t\": 0.1, \"landm",
      reason: "unterminated string"),
    Case(
      name: "truncated after frame", text: "{\"frames\": [\(frameText(t: 0))",
      reason: "end of input"),
    Case(name: "binary", text: "\u{1}\u{2}PNG", reason: "found byte 0x01"),
    Case(
      name: "bad JSON line", text: "\(frameText(t: 0))\n{\"t\": 1, oops}\n",
      reason: "expected an object key"),
    Case(
      name: "garbage line", text: "\(frameText(t: 0))\nhello\n",
      reason: "expected a frame object on this line"),
    Case(name: "20 landmarks", text: "[\(frameText(count: 20))]", reason: "20 landmarks"),
    Case(name: "34 landmarks", text: "[\(frameText(count: 34))]", reason: "more than 33 landmarks"),
    Case(name: "NaN", text: "[\(frameText(value: "NaN"))]", reason: "found NaN"),
    Case(name: "Infinity", text: "[\(frameText(value: "Infinity"))]", reason: "found Infinity"),
    Case(name: "-Infinity", text: "[\(frameText(value: "-Infinity"))]", reason: "found -Infinity"),
    Case(
      name: "string coordinate", text: "[\(frameText(value: "\"0.5\""))]", reason: "found a string"),
    Case(name: "object coordinate", text: "[\(frameText(value: "{}"))]", reason: "found an object"),
    Case(name: "null coordinate", text: "[\(frameText(value: "null"))]", reason: "found null"),
    Case(name: "overflow", text: "[\(frameText(value: "1e999"))]", reason: "overflows a Double"),
    Case(
      name: "huge integer", text: "[\(frameText(value: String(repeating: "9", count: 400)))]",
      reason: "overflows a Double"),
    Case(
      name: "backwards", text: "[\(frameText(t: 1)), \(frameText(t: 0.5))]",
      reason: "goes backwards"),
    Case(
      name: "fps zero", text: "{\"fps\": 0, \"frames\": []}",
      reason: "\"fps\" must be greater than 0"),
    Case(
      name: "fps negative", text: "{\"fps\": -30, \"frames\": []}",
      reason: "\"fps\" must be greater than 0"),
    Case(
      name: "deep nesting", text: "{\"x\": " + String(repeating: "[", count: 100_000),
      reason: "nesting deeper"),
    Case(
      name: "mixed topologies", text: "[\(frameText(count: 33)), \(frameText(count: 17))]",
      reason: "earlier frames have 33"),
    Case(
      name: "declared topology",
      text: "{\"topology\": \"coco-17\", \"frames\": [\(frameText(count: 33))]}",
      reason: "declares coco-17"),
    Case(
      name: "unknown topology", text: "{\"topology\": \"openpose\", \"frames\": []}",
      reason: "unknown topology"),
    Case(name: "trailing data", text: "[\(frameText())] x", reason: "after the array"),
    Case(name: "bad number", text: "[\(frameText(value: "01"))]", reason: "invalid number"),
    Case(
      name: "five numbers", text: "[{\"landmarks\": [[1,2,3,4,5]]}]", reason: "more than 4 numbers"),
  ]

  @Test(arguments: cases)
  func rejects(_ input: Case) {
    let error = readError(input.text)
    #expect(error?.kind == .badData)
    #expect(error?.reason.contains(input.reason) == true, "\(String(describing: error))")
    #expect(error?.line != nil)
  }

  @Test func rejectsASingleLineLargerThanTheBufferLimit() {
    let huge =
      "{\"t\": 0, \"junk\": \"" + String(repeating: "a", count: ByteWindow.maximumCapacity + 1024)
    let error = readError(huge + "\"}")
    #expect(error?.reason.contains("larger than") == true)
  }

  @Test func missingFileIsMissingInput() {
    #expect(throws: PoseInputError.self) { try PoseReader(path: "/nonexistent/x.json") }
    do {
      _ = try PoseReader(path: "/nonexistent/x.json")
    } catch {
      #expect(error.kind == .missingInput)
    }
  }

  @Test func emptyDirectoryIsMissingInput() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "poseinput-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    do {
      _ = try SessionDiscovery.sessions(under: directory.path)
      Issue.record("expected an error")
    } catch {
      #expect(error.kind == .missingInput)
    }
    // Landmark files (an empty one is skipped as not landmark data: SessionDiscoveryTests).
    let frame = Data(#"{"t": 0, "landmarks": null}"#.utf8)
    _ = FileManager.default.createFile(atPath: directory.path + "/b.jsonl", contents: frame)
    _ = FileManager.default.createFile(atPath: directory.path + "/a.json", contents: frame)
    _ = FileManager.default.createFile(atPath: directory.path + "/notes.txt", contents: Data())
    let files = try SessionDiscovery.sessions(under: directory.path)
    #expect(files == [directory.path + "/a.json", directory.path + "/b.jsonl"])
  }
}

@Suite struct NumberScannerTests {
  @Test(arguments: ["00000000", "12345678", "99999999", "10203040", "87654321"])
  func readsEightDigitsAtOnce(_ text: String) {
    let bytes = Array(text.utf8)
    let value = bytes.withUnsafeBufferPointer { buffer in
      buffer.baseAddress.flatMap { JSONScanner.eightDigits($0) }
    }
    #expect(value == UInt64(text))
  }

  @Test(arguments: ["1234567a", "1234567.", "/2345678", ":2345678", "1234 678"])
  func refusesEightBytesThatAreNotAllDigits(_ text: String) {
    let bytes = Array(text.utf8)
    let value = bytes.withUnsafeBufferPointer { buffer in
      buffer.baseAddress.flatMap { JSONScanner.eightDigits($0) }
    }
    #expect(value == nil)
  }

  @Test(arguments: [
    ("0.5123456716537476", 0.5123456716537476),
    ("-0.000123456789012345678", -0.000123456789012345678),
    ("1.5e-05", 1.5e-05), ("-2.25E+3", -2250), ("0", 0), ("-0.0", -0.0),
    ("123456789012345678901", 123456789012345683968),  // the nearest Double
    ("1e22", 1e22), ("1e23", 1e23), ("4.9e-324", Double.leastNonzeroMagnitude),
  ])
  func readsNumbersExactlyLikeTheStandardLibrary(_ text: String, _ expected: Double) throws {
    let frame =
      "[{\"landmarks\": ["
      + Array(repeating: "[\(text), 0, 0, 1]", count: 17).joined(separator: ",") + "]}]"
    let (_, frames) = try readAll(frame)
    let value = try #require(frames.first?.landmarks.first?.x)
    #expect(abs(value - expected) <= expected.ulp)
  }
}
