import Foundation
import TestSupport
import Testing

/// `buddy pose` and `buddy count` end to end with the packed-weight cache under
/// `$XDG_CACHE_HOME/exercise-buddy`: the first run builds and writes it, the second maps it
/// (as its debug log says) and prints exactly the same; a damaged cache file is rebuilt.
@Suite("Packed-weight cache (buddy)")
struct PackedWeightCacheCommandTests {
  /// A fresh directory holding the first `count` real frames (removed by the caller).
  static func frames(_ count: Int) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "buddy-packed-frames-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for index in 1...count {
      let name = String(format: "%05d.jpg", index)
      try FileManager.default.copyItem(
        atPath: PoseCommandTests.realFrames + "/" + name,
        toPath: dir.appendingPathComponent(name).path)
    }
    return dir
  }

  private func cacheFiles(_ buddy: BuddyProcess) -> [String] {
    let dir = buddy.home + "/.cache/exercise-buddy"
    return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
      .filter { $0.hasPrefix("packed-") }.sorted().map { dir + "/" + $0 }
  }

  @Test(
    .enabled(
      if: PoseCommandTests.haveModelsAndFrames, "needs the pose models and ../shared/realdata"))
  func secondPoseRunMapsTheCacheAndPrintsTheSame() throws {
    let buddy = try BuddyProcess(environment: [
      "BUDDY_MODEL_DIR": PoseCommandTests.modelDirectory, "BUDDY_LOG": "debug",
    ])
    defer { buddy.cleanUp() }
    let dir = try Self.frames(6)
    defer { try? FileManager.default.removeItem(at: dir) }
    let first = try buddy.run(["pose", "--fps", "15", dir.path], timeout: 300)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stderr.contains("packed weights: no cache file"))
    #expect(first.stderr.contains("packed weights: wrote"))
    #expect(first.stderr.contains("(cold)"))
    let files = cacheFiles(buddy)
    #expect(files.count == 2)
    let second = try buddy.run(["pose", "--fps", "15", dir.path], timeout: 300)
    #expect(second.status == 0, "\(second.stderr)")
    #expect(second.stderr.components(separatedBy: "packed weights: mapped").count == 3)
    #expect(!second.stderr.contains("packed weights: wrote"))
    #expect(second.stderr.contains("(warm)"))
    #expect(second.stderr.contains("startup: first inference starts at"))
    #expect(second.stderr.contains("startup: first landmarks at"))
    #expect(second.stdout == first.stdout)
    #expect(second.stdout.split(separator: "\n").count == 6)

    // A damaged file: rebuilt with a note, same output, never a crash.
    let damaged = try #require(files.first)
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: damaged)))
    bytes[bytes.count / 2] ^= 0x01
    try Data(bytes).write(to: URL(fileURLWithPath: damaged))
    let third = try buddy.run(["pose", "--fps", "15", dir.path], timeout: 300)
    #expect(third.status == 0, "\(third.stderr)")
    #expect(third.stderr.contains("fails its checksum; rebuilding it"))
    #expect(third.stdout == first.stdout)
  }

  @Test(
    .enabled(
      if: PoseCommandTests.haveModelsAndFrames, "needs the pose models and ../shared/realdata"))
  func countGivesTheSameSummaryWithAndWithoutTheCache() throws {
    let buddy = try BuddyProcess(environment: [
      "BUDDY_MODEL_DIR": PoseCommandTests.modelDirectory, "BUDDY_LOG": "debug",
    ])
    defer { buddy.cleanUp() }
    let dir = try Self.frames(30)
    defer { try? FileManager.default.removeItem(at: dir) }
    let arguments = ["count", "--exercise", "push-up", "--fps", "15", "--format", "json", dir.path]
    let cold = try buddy.run(arguments, timeout: 300)
    #expect(cold.status == 0, "\(cold.stderr)")
    #expect(cold.stderr.contains("packed weights: wrote"))
    let warm = try buddy.run(arguments, timeout: 300)
    #expect(warm.status == 0, "\(warm.stderr)")
    #expect(warm.stderr.contains("packed weights: mapped"))
    #expect(warm.stdout == cold.stdout)
  }
}
