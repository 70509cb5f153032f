import Testing

@testable import PoseEstimation

@Suite("MJPEG splitting")
struct MJPEGSplitterTests {
  static func frames() throws -> [[UInt8]] {
    [
      try TestImages.jpeg(width: 32, height: 32, seed: 0),
      TestImages.withEXIFOrientation(
        try TestImages.jpeg(width: 48, height: 16, seed: 1), orientation: 1),
      try TestImages.jpeg(width: 16, height: 16, seed: 2, quality: 50),
    ]
  }

  @Test(
    "a stream split into chunks of any size yields the frames in order",
    arguments: [1, 2, 7, 100, 4096, 1 << 20])
  func splitsConcatenatedFrames(chunkSize: Int) throws {
    let frames = try Self.frames()
    let stream = frames.flatMap { $0 }
    var splitter = MJPEGSplitter()
    var out: [[UInt8]] = []
    var start = 0
    while start < stream.count {
      let end = min(start + chunkSize, stream.count)
      out += try splitter.append(stream[start..<end])
      start = end
    }
    try splitter.finish()
    #expect(out == frames)
    for frame in out {
      _ = try JPEGDecoder().decode(frame)
    }
  }

  @Test("a frame split across two reads comes out once, whole")
  func frameSplitAcrossReads() throws {
    let frames = try Self.frames()
    let stream = frames.flatMap { $0 }
    let cut = frames[0].count + frames[1].count / 2  // inside frame 1
    var splitter = MJPEGSplitter()
    let first = try splitter.append(stream[..<cut])
    #expect(first == [frames[0]])
    #expect(splitter.hasPartialFrame)
    let second = try splitter.append(stream[cut...])
    #expect(second == [frames[1], frames[2]])
    #expect(!splitter.hasPartialFrame)
  }

  @Test("garbage between frames is skipped")
  func skipsGarbageBetweenFrames() throws {
    let frames = try Self.frames()
    let stream = Array("junk".utf8) + frames[0] + [0, 0xFF, 0x00] + frames[2]
    var splitter = MJPEGSplitter()
    #expect(try splitter.append(stream) == [frames[0], frames[2]])
  }

  @Test("a stream ending inside a frame is an error at finish")
  func truncatedStream() throws {
    let frame = try TestImages.jpeg()
    var splitter = MJPEGSplitter()
    #expect(try splitter.append(frame.dropLast(10)).isEmpty)
    #expect(throws: MJPEGError.truncatedFrame(index: 0, bytesRead: frame.count - 10)) {
      try splitter.finish()
    }
  }

  @Test("memory is bounded: a frame larger than the limit is an error")
  func boundedMemory() throws {
    let frame = try TestImages.jpeg()
    var splitter = MJPEGSplitter(maxFrameBytes: frame.count - 1)
    #expect(throws: MJPEGError.frameTooLarge(index: 0, limit: frame.count - 1)) {
      try splitter.append(frame)
    }
    var exact = MJPEGSplitter(maxFrameBytes: frame.count)
    #expect(try exact.append(frame + frame) == [frame, frame])
  }

  @Test("a broken marker structure is an error")
  func malformedFrame() throws {
    var splitter = MJPEGSplitter()
    #expect(throws: MJPEGError.self) { try splitter.append([0xFF, 0xD8, 0x12, 0x34]) }
  }
}
