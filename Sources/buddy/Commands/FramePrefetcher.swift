import Foundation
import PoseEstimation
import PoseInput

/// Reads and decodes JPEG frames ahead of the pose pipeline on a second thread, handing them
/// over in order through a bounded queue (at most `depth` frames wait), so decoding overlaps
/// inference while memory stays flat. With `threads` 1 it decodes inline.
final class FramePrefetcher: @unchecked Sendable {
  /// One frame: its name, its JPEG bytes (or why they could not be read), and the decoded image
  /// (or the decoder's message).
  struct Item {
    var name: String
    var bytes: Result<[UInt8], PoseInputError>
    var image: Result<RGBImage, PoseInputError>?

    /// The decoded image, or why this frame has none (unreadable bytes or a bad JPEG).
    var decoded: Result<RGBImage, PoseInputError> {
      if let image { return image }
      if case .failure(let error) = bytes { return .failure(error) }
      return .failure(PoseInputError(.badData, file: name, reason: "not decoded"))
    }
  }

  private var source: JPEGFrameSource
  private let background: Bool
  private let lock = NSLock()
  private let filled = DispatchSemaphore(value: 0)
  private let free: DispatchSemaphore
  private var queue: [Item?] = []
  private var stopped = false

  /// The frame count of the source, when known before reading.
  let frameCount: Int?

  init(_ source: JPEGFrameSource, threads: Int, depth: Int = 4) {
    self.source = source
    frameCount = source.frameCount
    background = threads > 1
    free = DispatchSemaphore(value: depth)
    if background {
      let thread = Thread { [self] in produce() }
      thread.start()
    }
  }

  /// The next frame in order, or nil at the end.
  func next() -> Item? {
    guard background else { return Self.decode(source.next()) }
    filled.wait()
    let item = lock.withLock { queue.removeFirst() }
    free.signal()
    return item
  }

  /// Lets the reading thread end early (the consumer gave up, e.g. on an error).
  func stop() {
    lock.withLock { stopped = true }
    free.signal()
  }

  private func produce() {
    while true {
      free.wait()
      if lock.withLock({ stopped }) { return }
      let item = Self.decode(source.next())
      lock.withLock { queue.append(item) }
      filled.signal()
      if item == nil { return }
    }
  }

  private static func decode(_ frame: JPEGFrameSource.Frame?) -> Item? {
    guard let frame else { return nil }
    guard case .success(let bytes) = frame.bytes else {
      return Item(name: frame.name, bytes: frame.bytes, image: nil)
    }
    do throws(JPEGError) {
      return Item(
        name: frame.name, bytes: frame.bytes, image: .success(try JPEGDecoder().decode(bytes)))
    } catch {
      return Item(
        name: frame.name, bytes: frame.bytes,
        image: .failure(PoseInputError(.badData, file: frame.name, reason: error.message)))
    }
  }
}
