internal import Foundation
public import PoseEstimation

/// Reads and decodes JPEG frames ahead of the pose pipeline, handing them over in order through
/// a bounded queue (at most `depth` frames wait), so decoding overlaps inference while memory
/// stays flat. Given the pipeline's thread team, the decoding is an errand of the team's
/// helpers (``ComputeThreads/post(errand:)``), which they run between kernels while the caller
/// does the kernels alone; otherwise, with `threads` 2 or more, it runs on a thread of its own;
/// with `threads` 1 it is inline.
public final class FramePrefetcher: @unchecked Sendable {
  /// One frame: its name, its JPEG bytes (or why they could not be read), and the decoded image
  /// (or the decoder's message).
  public struct Item {
    /// The file name, or `NAME frame N` for a stream.
    public var name: String
    /// The JPEG bytes, or why they could not be read.
    public var bytes: Result<[UInt8], PoseInputError>
    /// The decoded image or the decoder's message (nil when the bytes could not be read).
    public var image: Result<RGBImage, PoseInputError>?

    /// The decoded image, or why this frame has none (unreadable bytes or a bad JPEG).
    public var decoded: Result<RGBImage, PoseInputError> {
      if let image { return image }
      if case .failure(let error) = bytes { return .failure(error) }
      return .failure(PoseInputError(.badData, file: name, reason: "not decoded"))
    }
  }

  private let source: Source
  private let channel: Channel?
  /// The team whose helpers decode (errand mode), if any.
  private let team: ComputeThreads?

  /// The frame count of the source, when known before reading.
  public let frameCount: Int?

  /// Reads `source` ahead as errands of `team` when it has helpers, else on a second thread
  /// when `threads` is 2 or more (inline otherwise), with at most `depth` decoded frames
  /// waiting. The first frames start decoding now.
  public init(
    _ source: JPEGFrameSource, threads: Int, team: ComputeThreads? = nil, depth: Int = 4
  ) {
    frameCount = source.frameCount
    let source = Source(source)
    self.source = source
    if let team, team.count > 1 {
      let channel = Channel(depth: depth)
      self.channel = channel
      self.team = team
      channel.refill(from: source, team: team)
    } else if threads > 1 {
      self.team = nil
      let channel = Channel(depth: depth)
      self.channel = channel
      // The thread holds the source and the channel, never the prefetcher: dropping the
      // prefetcher (e.g. on an error before the last frame) stops the thread.
      let thread = Thread { channel.produce(from: source) }
      thread.start()
    } else {
      channel = nil
      self.team = nil
    }
  }

  deinit { channel?.stop() }

  /// The next frame in order, or nil at the end (and after it).
  public func next() -> Item? {
    guard let channel else { return Self.decode(source.reader.next()) }
    if let team { channel.refill(from: source, team: team) }
    return channel.next()
  }

  /// Lets the reading thread end early (the consumer gave up, e.g. on an error).
  public func stop() {
    channel?.stop()
  }

  /// The frame source, touched by one thread at a time: the reading thread, the errand
  /// decoding (one at a time, handed over under the channel's lock), or the consumer when
  /// there is neither.
  private final class Source: @unchecked Sendable {
    var reader: JPEGFrameSource
    init(_ reader: JPEGFrameSource) { self.reader = reader }
  }

  /// The bounded, ordered hand-over between the reading thread and the consumer.
  private final class Channel: @unchecked Sendable {
    private let condition = NSCondition()
    private let depth: Int
    private var queue: [Item?] = []
    private var stopped = false
    private var ended = false
    /// Errand mode: an errand is posted or running. It ends only with the queue full, the
    /// source done or the channel stopped, so a consumer waiting on an empty queue always has
    /// one coming.
    private var producing = false
    /// The source's end is queued.
    private var sourceDone = false

    init(depth: Int) { self.depth = max(depth, 1) }

    func next() -> Item? {
      condition.lock()
      defer { condition.unlock() }
      if ended { return nil }
      while queue.isEmpty { condition.wait() }
      let item = queue.removeFirst()
      if item == nil { ended = true }
      condition.broadcast()
      return item
    }

    func stop() {
      condition.lock()
      stopped = true
      condition.broadcast()
      condition.unlock()
    }

    /// Errand mode: posts an errand decoding frames until `depth` wait (``fill(from:)``), unless
    /// one is posted or running, the queue is full, or the source is done.
    func refill(from source: Source, team: ComputeThreads) {
      condition.lock()
      let start = !producing && !sourceDone && !stopped && queue.count < depth
      if start { producing = true }
      condition.unlock()
      if start { team.post { self.fill(from: source) } }
    }

    /// An errand: decodes frames while fewer than `depth` wait, until the end or `stop`.
    func fill(from source: Source) {
      while true {
        condition.lock()
        if queue.count >= depth || stopped || sourceDone {
          producing = false
          condition.broadcast()
          condition.unlock()
          return
        }
        condition.unlock()
        decodeNext(from: source)
      }
    }

    /// Decodes the source's next frame (outside the lock) and queues it, or queues the end;
    /// false at the end.
    @discardableResult
    private func decodeNext(from source: Source) -> Bool {
      let item = FramePrefetcher.decode(source.reader.next())
      condition.lock()
      queue.append(item)
      if item == nil { sourceDone = true }
      condition.broadcast()
      condition.unlock()
      return item != nil
    }

    /// The reading thread: decodes frames while fewer than `depth` wait, until the end or
    /// `stop`.
    func produce(from source: Source) {
      while true {
        condition.lock()
        while queue.count >= depth && !stopped { condition.wait() }
        let stop = stopped
        condition.unlock()
        if stop || !decodeNext(from: source) { return }
      }
    }
  }

  fileprivate static func decode(_ frame: JPEGFrameSource.Frame?) -> Item? {
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
