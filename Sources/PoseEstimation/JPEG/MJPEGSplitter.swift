/// Splits a stream of concatenated JPEG images (what `ffmpeg -f mjpeg -` writes) into
/// complete frames, incrementally.
///
/// Feed it chunks of any size with `append(_:)`; it returns the frames completed by
/// each chunk, in order. A frame may be split across any number of chunks. Memory is
/// bounded by `maxFrameBytes`: only the frame being assembled is kept.
///
/// The splitter follows the JPEG marker structure (segment lengths, entropy-coded data
/// with byte stuffing and restart markers), so an EXIF thumbnail inside an APP1 segment
/// does not end the frame early. Bytes between frames that are not a start-of-image
/// marker are skipped.
public struct MJPEGSplitter: Sendable {
  private enum State: Sendable {
    /// Between frames: looking for 0xFF 0xD8.
    case seekingStart(sawFF: Bool)
    /// Inside a frame, expecting a marker (0xFF, then the code; fill 0xFF allowed).
    case marker(sawFF: Bool)
    /// Reading the 2-byte length of a marker segment; `high` is the first byte.
    case segmentLength(code: UInt8, high: UInt8?)
    /// Skipping `remaining` bytes of a marker segment; then entropy data if SOS.
    case segmentBody(remaining: Int, isStartOfScan: Bool)
    /// Entropy-coded data: scanning for a marker that is not stuffing or RSTn.
    case entropy(sawFF: Bool)
  }

  /// The largest frame accepted by default, in bytes: 64 MiB (also the most a JPEG file read
  /// as one frame may hold).
  public static let defaultMaxFrameBytes = 64 << 20

  /// The largest frame accepted, in bytes.
  public let maxFrameBytes: Int
  private var state = State.seekingStart(sawFF: false)
  private var frame: [UInt8] = []
  private var framesEmitted = 0

  /// Creates a splitter that rejects frames larger than `maxFrameBytes`.
  public init(maxFrameBytes: Int = defaultMaxFrameBytes) {
    self.maxFrameBytes = max(maxFrameBytes, 4)
  }

  /// True while part of a frame has been read but not its end.
  public var hasPartialFrame: Bool {
    if case .seekingStart = state { return false }
    return true
  }

  /// Consumes the next chunk of the stream; returns the frames it completed.
  public mutating func append(_ chunk: some Sequence<UInt8>) throws(MJPEGError) -> [[UInt8]] {
    var completed: [[UInt8]] = []
    for byte in chunk {
      if try consume(byte) {
        completed.append(frame)
        frame.removeAll(keepingCapacity: true)
        framesEmitted += 1
      }
    }
    return completed
  }

  /// Checks that the stream ended between frames.
  public func finish() throws(MJPEGError) {
    if hasPartialFrame {
      throw MJPEGError.truncatedFrame(index: framesEmitted, bytesRead: frame.count)
    }
  }

  /// Returns true when `byte` completed a frame.
  private mutating func consume(_ byte: UInt8) throws(MJPEGError) -> Bool {
    switch state {
    case .seekingStart(let sawFF):
      if sawFF && byte == 0xD8 {
        frame.append(0xFF)
        frame.append(0xD8)
        state = .marker(sawFF: false)
      } else {
        state = .seekingStart(sawFF: byte == 0xFF)
      }
      return false
    default:
      break
    }
    guard frame.count < maxFrameBytes else {
      throw MJPEGError.frameTooLarge(index: framesEmitted, limit: maxFrameBytes)
    }
    frame.append(byte)
    switch state {
    case .seekingStart:
      return false  // handled above
    case .marker(let sawFF):
      if !sawFF {
        guard byte == 0xFF else {
          throw MJPEGError.malformed(index: framesEmitted, offset: frame.count - 1)
        }
        state = .marker(sawFF: true)
        return false
      }
      return try startMarker(byte)
    case .segmentLength(let code, let high):
      guard let high else {
        state = .segmentLength(code: code, high: byte)
        return false
      }
      let length = Int(high) << 8 | Int(byte)
      guard length >= 2 else {
        throw MJPEGError.malformed(index: framesEmitted, offset: frame.count - 2)
      }
      let isStartOfScan = code == 0xDA
      state =
        length == 2
        ? (isStartOfScan ? .entropy(sawFF: false) : .marker(sawFF: false))
        : .segmentBody(remaining: length - 2, isStartOfScan: isStartOfScan)
      return false
    case .segmentBody(let remaining, let isStartOfScan):
      if remaining > 1 {
        state = .segmentBody(remaining: remaining - 1, isStartOfScan: isStartOfScan)
      } else {
        state = isStartOfScan ? .entropy(sawFF: false) : .marker(sawFF: false)
      }
      return false
    case .entropy(let sawFF):
      if !sawFF {
        state = .entropy(sawFF: byte == 0xFF)
        return false
      }
      switch byte {
      case 0x00, 0xD0...0xD7:  // stuffed 0xFF or restart marker
        state = .entropy(sawFF: false)
        return false
      case 0xFF:  // fill byte
        state = .entropy(sawFF: true)
        return false
      default:
        return try startMarker(byte)
      }
    }
  }

  /// `code` follows 0xFF inside a frame.
  private mutating func startMarker(_ code: UInt8) throws(MJPEGError) -> Bool {
    switch code {
    case 0xFF:
      state = .marker(sawFF: true)  // fill byte
      return false
    case 0xD9:  // EOI
      state = .seekingStart(sawFF: false)
      return true
    case 0x01, 0xD0...0xD7:  // TEM, RSTn: no length
      state = .marker(sawFF: false)
      return false
    case 0x00, 0xD8:
      throw MJPEGError.malformed(index: framesEmitted, offset: frame.count - 2)
    default:
      state = .segmentLength(code: code, high: nil)
      return false
    }
  }
}

/// Why an MJPEG stream could not be split.
public enum MJPEGError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Frame `index` (0-based) is larger than the splitter's limit.
  case frameTooLarge(index: Int, limit: Int)
  /// Frame `index` has an invalid marker structure at byte `offset` of the frame.
  case malformed(index: Int, offset: Int)
  /// The stream ended inside frame `index`.
  case truncatedFrame(index: Int, bytesRead: Int)

  public var description: String {
    switch self {
    case .frameTooLarge(let index, let limit):
      "MJPEG frame \(index) is larger than \(limit) bytes"
    case .malformed(let index, let offset):
      "MJPEG frame \(index) is malformed at byte \(offset)"
    case .truncatedFrame(let index, let bytesRead):
      "MJPEG stream ended inside frame \(index) after \(bytesRead) bytes"
    }
  }
}
