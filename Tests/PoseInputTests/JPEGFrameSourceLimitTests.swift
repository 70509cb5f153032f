import Foundation
import Testing

@testable import PoseInput

/// A JPEG file is read in chunks up to a limit (64 MiB by default, as for MJPEG frames), so a
/// path that names `/dev/zero` or a huge file costs at most the limit.
@Suite struct JPEGFrameSourceLimitTests {
  private func file(_ bytes: Int) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "jpeg-limit-\(UUID().uuidString.prefix(8)).jpg"
    ).path
    try Data(repeating: 0xAB, count: bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  @Test func theLimitIsTheMJPEGFrameLimitOf64MiB() {
    #expect(JPEGFrameSource.maxFileBytes == 64 << 20)
  }

  @Test func aFileOfExactlyTheLimitIsReadAndOneByteMoreIsRefused() throws {
    let fits = try file(100_000)
    let over = try file(100_001)
    defer {
      try? FileManager.default.removeItem(atPath: fits)
      try? FileManager.default.removeItem(atPath: over)
    }
    #expect((try? JPEGFrameSource.readFile(fits, limit: 100_000).get())?.count == 100_000)
    let error = #expect(throws: PoseInputError.self) {
      try JPEGFrameSource.readFile(over, limit: 100_000).get()
    }
    #expect(error?.kind == .badData && error?.file == over)
    #expect(error?.reason.contains("larger than 100000 bytes") == true)
  }

  @Test func anEndlessDeviceStopsAtTheLimit() throws {
    let error = #expect(throws: PoseInputError.self) {
      try JPEGFrameSource.readFile("/dev/zero", limit: 1 << 20).get()
    }
    #expect(
      error?.description
        == "/dev/zero: the file is larger than 1 MiB, the most a JPEG frame may have")
    var source = try JPEGFrameSource.files(["/dev/zero"])
    let next = source.next()
    let frame = try #require(next)
    #expect(throws: PoseInputError.self) { try frame.bytes.get() }
  }
}
