internal import Glibc

/// A sliding window over a byte stream: a buffer that is refilled from a file descriptor (or a
/// byte array) and compacted, so memory stays bounded by the largest single unit.
final class ByteWindow {
  /// Where bytes come from.
  enum Source {
    case descriptor(Int32, closeWhenDone: Bool)
    case memory([UInt8])
    /// A regular file read with `pread` from `offset` on (the descriptor's own position is
    /// left alone, so several windows can share it across threads); never closed here.
    case region(Int32, offset: Int)
  }

  /// The largest buffer allowed: a single frame or value larger than this is rejected.
  static let maximumCapacity = 64 << 20

  private(set) var storage: UnsafeMutablePointer<UInt8>
  private(set) var capacity: Int
  /// Index of the first unconsumed byte.
  var start = 0
  /// Number of valid bytes in `storage`; `storage[end]` is always 0.
  private(set) var end = 0
  /// Absolute stream offset of `storage[0]`.
  private(set) var baseOffset = 0
  /// Whether the source has no more bytes.
  private(set) var atEOF = false
  /// Sees every chunk of raw input as it is read (e.g. to hash the input while it is parsed).
  var observer: ((UnsafeRawBufferPointer) -> Void)?
  /// Whether scanners over this window may take their fast paths (``JSONScanner/fastLandmarks()``);
  /// false reads everything through the general scanner (for the tests and the fuzz target that
  /// compare the two).
  var fastPaths = true
  /// Work counters, for the regression tests that keep reading linear in the input: bytes read
  /// from the source (in `reads` reads), bytes copied inside the buffer (compaction and growth), and bytes the
  /// readers scanned (``PoseReader`` adds what each unit covered, counting any rescan).
  private(set) var bytesRead = 0
  private(set) var reads = 0
  private(set) var bytesMoved = 0
  var bytesScanned = 0
  private var source: Source
  private var memoryOffset = 0
  /// Bytes already taken from a descriptor (to sniff its kind), served before reading it.
  private var prefix: [UInt8]
  private var prefixOffset = 0
  private var closed = false

  init(source: Source, prefix: [UInt8] = [], initialCapacity: Int = 1 << 20) {
    self.source = source
    self.prefix = prefix
    if case .region(_, let offset) = source { baseOffset = offset }
    capacity = initialCapacity
    storage = UnsafeMutablePointer<UInt8>.allocate(capacity: initialCapacity + 1)
    storage[0] = 0
  }

  deinit {
    storage.deallocate()
    closeSource()
  }

  /// Moves the unconsumed bytes to the front, grows the buffer when it is full of one unit, and
  /// reads once (or notes the end of input). Returns false when the unit cannot fit.
  ///
  /// A scanner in the middle of a unit calls this and carries on: the unit's first byte (at
  /// `start`) moves to the front, so offsets from it stay valid.
  func refill() throws(ReadFailure) -> Bool {
    if start > 0 {
      let remaining = end - start
      if remaining > 0 {
        storage.update(from: storage + start, count: remaining)
        bytesMoved += remaining
      }
      baseOffset += start
      end = remaining
      start = 0
    }
    if end == capacity {
      guard capacity < Self.maximumCapacity else { return false }
      let grown = min(capacity * 2, Self.maximumCapacity)
      let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown + 1)
      bigger.update(from: storage, count: end)
      bytesMoved += end
      storage.deallocate()
      storage = bigger
      capacity = grown
    }
    // One successful read is enough: on a pipe or terminal, waiting to fill the buffer would
    // hold back frames that have already arrived (`buddy count --follow`). A regular file
    // returns as much as asked anyway.
    while end < capacity && !atEOF {
      let count = try readChunk(into: storage + end, maximum: capacity - end)
      if count == 0 {
        atEOF = true
        closeSource()
      } else {
        observer?(UnsafeRawBufferPointer(start: storage + end, count: count))
        end += count
        bytesRead += count
        reads += 1
        break
      }
    }
    // A 0 sentinel after the data lets the scanner's fast paths run without bounds checks
    // (the buffer always has one spare byte).
    storage[end] = 0
    return true
  }

  /// The descriptor and size of the regular file this window reads, when ``seek(to:)`` may be
  /// used: no sniffed prefix, no observer (which must see every byte in order), not closed.
  var seekableFile: (descriptor: Int32, size: Int)? {
    guard case .descriptor(let descriptor, _) = source, prefix.isEmpty, observer == nil, !closed
    else { return nil }
    var info = stat()
    guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
    return (descriptor, Int(info.st_size))
  }

  /// Drops the buffered bytes and goes on reading at the absolute stream offset `offset` (for a
  /// seekable window only: bytes other threads have parsed are skipped here). Returns false
  /// when the descriptor cannot seek.
  func seek(to offset: Int) -> Bool {
    guard case .descriptor(let descriptor, _) = source, !closed,
      lseek(descriptor, off_t(offset), SEEK_SET) == off_t(offset)
    else { return false }
    baseOffset = offset
    start = 0
    end = 0
    atEOF = false
    storage[0] = 0
    return true
  }

  private func readChunk(into pointer: UnsafeMutablePointer<UInt8>, maximum: Int)
    throws(ReadFailure)
    -> Int
  {
    switch source {
    case .descriptor(let descriptor, _):
      if prefixOffset < prefix.count {
        let count = min(maximum, prefix.count - prefixOffset)
        prefix.withUnsafeBufferPointer { buffer in
          if let base = buffer.baseAddress {
            pointer.update(from: base + prefixOffset, count: count)
          }
        }
        prefixOffset += count
        return count
      }
      while true {
        let count = read(descriptor, pointer, maximum)
        if count >= 0 { return count }
        if errno == EINTR { continue }
        throw ReadFailure(message: String(cString: strerror(errno)))
      }
    case .region(let descriptor, let offset):
      while true {
        let count = pread(descriptor, pointer, maximum, off_t(offset))
        if count >= 0 {
          source = .region(descriptor, offset: offset + count)
          return count
        }
        if errno == EINTR { continue }
        throw ReadFailure(message: String(cString: strerror(errno)))
      }
    case .memory(let bytes):
      let count = min(maximum, bytes.count - memoryOffset)
      if count > 0 {
        bytes.withUnsafeBufferPointer { buffer in
          if let base = buffer.baseAddress {
            pointer.update(from: base + memoryOffset, count: count)
          }
        }
        memoryOffset += count
      }
      return count
    }
  }

  private func closeSource() {
    guard !closed else { return }
    closed = true
    if case .descriptor(let descriptor, true) = source {
      close(descriptor)
    }
    if case .memory = source {
      source = .memory([])
    }
  }
}

/// Reading the source failed (an I/O error, not bad data).
struct ReadFailure: Error {
  var message: String
}
