import Foundation
import Testing

@testable import PoseInput

/// The one extension list and the one directory rule `count DIR` and `import DIR` share.
@Suite struct SessionDiscoveryTests {
  @Test(arguments: [
    ("a.json", true), ("a.jsonl", true), ("a.ndjson", true), ("A.NDJSON", true),
    ("a.json.txt", false), ("a.jpg", false),
  ])
  func landmarkFilesAreJSONJSONLinesAndNDJSONInAnyCase(name: String, isLandmarks: Bool) {
    #expect(InputExtensions.isLandmarkFile(name) == isLandmarks)
  }

  @Test func theListsAreTheOnesDocumented() {
    #expect(InputExtensions.landmarks == [".json", ".jsonl", ".ndjson"])
    #expect(InputExtensions.jpeg == [".jpg", ".jpeg"])
    #expect(InputExtensions.video == [".mp4", ".mov", ".m4v", ".mkv", ".webm", ".avi"])
    #expect(InputExtensions.isJPEGFile("F.JPEG") && InputExtensions.isVideoFile("clip.MoV"))
  }

  /// A tree with every kind of session and things that are none.
  private func makeTree() throws -> String {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "discovery-\(UUID().uuidString.prefix(8))"
    ).path
    for file in [
      "a.json", "b.NDJSON", "c.jsonl", "clip.MP4", "notes.txt", ".hidden.json", "frames/1.jpg",
      "frames/2.jpg", "sub/d.ndjson", "sub/stray.jpg", ".secret/e.json",
    ] {
      let path = root + "/" + file
      try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      let content = InputExtensions.isLandmarkFile(file) ? Self.landmarkLine : "x"
      _ = FileManager.default.createFile(atPath: path, contents: Data(content.utf8))
    }
    return root
  }

  /// One JSON Lines frame without a pose: the smallest landmark file.
  private static let landmarkLine = "{\"t\": 0, \"landmarks\": null}\n"

  /// Writes `files` (path → content) under `root`.
  private func write(_ files: [String: String], under root: String) throws {
    for (file, content) in files {
      let path = root + "/" + file
      try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      _ = FileManager.default.createFile(atPath: path, contents: Data(content.utf8))
    }
  }

  @Test func aWalkSkipsJSONFilesThatAreNotLandmarksAndSaysWhy() throws {
    let root = try makeTree()
    defer { try? FileManager.default.removeItem(atPath: root) }
    try write(
      [
        "manifest.json": #"[{"file": "clip.mp4", "reps": 12}]"#,
        "settings.json": #"{"theme": "dark", "frames_per_page": 3}"#,
        "list.json": #"["a.json", "b.json"]"#, "empty.json": "",
        "doc.json": #"{"fps": 15, "source": {"frames": 1}, "frames": []}"#,
        "broken.json": #"{"fps": 15, "frames": [{"t": 0, "landmarks": 5}"#,
      ], under: root)
    var skipped: [SkippedInput] = []
    let found = try SessionDiscovery.sessions(under: root) { skipped.append($0) }
    #expect(found.contains(root + "/doc.json"))
    // Broken landmark data is the reader's to report (exit 65 with line and column).
    #expect(found.contains(root + "/broken.json"))
    #expect(
      skipped.map(\.path).sorted()
        == ["empty.json", "list.json", "manifest.json", "settings.json"].map { root + "/" + $0 })
    #expect(
      skipped.first { $0.path.hasSuffix("manifest.json") }?.description
        == "skipped \(root)/manifest.json: a JSON array of objects that are not landmark frames")
    #expect(
      skipped.first { $0.path.hasSuffix("settings.json") }?.reason
        == "a JSON object without \"frames\", not a landmark document")
  }

  @Test(arguments: [
    (#"{"fps": 30, "frames": [ {"t": 0"#, true),
    (#"[{"t": 0.0, "keypoints": null}]"#, true),
    (#"[{"timestamp_ms": 0}]"#, true),
    (#"{"pose_landmarks": null, "timestamp_ms": 0}"# + "\n", true),
    (#"{"name": "x", "frames": []}"#, true),
    (#"[{"name": "x"}]"#, false), (#"[1, 2]"#, false), ("[]", false), ("{}", false),
    (#"{"t": 0}"#, false), ("  \n", false), ("null", false), ("<html>", false),
  ])
  func sniffingTellsLandmarksFromOtherJSON(text: String, isLandmarks: Bool) {
    let content = JSONFileContent.of(head: Array(text.utf8), isWhole: true)
    #expect((content == .landmarks) == isLandmarks, "\(content)")
  }

  @Test func aWorkoutExportIsHandedOnAsItsOwnKind() throws {
    let line = #"{"format":"buddy-workout/1","id":"x","exercise":"squat"}"# + "\n"
    #expect(JSONFileContent.of(head: Array(("\n " + line).utf8), isWhole: true) == .workoutExport)
    // Not at the start of the first line: another object, judged as before.
    let later = #"{"id":"x","format":"buddy-workout/1"}"#
    #expect(JSONFileContent.of(head: Array(later.utf8), isWhole: true) != .workoutExport)
    let root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "discovery-\(UUID().uuidString.prefix(8))"
    ).path
    defer { try? FileManager.default.removeItem(atPath: root) }
    try write(["backup/workouts.jsonl": line], under: root)
    var skipped: [SkippedInput] = []
    #expect(
      try SessionDiscovery.sessions(under: root) { skipped.append($0) }
        == [root + "/backup/workouts.jsonl"])
    #expect(skipped.isEmpty)
  }

  @Test func aCutOffStartIsLeftToTheReader() {
    let header = #"{"metadata": ""# + String(repeating: "x", count: 100)
    #expect(JSONFileContent.of(head: Array(header.utf8), isWhole: false) == .landmarks)
    #expect(JSONFileContent.of(head: Array(header.utf8), isWhole: true) == .landmarks)
  }

  @Test func framesBesideLandmarksJSONAreCountedFromTheLandmarks() throws {
    let root = try makeTree()
    defer { try? FileManager.default.removeItem(atPath: root) }
    try write(
      [
        "clip/landmarks.json": #"{"fps": 15, "frames": [{"t": 0, "landmarks": null}]}"#,
        "clip/frames/000001.jpg": "x", "clip/frames/000002.jpg": "x",
        "other/landmarks.json": #"{"not": "landmarks"}"#, "other/frames/000001.jpg": "x",
      ], under: root)
    var skipped: [SkippedInput] = []
    let found = try SessionDiscovery.sessions(in: [root + "/clip", root + "/other"]) {
      skipped.append($0)
    }
    #expect(found == [root + "/clip/landmarks.json", root + "/other/frames"])
    #expect(
      skipped.map(\.description) == [
        "skipped \(root)/clip/frames: its frames are counted from \(root)/clip/landmarks.json "
          + "beside it",
        "skipped \(root)/other/landmarks.json: a JSON object without \"frames\", "
          + "not a landmark document",
      ])
    // Named directly, the frame directory is still one session of frames.
    #expect(try SessionDiscovery.sessions(under: root + "/clip/frames") == [root + "/clip/frames"])
  }

  @Test func aDirectoryStandsForItsLandmarkFilesVideosAndFrameDirectories() throws {
    let root = try makeTree()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let expected = ["a.json", "b.NDJSON", "c.jsonl", "clip.MP4", "frames", "sub/d.ndjson"].map {
      root + "/" + $0
    }
    #expect(try SessionDiscovery.sessions(under: root) == expected)
    #expect(try SessionDiscovery.sessions(under: root + "/") == expected)
    #expect(try SessionDiscovery.sessions(in: [root + "/sub", root]) == expected)
  }

  @Test func aDirectoryOfFramesIsOneSessionUnlessItHoldsLandmarks() throws {
    let root = try makeTree()
    defer { try? FileManager.default.removeItem(atPath: root) }
    #expect(SessionDiscovery.isFrameDirectory(root + "/frames"))
    #expect(!SessionDiscovery.isFrameDirectory(root + "/sub"))  // stray.jpg beside d.ndjson
    #expect(try SessionDiscovery.sessions(under: root + "/frames") == [root + "/frames"])
  }

  @Test func aFileIsItselfAndAMissingPathOrAnEmptyDirectoryIsMissingInput() throws {
    let root = try makeTree()
    defer { try? FileManager.default.removeItem(atPath: root) }
    #expect(try SessionDiscovery.sessions(under: root + "/notes.txt") == [root + "/notes.txt"])
    #expect(throws: PoseInputError.self) { try SessionDiscovery.sessions(under: root + "/nope") }
    try FileManager.default.createDirectory(
      atPath: root + "/empty", withIntermediateDirectories: false)
    do {
      _ = try SessionDiscovery.sessions(under: root + "/empty")
      Issue.record("an empty directory gave sessions")
    } catch {
      #expect(error.kind == .missingInput)
      #expect(error.reason.contains("no .json, .jsonl or .ndjson file"))
    }
    #expect(try SessionDiscovery.sessions(in: [root + "/empty"]).isEmpty)
  }
}
