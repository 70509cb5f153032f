internal import Glibc

/// The frames of one stretch of a landmark file, parsed on a worker thread ahead of the reader.
///
/// A segment starts where a frame object starts (a guess: the `{` after a newline or a comma)
/// and ends at the first frame boundary at or after `limit`, at the end of the frames, or at
/// the first problem. The reader adopts it only when its start is exactly where the previous
/// segment (or the reader itself) stopped, so a wrong guess costs time, never correctness; a
/// segment that met a problem is read again by the reader itself, which reports it with its
/// exact line and column.
struct FrameSegment {
  /// Absolute offset of the segment's first byte.
  var start: Int
  /// The frames, unresolved (the reader gives them their times, in order).
  var frames: [RawFrame] = []
  /// Absolute offset where parsing stopped: the next frame's first byte, or the byte after the
  /// frames array's `]`, or the end of the file.
  var end: Int
  /// Newlines between `start` and `end`.
  var newlines = 0
  /// Absolute offset of the first byte after the last of those newlines.
  var lastLineStart: Int?
  /// Whether the frames ended inside the segment (`]` of the array, or the end of JSON Lines).
  var finished = false
  /// Whether parsing met anything it could not read (bad data, a read error, a wrong guess).
  var failed = false

  /// Parses the frames of `descriptor` (a regular file, read with `pread`) from `start` up to
  /// the first frame boundary at or after `limit`. `format` is `.jsonLines` (frames separated
  /// by whitespace) or `.document`/`.array` (frames separated by commas, ended by `]`).
  /// `fastPaths`: whether the landmark fast path is taken (``ByteWindow/fastPaths``).
  static func parse(
    descriptor: Int32, from start: Int, limit: Int, format: PoseInputFormat,
    bufferCapacity: Int = 1 << 19, fastPaths: Bool = true
  ) -> FrameSegment {
    var segment = FrameSegment(start: start, end: start)
    let window = ByteWindow(
      source: .region(descriptor, offset: start), initialCapacity: bufferCapacity)
    window.fastPaths = fastPaths
    var line = 1
    var lineStart = start
    while true {
      var scanner = JSONScanner(window: window, line: line, lineStart: lineStart)
      do throws(ScanError) {
        try scanner.skipWhitespace()
        let position = scanner.baseOffset + scanner.index
        if position >= limit || scanner.isAtEnd {
          segment.finished = scanner.isAtEnd
          segment.failed = scanner.isAtEnd && format != .jsonLines
          segment.end = position
          line = scanner.line
          lineStart = scanner.lineStart
          break
        }
        guard try scanner.peek() == UInt8(ascii: "{") else {
          segment.failed = true
          break
        }
        segment.frames.append(try scanner.frame())
        if format != .jsonLines, try !scanner.separator(close: UInt8(ascii: "]")) {
          segment.finished = true
          segment.end = scanner.baseOffset + scanner.index
          line = scanner.line
          lineStart = scanner.lineStart
          break
        }
      } catch {
        segment.failed = true
        break
      }
      window.start += scanner.index
      line = scanner.line
      lineStart = scanner.lineStart
    }
    if segment.failed {
      segment.frames = []
      return segment
    }
    segment.newlines = line - 1
    segment.lastLineStart = line > 1 ? lineStart : nil
    return segment
  }

  /// The likely start of a frame at or after `offset`: the first `{` that follows a newline
  /// (JSON Lines) or a comma (a document's or array's frames), with only whitespace between;
  /// nil when none is found within `searchLimit` bytes.
  static func boundary(
    in descriptor: Int32, after offset: Int, format: PoseInputFormat,
    searchLimit: Int = 1 << 20
  ) -> Int? {
    let separator = format == .jsonLines ? UInt8(ascii: "\n") : UInt8(ascii: ",")
    // A frame is a few KB, so one small read nearly always finds the boundary.
    let chunkSize = 1 << 13
    var buffer = [UInt8](repeating: 0, count: chunkSize)
    var chunkStart = offset
    var afterSeparator = false
    while chunkStart - offset < searchLimit {
      let count = buffer.withUnsafeMutableBytes { bytes in
        pread(descriptor, bytes.baseAddress, chunkSize, off_t(chunkStart))
      }
      guard count > 0 else { return nil }
      for index in 0..<count {
        let byte = buffer[index]
        if afterSeparator {
          switch byte {
          case UInt8(ascii: "{"): return chunkStart + index
          case 0x20, 0x09, 0x0A, 0x0D: continue
          default: afterSeparator = false
          }
        }
        if byte == separator { afterSeparator = true }
      }
      chunkStart += count
    }
    return nil
  }
}
