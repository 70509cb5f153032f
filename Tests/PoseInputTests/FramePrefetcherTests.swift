import Foundation
import PoseEstimation
import Testing

@testable import PoseInput

/// The frame reader ahead of the pipeline gives the same frames, in the same order, with the
/// same failures, however it decodes: inline, on a thread of its own, or as errands of a thread
/// team (``ComputeThreads/post(errand:)``), and it can be dropped half way without hanging.
@Suite struct FramePrefetcherTests {
  /// A directory of `count` small JPEG frames (a different picture each) with a file that is
  /// not a JPEG at `bad`.
  static func frames(count: Int, bad: Int) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "prefetch-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for index in 0..<count {
      let name = String(format: "%05d.jpg", index)
      if index == bad {
        try Data("not a jpeg".utf8).write(to: dir.appendingPathComponent(name))
        continue
      }
      let pixels = (0..<(24 * 16 * 3)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ index &* 13) }
      let image = try #require(RGBImage(width: 24, height: 16, pixels: pixels))
      try Data(try JPEGDecoder.encode(image)).write(to: dir.appendingPathComponent(name))
    }
    return dir
  }

  /// Name, pixels or failure reason of every frame, in order.
  static func read(_ prefetcher: FramePrefetcher) -> [String] {
    var seen: [String] = []
    while let item = prefetcher.next() {
      switch item.decoded {
      case .success(let image):
        seen.append("\(item.name) \(image.width)x\(image.height) \(image.pixels.hashValue)")
      case .failure(let error):
        seen.append("\(item.name) \(error.reason)")
      }
    }
    #expect(prefetcher.next() == nil)
    return seen
  }

  @Test func everyWayOfDecodingGivesTheSameFramesInOrder() throws {
    let dir = try Self.frames(count: 23, bad: 9)
    defer { try? FileManager.default.removeItem(at: dir) }
    let inline = Self.read(FramePrefetcher(try JPEGFrameSource.open(dir.path), threads: 1))
    #expect(inline.count == 23)
    #expect(inline[9].contains("00009.jpg") && !inline[9].contains("24x16"))
    let threaded = Self.read(FramePrefetcher(try JPEGFrameSource.open(dir.path), threads: 2))
    #expect(threaded == inline)
    for depth in [1, 2, 4] {
      let team = ComputeThreads(count: 2)
      let errands = Self.read(
        FramePrefetcher(
          try JPEGFrameSource.open(dir.path), threads: 2, team: team, depth: depth))
      #expect(errands == inline, "depth \(depth)")
      // A team without helpers decodes inline.
      let alone = Self.read(
        FramePrefetcher(
          try JPEGFrameSource.open(dir.path), threads: 2, team: ComputeThreads(count: 1),
          depth: depth))
      #expect(alone == inline, "depth \(depth), no helper")
    }
  }

  @Test func errandsKeepDecodingWhileTheTeamRunsJobs() throws {
    let dir = try Self.frames(count: 40, bad: 3)
    defer { try? FileManager.default.removeItem(at: dir) }
    let inline = Self.read(FramePrefetcher(try JPEGFrameSource.open(dir.path), threads: 1))
    let team = ComputeThreads(count: 2)
    let prefetcher = FramePrefetcher(try JPEGFrameSource.open(dir.path), threads: 2, team: team)
    var seen: [String] = []
    var sum = 0
    while let item = prefetcher.next() {
      // Jobs between frames, as the pipeline runs its kernels.
      team.run(&sum, chunks: 8) { raw, chunk, _, _ in
        _ = raw
        _ = chunk
      }
      switch item.decoded {
      case .success(let image):
        seen.append("\(item.name) \(image.width)x\(image.height) \(image.pixels.hashValue)")
      case .failure(let error):
        seen.append("\(item.name) \(error.reason)")
      }
    }
    #expect(seen == inline)
  }

  @Test func droppedHalfWayItStopsWithoutHanging() throws {
    let dir = try Self.frames(count: 30, bad: -1)
    defer { try? FileManager.default.removeItem(at: dir) }
    for taken in [0, 1, 5] {
      let team = ComputeThreads(count: 2)
      do {
        let prefetcher = FramePrefetcher(
          try JPEGFrameSource.open(dir.path), threads: 2, team: team)
        for _ in 0..<taken { #expect(prefetcher.next() != nil) }
        prefetcher.stop()
      }
      // The team still works, and its helper is free again.
      var values = (0, 0)
      team.run(&values, chunks: 2) { raw, chunk, _, _ in
        let values = raw.assumingMemoryBound(to: (Int, Int).self)
        if chunk == 0 { values.pointee.0 = 1 } else { values.pointee.1 = 2 }
      }
      #expect(values == (1, 2))
    }
  }
}
