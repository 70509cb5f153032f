import PoseEstimation
import RepCounting
import Testing

@testable import PoseInput

#if canImport(Glibc)
import Glibc
#endif

/// The estimator is called at the same stack depth on every frame: the stored closure once
/// went through a generic `??` on each frame, which wrapped it in one more reabstraction thunk
/// each time, so frame n ran n thunks deep (the stack of a long video growing by the frame).
@Suite struct EstimatorCallDepthTests {
  /// The address of a local variable of this call: a measure of the stack depth.
  @inline(never)
  static func stackAddress() -> UInt {
    var marker = 0
    return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
  }

  @Test(arguments: [1, 2])
  func theEstimatorIsCalledAtTheSameDepthOnEveryFrame(threads: Int) throws {
    let image = try #require(
      RGBImage(width: 16, height: 16, pixels: [UInt8](repeating: 90, count: 16 * 16 * 3)))
    let frame = try JPEGDecoder.encode(image, quality: 80)
    let count = 3000
    var ends: [Int32] = [0, 0]
    try #require(pipe(&ends) == 0)
    close(ends[1])  // the stream is all in the prefix; the pipe is at its end
    defer { close(ends[0]) }
    let source = JPEGFrameSource.stream(
      descriptor: ends[0], prefix: Array([[UInt8]](repeating: frame, count: count).joined()),
      name: "frames")
    final class Depths: @unchecked Sendable { var values: [UInt] = [] }
    let depths = Depths()
    let frames = ImageFrames(
      source, name: "frames", fps: 30, threads: threads, process: nil,
      makeEstimator: {
        { _, _ in
          depths.values.append(Self.stackAddress())
          return []
        }
      }, onRawBytes: nil, onNotice: { _ in })
    var read = 0
    while try frames.next() != nil { read += 1 }
    #expect(read == count)
    let first = try #require(depths.values.first)
    let deepest = try #require(depths.values.min())
    // The same call path each frame; 3,000 nested thunks would be hundreds of kilobytes.
    #expect(first - deepest < 4096, "the stack grew by \(first - deepest) bytes")
  }
}
