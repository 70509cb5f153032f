internal import Foundation
internal import Glibc

/// Parses a regular landmark file's frames on worker threads, in segments handed to the
/// reader strictly in order (so counting stays in order and gives the counts one thread does).
///
/// At most `ahead` segments are parsed or waiting at any time, so memory stays bounded however
/// large the file is. Workers hold this object (never the reader) and stop when ``stop()`` is
/// called or the file is done; the duplicated descriptor they read through is closed when the
/// last of them lets go.
final class FrameSegmentReader: @unchecked Sendable {
  /// Bytes per segment.
  static let segmentSize = 2 << 20
  /// Files smaller than this are read by the reader alone (threads would cost more).
  static let minimumFileSize = 8 << 20
  /// The smallest segment the last ones shrink to (see ``plannedLength(from:)``).
  static let smallestTailSegment = 256 << 10

  private let descriptor: Int32
  private let fileSize: Int
  private let format: PoseInputFormat
  private let segmentSize: Int
  private let workers: Int
  private let ahead: Int
  /// Whether the workers' scanners take the landmark fast path.
  private let fastPaths: Bool
  private let condition = NSCondition()
  /// Where each planned segment starts; a nil entry: no frame boundary was found there, so
  /// the reader goes on alone from the segment before it.
  private var starts: [Int?]
  /// Whether the last planned segment runs to the end of the file.
  private var planned = false
  private var nextToClaim = 0
  private var nextToTake = 0
  private var results: [Int: FrameSegment] = [:]
  private var stopped = false

  /// Starts `workers` threads parsing `descriptor`'s frames (duplicated here) from `start`,
  /// the offset where the reader stands between two frames, in segments of about
  /// `segmentSize` bytes. Nil when the descriptor cannot be duplicated.
  init?(
    descriptor: Int32, fileSize: Int, start: Int, format: PoseInputFormat, workers: Int,
    segmentSize: Int = FrameSegmentReader.segmentSize, ahead: Int = 4, fastPaths: Bool = true
  ) {
    let copy = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
    guard copy >= 0 else { return nil }
    self.descriptor = copy
    self.fileSize = fileSize
    self.format = format
    self.segmentSize = max(segmentSize, 1)
    self.workers = max(workers, 1)
    self.ahead = max(ahead, workers)
    self.fastPaths = fastPaths
    starts = [start]
    for _ in 0..<workers {
      let thread = Thread { [self] in work() }
      thread.start()
    }
  }

  deinit { close(descriptor) }

  /// The next segment in order, which must start at `position` (where the reader stopped);
  /// nil when there is none or it starts elsewhere (the reader then reads on alone).
  func next(startingAt position: Int) -> FrameSegment? {
    condition.lock()
    defer { condition.unlock() }
    let index = nextToTake
    while !stopped && results[index] == nil && !(planned && index >= starts.count) {
      condition.wait()
    }
    guard !stopped, let segment = results.removeValue(forKey: index) else { return nil }
    nextToTake += 1
    condition.broadcast()
    guard segment.start == position else { return nil }
    return segment
  }

  /// Lets the workers end (the reader is done with the segments, or gave up).
  func stop() {
    condition.lock()
    stopped = true
    condition.broadcast()
    condition.unlock()
  }

  /// How long the segment starting at `start` is planned to be: `segmentSize`, but the last
  /// ones shrink with what is left (each at most what is left over twice the workers, down to
  /// ``smallestTailSegment``), so the workers finish close together instead of one parsing a
  /// whole last segment while the others wait.
  private func plannedLength(from start: Int) -> Int {
    let share = (fileSize - start) / (2 * workers)
    return max(min(segmentSize, share), min(segmentSize, Self.smallestTailSegment))
  }

  /// A worker: claims the next segment while fewer than `ahead` are in flight, plans where
  /// it ends, and parses it.
  private func work() {
    while true {
      condition.lock()
      while !stopped && !(planned && nextToClaim >= starts.count)
        && nextToClaim - nextToTake >= ahead
      {
        condition.wait()
      }
      if stopped || (planned && nextToClaim >= starts.count) {
        condition.unlock()
        return
      }
      let index = nextToClaim
      nextToClaim += 1
      let start = starts[index]
      var limit = Int.max
      if let start {
        let nominal = start + plannedLength(from: start)
        if nominal < fileSize,
          let boundary = FrameSegment.boundary(in: descriptor, after: nominal, format: format)
        {
          limit = boundary
          starts.append(boundary)
        } else if nominal < fileSize {
          starts.append(nil)
          planned = true
        } else {
          planned = true
        }
      } else {
        planned = true
      }
      condition.broadcast()
      condition.unlock()

      let segment: FrameSegment
      if let start {
        segment = FrameSegment.parse(
          descriptor: descriptor, from: start, limit: limit, format: format,
          fastPaths: fastPaths)
      } else {
        // No boundary was found: the reader reads this part itself.
        segment = FrameSegment(start: -1, end: -1, failed: true)
      }
      condition.lock()
      results[index] = segment
      condition.broadcast()
      condition.unlock()
    }
  }
}
