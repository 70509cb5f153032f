import Foundation
import PoseEstimation
import TestSupport
import Testing

/// Inputs that never end or claim to be huge are refused quickly, with bounded memory: a JPEG
/// path naming `/dev/zero` (64 MiB at most per JPEG file), an image header beyond 50
/// megapixels, and an endless password line (4096 bytes at most).
@Suite("bounded reads")
struct BoundedReadTests {
  /// A run that reads without bound would grow for minutes: fail instead.
  static let timeout: TimeInterval = 20

  private func scratch() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "buddy-bounded-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// `names` in a new directory, each a symbolic link to `/dev/zero`.
  private func zeroLinks(_ names: [String]) throws -> (directory: URL, paths: [String]) {
    let directory = try scratch()
    let paths = names.map { directory.appendingPathComponent($0).path }
    for path in paths {
      try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "/dev/zero")
    }
    return (directory, paths)
  }

  @Test func poseRefusesAJPEGLinkedToDevZero() throws {
    let buddy = try BuddyProcess(environment: ["BUDDY_MODEL_DIR": "/nonexistent"])
    defer { buddy.cleanUp() }
    let (directory, paths) = try zeroLinks(["zero.jpg"])
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = try buddy.run(["pose", "--fps", "15", paths[0]], timeout: Self.timeout)
    #expect(result.status == 65)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("\(paths[0]): the file is larger than 64 MiB"))
  }

  @Test func countRefusesJPEGFilesLinkedToDevZero() throws {
    let buddy = try BuddyProcess(environment: ["BUDDY_MODEL_DIR": "/nonexistent"])
    defer { buddy.cleanUp() }
    let (directory, paths) = try zeroLinks(["a.jpg", "b.jpg"])
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = try buddy.run(
      ["count", "--exercise", "push-up", "--fps", "15"] + paths, timeout: Self.timeout)
    #expect(result.status == 65)
    for path in paths {
      #expect(result.stderr.contains("\(path): the file is larger than 64 MiB"))
    }
  }

  @Test func poseRefusesALargeFileWithoutReadingIt() throws {
    let buddy = try BuddyProcess(environment: ["BUDDY_MODEL_DIR": "/nonexistent"])
    defer { buddy.cleanUp() }
    let directory = try scratch()
    defer { try? FileManager.default.removeItem(at: directory) }
    // A sparse file: 64 MiB + 1 byte long, starting like a JPEG, taking no disk space.
    let path = directory.appendingPathComponent("huge.jpg").path
    try Data([0xFF, 0xD8, 0xFF]).write(to: URL(fileURLWithPath: path))
    #expect(truncate(path, (64 << 20) + 1) == 0)
    let result = try buddy.run(["pose", "--fps", "15", path], timeout: Self.timeout)
    #expect(result.status == 65)
    #expect(result.stderr.contains("\(path): the file is larger than 64 MiB"))
  }

  @Test func poseRefusesAnImageOver50MegapixelsFromItsHeader() throws {
    let buddy = try BuddyProcess(environment: ["BUDDY_MODEL_DIR": "/nonexistent"])
    defer { buddy.cleanUp() }
    let directory = try scratch()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("huge.jpg").path
    try Data(try Self.progressiveHeader(width: 18900, height: 18900))
      .write(to: URL(fileURLWithPath: path))
    let result = try buddy.run(["pose", "--fps", "15", path], timeout: Self.timeout)
    #expect(result.status == 65)
    #expect(
      result.stderr.contains(
        "\(path): the image is 18900x18900 pixels (357.2 megapixels), more than the 50 megapixels"))
  }

  /// A 16×16 JPEG whose header claims a progressive `width`×`height` image.
  static func progressiveHeader(width: Int, height: Int) throws -> [UInt8] {
    let image = try #require(
      RGBImage(width: 16, height: 16, pixels: [UInt8](repeating: 90, count: 16 * 16 * 3)))
    var bytes = try JPEGDecoder.encode(image)
    var index = 2
    while index + 9 < bytes.count, bytes[index] == 0xFF {
      if bytes[index + 1] == 0xC0 {
        bytes[index + 1] = 0xC2
        bytes[index + 5...index + 8] = [
          UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF),
        ]
        return bytes
      }
      index += 2 + (Int(bytes[index + 2]) << 8 | Int(bytes[index + 3]))
    }
    throw JPEGError("no SOF0 segment in the encoder's output")
  }

  /// The password is read before connecting; this database is never there.
  static let deadDatabase = ["BUDDY_DATABASE_URL": "postgresql:///buddy?host=/nonexistent"]

  @Test(arguments: [
    (String(repeating: "a", count: 64 << 10), "is longer than 4096 bytes"),
    (String(repeating: "a", count: 4097) + "\n", "is longer than 4096 bytes"),
    ("pass\u{0}word\n", "holds a NUL byte"),
  ])
  func anOverlongOrNULPasswordLineIsRefused(stdin: String, message: String) throws {
    let buddy = try BuddyProcess(environment: Self.deadDatabase)
    defer { buddy.cleanUp() }
    let result = try buddy.run(
      ["login", "--password-stdin", "ann"], stdin: stdin, timeout: Self.timeout)
    #expect(result.status == 65)
    #expect(result.stderr == "buddy: the password line on standard input \(message)\n")
  }

  @Test(arguments: [String(repeating: "a", count: 4096) + "\n", "pw\r\n", "pw"])
  func aPasswordLineWithinTheLimitIsAccepted(stdin: String) throws {
    let buddy = try BuddyProcess(environment: Self.deadDatabase)
    defer { buddy.cleanUp() }
    let result = try buddy.run(
      ["login", "--password-stdin", "ann"], stdin: stdin, timeout: Self.timeout)
    #expect(result.status == 69, "the password was read, then the database was missing")
  }
}
