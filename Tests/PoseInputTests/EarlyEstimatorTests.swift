import Foundation
import PoseEstimation
import RepCounting
import Synchronization
import Testing

@testable import PoseInput

#if canImport(Glibc)
import Glibc
#endif

/// With 2 or more threads the estimator (the pose models) is made beside the reading, as the
/// input opens, instead of at the first decoded image: made once, the same frames, and its
/// error surfaces only once an image has decoded.
@Suite("Estimator made early")
struct EarlyEstimatorTests {
  struct ModelsMissing: Error {}

  /// Counts how often the estimator was made (from any thread).
  final class Made: Sendable {
    private let times = Mutex(0)
    func add() { times.withLock { $0 += 1 } }
    var count: Int { times.withLock { $0 } }
  }

  /// A directory of `count` decodable 64×48 JPEGs and `junk` undecodable files after them.
  private func frames(count: Int, junk: Int = 0) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "early-\(UUID().uuidString.prefix(8))"
    ).path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    for index in 0..<count {
      let pixels = (0..<(64 * 48)).flatMap { pixel -> [UInt8] in
        let value = UInt8(truncatingIfNeeded: pixel / 64 * 4 + index * 30)
        return [value, 255 - value, 128]
      }
      let image = try #require(RGBImage(width: 64, height: 48, pixels: pixels))
      let bytes = try JPEGDecoder.encode(image, quality: 90)
      try Data(bytes).write(to: URL(fileURLWithPath: path + "/f\(index + 1).jpg"))
    }
    for index in 0..<junk {
      try Data("not a jpeg".utf8).write(
        to: URL(fileURLWithPath: path + "/g\(index + 1).jpg"))
    }
    return path
  }

  private func source(
    _ path: String, threads: Int, made: Made, fails: Bool = false
  ) throws -> PoseFrameSource {
    try PoseFrameSource(
      .path(path), options: .init(fps: 10, threads: threads),
      makeEstimator: {
        made.add()
        if fails { throw ModelsMissing() }
        return { _, time in Array(repeating: Landmark(x: time, y: 0.5), count: 33) }
      }, onRawBytes: nil, onNotice: { _ in })
  }

  @Test(.enabled(if: ComputeThreads.availableCores > 1, "needs two CPUs"))
  func twoThreadsMakeTheEstimatorBeforeTheFirstFrameOnceWithTheSameFrames() throws {
    let path = try frames(count: 4)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let made = Made()
    let early = try source(path, threads: 2, made: made)
    let deadline = ContinuousClock.now + .seconds(10)
    while made.count == 0 && ContinuousClock.now < deadline { usleep(1000) }
    #expect(made.count == 1)  // nobody has asked for a frame yet
    var frames: [PoseFrame] = []
    while let frame = try early.next() { frames.append(frame) }
    #expect(made.count == 1)

    let lateMade = Made()
    let late = try source(path, threads: 1, made: lateMade)
    #expect(lateMade.count == 0)
    var expected: [PoseFrame] = []
    while let frame = try late.next() { expected.append(frame) }
    #expect(lateMade.count == 1)
    #expect(frames.count == 4 && frames == expected)
  }

  @Test(arguments: [1, 2])
  func withoutADecodableFrameTheErrorIsBadDataNotTheEstimators(threads: Int) throws {
    let path = try frames(count: 0, junk: 2)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let made = Made()
    let reading = try source(path, threads: threads, made: made, fails: true)
    #expect {
      while try reading.next() != nil {}
    } throws: { error in
      (error as? PoseInputError)?.kind == .badData
    }
  }

  @Test(arguments: [1, 2])
  func theEstimatorsErrorSurfacesAtTheFirstDecodedImage(threads: Int) throws {
    let path = try frames(count: 2)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let made = Made()
    let reading = try source(path, threads: threads, made: made, fails: true)
    #expect(throws: ModelsMissing.self) { _ = try reading.next() }
    #expect(made.count == 1)
  }
}
