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
      _ = FileManager.default.createFile(atPath: path, contents: Data("x".utf8))
    }
    return root
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
