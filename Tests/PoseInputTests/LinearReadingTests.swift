import Foundation
import RepCounting
import Testing

@testable import PoseInput

/// Reading stays linear in the input however it arrives. Large items come through a pipe, as
/// standard input does, so the reader gets them in reads of at most 64 KiB; before, each read
/// made the scanner start the item over (a 60 MB line took 15 s through `cat |`, 0.14 s from a
/// file). These tests count work (bytes scanned and copied per byte read), not time.
@Suite struct LinearReadingTests {
  /// Runs `body` with a reader of `bytes` written into a pipe by another thread, in one `write`
  /// per `chunk`; then drains and closes the pipe so the writer always finishes.
  static func withPipeReader<T>(
    _ bytes: [UInt8], chunk: Int = 64 << 10, _ body: (PoseReader) throws -> T
  ) throws -> T {
    var ends: [Int32] = [0, 0]
    try #require(pipe(&ends) == 0)
    let (readEnd, writeEnd) = (ends[0], ends[1])
    let writer = Thread {
      bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count, let base = buffer.baseAddress {
          let written = write(writeEnd, base + offset, min(chunk, buffer.count - offset))
          if written < 0 && errno == EINTR { continue }
          if written <= 0 { break }
          offset += written
        }
      }
      close(writeEnd)
    }
    writer.start()
    defer {
      var scratch = [UInt8](repeating: 0, count: 1 << 16)
      while read(readEnd, &scratch, scratch.count) > 0 {}
      close(readEnd)
    }
    return try body(PoseReader(descriptor: readEnd, prefix: [], name: "-"))
  }

  /// Reads everything.
  static func readAll(_ reader: PoseReader) throws(PoseInputError) -> [PoseFrame] {
    var frames: [PoseFrame] = []
    while let frame = try reader.next() { frames.append(frame) }
    return frames
  }

  /// The error reading `reader` to the end gives.
  static func readError(_ reader: PoseReader) -> PoseInputError? {
    do {
      _ = try readAll(reader)
      return nil
    } catch {
      return error
    }
  }

  /// A frame of `size` bytes on one line: mostly the `padding` between `"t"` and the landmarks.
  static func bigFrame(_ kind: Padding, size: Int) -> String {
    let landmarks = frameText(t: 1)
    let filler: String
    switch kind {
    case .string:
      filler = "\"junk\": \"" + String(repeating: "a", count: size) + "\","
    case .members:
      // Many small members: the frame's own member loop, not one big skipped value.
      filler = String(repeating: "\"k\":[1,{\"a\":null}],", count: size / 18)
    case .nested:
      let depth = 400
      let inner = String(repeating: "0,", count: size / 2) + "0"
      filler =
        "\"deep\": " + String(repeating: "[", count: depth) + inner
        + String(repeating: "]", count: depth) + ","
    case .whitespace:
      filler = String(repeating: " ", count: size)
    }
    return "{\"t\": 0, " + filler + String(landmarks.dropFirst())
  }

  enum Padding: CaseIterable {
    case string, members, nested, whitespace
  }

  @Test(arguments: Padding.allCases)
  func aMultiMegabyteLineThroughAPipeIsScannedOnce(_ padding: Padding) throws {
    let size = 6 << 20
    let text = Self.bigFrame(padding, size: size) + "\n" + frameText(t: 2) + "\n"
    let (frames, window) = try Self.withPipeReader(Array(text.utf8)) { reader in
      (try Self.readAll(reader), reader.window)
    }
    #expect(frames.count == 2)
    #expect(frames.map(\.landmarks.count) == [33, 33])
    #expect(frames.map(\.time) == [1, 2])
    #expect(window.bytesRead == text.utf8.count)
    // The data came in many small reads (a pipe holds 64 KiB)...
    #expect(window.reads > 90)
    // ...yet every byte was scanned once (before: about reads / 2 times) and copied a bounded
    // number of times (compaction once, doubling growth twice in total).
    #expect(window.bytesScanned <= window.bytesRead)
    #expect(window.bytesMoved <= 3 * window.bytesRead)
  }

  @Test func aLongDocumentThroughAPipeIsScannedOnce() throws {
    // Many ordinary frames in a bare array: the scanner resumes mid-frame at every read.
    let frames = (0..<5_000).map { frameText(t: Double($0) / 30) }
    let text = "[" + frames.joined(separator: ",\n") + "]\n"
    let (count, window) = try Self.withPipeReader(Array(text.utf8), chunk: 4096) { reader in
      (try Self.readAll(reader).count, reader.window)
    }
    #expect(count == 5_000)
    #expect(window.reads > 10)
    #expect(window.bytesScanned <= window.bytesRead)
    #expect(window.bytesMoved <= window.bytesRead)
  }

  @Test func endlessWhitespaceKeepsTheBufferSmallAndCountsLines() throws {
    // `yes ' ' | buddy count -` with an end: 8 MB of " \n" lines, then nothing.
    let lines = 4 << 20
    let bytes = Array(String(repeating: " \n", count: lines).utf8)
    let (error, window) = try Self.withPipeReader(bytes) { reader in
      (Self.readError(reader), reader.window)
    }
    let failure = try #require(error)
    #expect(failure.reason == "input holds only whitespace")
    #expect(failure.line == lines + 1)
    #expect(failure.column == 1)
    #expect(window.capacity == 1 << 20)
    #expect(window.bytesScanned == window.bytesRead)
  }

  @Test func whitespaceBeforeATooLargeFrameDoesNotHideItsPosition() throws {
    // The error for an oversized frame names the line it starts on, past any blank lines.
    let blank = String(repeating: "\n", count: 3_000)
    let text =
      frameText(t: 0) + "\n" + blank + "  {\"t\": 1, \"junk\": \""
      + String(repeating: "a", count: ByteWindow.maximumCapacity) + "\"}\n"
    let error = try Self.withPipeReader(Array(text.utf8)) { reader in Self.readError(reader) }
    let failure = try #require(error)
    #expect(failure.line == 3_002)
    #expect(failure.column == 3)
    #expect(failure.frameIndex == 1)
    #expect(failure.reason.contains("larger than"))
  }
}
