/// What a `.json`/`.jsonl`/`.ndjson` file found in a directory walk holds, judged from its first
/// bytes: landmarks, or something else that the walk skips with one line.
///
/// A landmark input has recognisable keys at its start: a document has `frames`; a bare array's
/// first frame has `t`, `timestamp_ms` or a landmarks key; a JSON Lines frame has a landmarks key
/// (docs/landmark-format.md). A `manifest.json` array or an unrelated object has none of them.
/// Only the first 64 KiB are read. A file is skipped only when they show it is something else;
/// when they do not decide it (a header longer than that, or JSON broken before a recognisable
/// key) the file counts as landmarks and the reader judges it in full, naming the line and column. A file named directly is not
/// sniffed: ``PoseReader`` refuses the same non-landmark shapes with exit 65.
///
/// A `buddy export` file (JSON Lines whose first line starts with ``workoutExportPrefix``) is
/// its own case: a walk hands it on, and `buddy import` restores it instead of counting it.
public enum JSONFileContent: Equatable, Sendable {
  /// Landmark frames (or too long a start to tell; the reader decides).
  case landmarks
  /// Workouts written by `buddy export`, one per line.
  case workoutExport
  /// Not landmark data; `reason` says what it is instead, for the skip line.
  case other(reason: String)

  /// How many first bytes are read to decide.
  static let sniffLength = 64 << 10

  /// How every line of a `buddy export` file starts (the format name, then its version).
  public static let workoutExportPrefix = #"{"format":"buddy-workout/"#

  /// Sniffs the regular file at `path`. An unreadable file counts as landmarks, so that reading
  /// it reports the real error.
  public static func of(path: String) -> JSONFileContent {
    guard PathKind(path) == .regularFile else { return .landmarks }
    let head = LocalFiles.head(path, count: sniffLength)
    return of(head: head, isWhole: head.count < sniffLength)
  }

  /// Sniffs `head`, the first bytes of a file; `isWhole` says whether they are all of it.
  static func of(head: [UInt8], isWhole: Bool) -> JSONFileContent {
    guard let start = head.firstIndex(where: { !isBlank($0) }) else {
      return isWhole ? .other(reason: "empty") : .landmarks
    }
    if head[start...].starts(with: workoutExportPrefix.utf8) { return .workoutExport }
    var scanner = JSONScanner(
      window: ByteWindow(source: .memory(head), initialCapacity: max(head.count, 1)), line: 1,
      lineStart: 0)
    do throws(ScanError) {
      return try classify(&scanner)
    } catch {
      // Broken, or cut off inside the sniffed bytes: undecided, so the reader decides.
      return .landmarks
    }
  }

  private static func isBlank(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
  }

  private static func classify(_ scanner: inout JSONScanner) throws(ScanError) -> JSONFileContent {
    try scanner.skipWhitespace()
    switch try scanner.peek() {
    case UInt8(ascii: "["):
      scanner.index += 1
      try scanner.skipWhitespace()
      switch try scanner.peek() {
      case UInt8(ascii: "]"):
        return .other(reason: "an empty JSON array, not landmark frames")
      case UInt8(ascii: "{"):
        let frame = try scanner.frame()
        return isRecognisable(frame)
          ? .landmarks : .other(reason: "a JSON array of objects that are not landmark frames")
      default:
        return .other(
          reason: "a JSON array starting with \(try scanner.describeNext()), not landmark frames")
      }
    case UInt8(ascii: "{"):
      scanner.index += 1
      try scanner.skipWhitespace()
      if try scanner.peek() == UInt8(ascii: "}") {
        return .other(reason: "an empty JSON object, not a landmark document")
      }
      repeat {
        switch try scanner.key() {
        case .frames, .landmarks: return .landmarks
        default: try scanner.skipValue(depth: 1)
        }
      } while try scanner.separator(close: UInt8(ascii: "}"))
      return .other(reason: "a JSON object without \"frames\", not a landmark document")
    default:
      return .other(reason: "starts with \(try scanner.describeNext()), not landmark JSON")
    }
  }

  /// Whether a bare array's first frame has a key that only landmark frames have.
  static func isRecognisable(_ frame: RawFrame) -> Bool {
    frame.hasLandmarksKey || frame.time != nil || frame.timestampMilliseconds != nil
  }
}
