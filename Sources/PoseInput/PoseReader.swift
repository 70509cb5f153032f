internal import Glibc
import RepCounting

/// The layout the input turned out to have.
public enum PoseInputFormat: String, Sendable {
  /// `{"fps": …, "frames": [ … ]}`.
  case document
  /// `[ frame, frame, … ]`.
  case array
  /// One frame object per line.
  case jsonLines = "json-lines"
}

/// The document-level facts of a landmark input (all optional).
public struct PoseDocumentHeader: Sendable, Equatable {
  /// Frames per second, when the document states it.
  public var fps: Double?
  /// Image width in pixels.
  public var width: Double?
  /// Image height in pixels.
  public var height: Double?
  /// `start_time` as written (ISO 8601).
  public var startTime: String?
  /// The declared landmark layout.
  public var topology: PoseTopology?
}

/// Reads landmark frames from a file, standard input or bytes, one at a time.
///
/// The format (JSON document, bare array or JSON Lines) is detected from the content. Memory
/// stays bounded by the buffer (1 MiB, growing only for a single frame larger than that, up to
/// 64 MiB) however long the input is. Every problem becomes a ``PoseInputError`` naming the
/// line and column.
///
/// Document keys (`fps`, `width`, `height`, `topology`) take effect for the frames after them;
/// write them before `frames`, as every known exporter does.
public final class PoseReader {
  /// Options that come from the command line.
  public struct Options: Sendable {
    /// Frame rate for frames without timestamps; overrides the document's `fps`.
    public var fps: Double?
    /// Frame rate assumed when neither frames, options nor the document give one.
    public var defaultFPS = 30.0
    /// Threads that parse: with 2 or more, a regular file of 8 MiB or more is parsed in
    /// segments on that many worker threads, handed over in order (streams are read here).
    public var threads: Int
    /// Bytes per segment when `threads` is 2 or more (tests and fuzzing make it small).
    public var segmentSize = FrameSegmentReader.segmentSize
    /// The least a file must hold after its first frame to be read in segments.
    public var minimumSegmentedSize = FrameSegmentReader.minimumFileSize
    /// Whether landmark arrays are read by the fast path (``JSONScanner/fastLandmarks()``),
    /// which gives exactly what the general scanner gives; false reads them through the
    /// general scanner only (for the tests and the fuzz target that compare the two).
    public var landmarkFastPath = true

    /// Makes options.
    public init(fps: Double? = nil, threads: Int = 1) {
      self.fps = fps
      self.threads = threads
    }
  }

  private enum Stage {
    case start
    case frames(first: Bool)
    case documentTail
    /// Only whitespace may follow (`what` names what it follows, for the error).
    case end(after: String)
    case jsonLines
    case done
  }

  private enum Head {
    case document
    case array
    case frame(RawFrame)
  }

  private enum Element {
    case frame(RawFrame, more: Bool)
    case end
  }

  /// The file as the user named it.
  public let name: String
  /// The detected format (nil before the first call to ``next()``).
  public private(set) var format: PoseInputFormat?
  /// What the document declared so far.
  public private(set) var header = PoseDocumentHeader()
  /// Whether some frame had no timestamp and no frame rate was known, so `defaultFPS` was used.
  public private(set) var usedDefaultFPS = false
  /// Frames returned so far.
  public private(set) var frameCount = 0

  /// Called with every chunk of raw input as it is read, in order (e.g. to hash the input while
  /// parsing it, so standard input need not be read twice).
  public var onRawBytes: ((UnsafeRawBufferPointer) -> Void)? {
    get { window.observer }
    set { window.observer = newValue }
  }

  /// The options it reads with (internal for tests).
  let options: Options
  /// The buffer (internal for the work-count tests).
  let window: ByteWindow
  private var stage = Stage.start
  private var rawHeader = RawHeader()
  private var line = 1
  private var lineStart = 0
  private var lastTime: Double?
  private var sessionTopology: PoseTopology?
  /// The workers parsing segments ahead (nil before they start, and after).
  private var segments: FrameSegmentReader?
  /// Whether segment reading has been tried (it is started once at most).
  private var segmentsTried = false
  /// Segments parsed by the workers and handed out (for tests: whether they ran at all).
  private(set) var segmentsTaken = 0
  /// The frames of the segment being handed out, and the next one's index.
  private var pending: [RawFrame] = []
  private var pendingIndex = 0

  /// Reads the file at `path`, or standard input when `path` is `-`.
  public convenience init(path: String, options: Options = Options()) throws(PoseInputError) {
    if path == "-" {
      self.init(source: .descriptor(0, closeWhenDone: false), name: path, options: options)
      return
    }
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      let reason = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
      throw PoseInputError(.missingInput, file: path, reason: reason)
    }
    var info = stat()
    if fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
      close(descriptor)
      throw PoseInputError(.missingInput, file: path, reason: "is a directory")
    }
    self.init(source: .descriptor(descriptor, closeWhenDone: true), name: path, options: options)
  }

  /// Reads an open descriptor (a pipe), first serving `prefix`: bytes already read from it to
  /// sniff what it holds. The descriptor is not closed.
  public convenience init(
    descriptor: Int32, prefix: [UInt8], name: String, options: Options = Options()
  ) {
    self.init(
      source: .descriptor(descriptor, closeWhenDone: false), name: name, options: options,
      prefix: prefix)
  }

  /// Reads `bytes` (for tests and in-memory data).
  public convenience init(bytes: [UInt8], name: String, options: Options = Options()) {
    self.init(source: .memory(bytes), name: name, options: options)
  }

  /// `initialCapacity` is for tests: a tiny buffer exercises every refill-and-retry path.
  init(
    source: ByteWindow.Source, name: String, options: Options, initialCapacity: Int = 1 << 20,
    prefix: [UInt8] = []
  ) {
    self.name = name
    self.options = options
    window = ByteWindow(source: source, prefix: prefix, initialCapacity: initialCapacity)
    window.fastPaths = options.landmarkFastPath
  }

  deinit { segments?.stop() }

  /// The next frame, or nil at the end of input.
  public func next() throws(PoseInputError) -> PoseFrame? {
    while true {
      if pendingIndex < pending.count {
        let raw = pending[pendingIndex]
        pendingIndex += 1
        return try resolve(raw)
      }
      if options.threads > 1, takeSegment() { continue }
      switch stage {
      case .start:
        switch try run({ scanner throws(ScanError) in try Self.head(&scanner, &self.rawHeader) }) {
        case .document:
          format = .document
          stage = .frames(first: true)
          syncHeader()
        case .array:
          format = .array
          stage = .frames(first: true)
        case .frame(let raw):
          format = .jsonLines
          stage = .jsonLines
          syncHeader()
          return try resolve(raw)
        }

      case .frames(let first):
        let index = frameCount
        let element = try run { scanner throws(ScanError) -> Element in
          scanner.frameIndex = index
          try scanner.skipWhitespace()
          let byte = try scanner.peek()
          if first && byte == UInt8(ascii: "]") {
            scanner.index += 1
            return .end
          }
          guard byte == UInt8(ascii: "{") else {
            scanner.frameIndex = nil
            throw scanner.failure("expected a frame object, found \(try scanner.describeNext())")
          }
          let raw = try scanner.frame()
          if first && format == .array && !JSONFileContent.isRecognisable(raw) {
            // A bare array of other objects (a `manifest.json`) is not a session of no poses.
            throw ScanError.invalid(
              "not landmark data: the array's first object has no \"t\", \"timestamp_ms\" or "
                + "landmarks key", line: raw.line, column: raw.column, frame: nil)
          }
          return .frame(raw, more: try scanner.separator(close: UInt8(ascii: "]")))
        }
        switch element {
        case .end:
          stage = tail
        case .frame(let raw, let more):
          stage = more ? .frames(first: false) : tail
          return try resolve(raw)
        }

      case .documentTail:
        try run { scanner throws(ScanError) in
          while try scanner.separator(close: UInt8(ascii: "}")) {
            let key = try scanner.key()
            if try !scanner.headerValue(key, into: &self.rawHeader) {
              try scanner.skipValue(depth: 1)
            }
          }
        }
        syncHeader()
        stage = .end(after: "the document")

      case .end(let what):
        try run { scanner throws(ScanError) in try Self.expectEnd(&scanner, after: what) }
        stage = .done

      case .jsonLines:
        let index = frameCount
        let raw = try run { scanner throws(ScanError) -> RawFrame? in
          try scanner.skipWhitespace()
          if scanner.isAtEnd { return nil }
          guard try scanner.peek() == UInt8(ascii: "{") else {
            throw scanner.failure(
              "expected a frame object on this line (JSON Lines), found \(try scanner.describeNext())"
            )
          }
          scanner.frameIndex = index
          return try scanner.frame()
        }
        guard let raw else {
          stage = .done
          return nil
        }
        return try resolve(raw)

      case .done:
        return nil
      }
    }
  }

  // MARK: Segments

  /// Hands out the next segment parsed by the workers (filling `pending` and moving past it),
  /// starting them the first time it can: between two frames of a regular file of at least
  /// ``FrameSegmentReader/minimumFileSize`` bytes. Returns false when this reader reads on by
  /// itself from where it stands (the file is small or a stream, a segment met bad data, or a
  /// guessed frame start was wrong), which it then does to the end.
  private func takeSegment() -> Bool {
    switch stage {
    case .frames(first: false), .jsonLines: break
    default: return false
    }
    guard let format else { return false }
    let position = window.baseOffset + window.start
    if segments == nil {
      guard !segmentsTried else { return false }
      segmentsTried = true
      guard let file = window.seekableFile,
        file.size - position >= options.minimumSegmentedSize
      else { return false }
      segments = FrameSegmentReader(
        descriptor: file.descriptor, fileSize: file.size, start: position, format: format,
        workers: options.threads, segmentSize: options.segmentSize,
        fastPaths: options.landmarkFastPath)
    }
    guard var segment = segments?.next(startingAt: position), !segment.failed,
      window.seek(to: segment.end)
    else {
      stopSegments()
      return false
    }
    // The workers numbered lines from the segment's start, as line 1 at column 1. The frames
    // are moved out of the segment first, so editing them below does not copy the array.
    pending = segment.frames
    segment.frames = []
    for index in pending.indices {
      if pending[index].line == 1 { pending[index].column += position - lineStart }
      pending[index].line += line - 1
    }
    pendingIndex = 0
    segmentsTaken += 1
    line += segment.newlines
    if let start = segment.lastLineStart { lineStart = start }
    if segment.finished {
      stopSegments()
      if format != .jsonLines { stage = tail }
    }
    return true
  }

  private func stopSegments() {
    segments?.stop()
    segments = nil
  }

  // MARK: Units

  /// What follows the last frame of a document or an array.
  private var tail: Stage {
    format == .document ? .documentTail : .end(after: "the array")
  }

  /// Runs `body` over the next unit, after the whitespace before it. The scanner reads more
  /// input as it needs it and never starts over, so each byte is scanned once.
  private func run<T>(_ body: (inout JSONScanner) throws(ScanError) -> T) throws(PoseInputError)
    -> T
  {
    try skipWhitespaceBetweenUnits()
    var scanner = JSONScanner(window: window, line: line, lineStart: lineStart)
    defer { window.bytesScanned += scanner.index }
    do throws(ScanError) {
      let result = try body(&scanner)
      window.start += scanner.index
      line = scanner.line
      lineStart = scanner.lineStart
      return result
    } catch {
      switch error {
      case .tooLarge:
        throw PoseInputError(
          .badData, file: name, line: line,
          column: window.baseOffset + window.start - lineStart + 1, frameIndex: frameCount,
          reason: "a single frame or value is larger than \(ByteWindow.maximumCapacity >> 20) MiB")
      case .readFailed(let message):
        throw PoseInputError(.missingInput, file: name, reason: "cannot read: \(message)")
      case .invalid(let message, let line, let column, let frame):
        throw PoseInputError(
          .badData, file: name, line: line, column: column, frameIndex: frame, reason: message)
      }
    }
  }

  /// Consumes whitespace up to the next unit (or the end of input) and commits it as it goes, so
  /// any amount of it (`yes ' '`) takes a bounded buffer and errors after it name the right line.
  private func skipWhitespaceBetweenUnits() throws(PoseInputError) {
    while true {
      var index = window.start
      let bytes = window.storage
      let end = window.end
      var found = false
      while index < end {
        switch bytes[index] {
        case 0x20, 0x09, 0x0D:
          index += 1
        case 0x0A:
          index += 1
          line += 1
          lineStart = window.baseOffset + index
        default:
          found = true
        }
        if found { break }
      }
      window.bytesScanned += index - window.start
      window.start = index
      if found || window.atEOF { return }
      do {
        // Nothing unconsumed is left, so this only reuses the buffer: it always fits.
        _ = try window.refill()
      } catch {
        throw PoseInputError(.missingInput, file: name, reason: "cannot read: \(error.message)")
      }
    }
  }

  /// Reads the start of the input and decides its format.
  private static func head(_ scanner: inout JSONScanner, _ header: inout RawHeader)
    throws(ScanError) -> Head
  {
    try scanner.skipWhitespace()
    if scanner.isAtEnd {
      throw scanner.failure(
        scanner.baseOffset + scanner.index == 0 ? "empty input" : "input holds only whitespace")
    }
    switch try scanner.peek() {
    case UInt8(ascii: "["):
      scanner.index += 1
      return .array
    case UInt8(ascii: "{"):
      break
    default:
      throw scanner.failure(
        "expected a landmark document, an array of frames or JSON Lines, found "
          + (try scanner.describeNext()))
    }
    let start = scanner.index
    scanner.index += 1
    try scanner.skipWhitespace()
    var frame = RawFrame()
    frame.line = scanner.line
    frame.column = scanner.baseOffset + start - scanner.lineStart + 1
    var more = try scanner.peek() != UInt8(ascii: "}")
    if !more { scanner.index += 1 }
    while more {
      let key = try scanner.key()
      switch key {
      case .frames:
        guard try scanner.peek() == UInt8(ascii: "[") else {
          throw scanner.failure("\"frames\" must be an array, found \(try scanner.describeNext())")
        }
        scanner.index += 1
        return .document
      case .time:
        frame.time = try scanner.number("\"t\"")
      case .timestampMilliseconds:
        frame.timestampMilliseconds = try scanner.number("\"timestamp_ms\"")
      case .landmarks:
        frame.hasLandmarksKey = true
        frame.landmarks = try scanner.landmarks()
      default:
        if try !scanner.headerValue(key, into: &header) {
          try scanner.skipValue(depth: 1)
        }
      }
      more = try scanner.separator(close: UInt8(ascii: "}"))
    }
    guard frame.hasLandmarksKey else {
      throw scanner.failure(
        "the object has no \"frames\" array (nor landmarks, as a JSON Lines frame would)",
        at: start)
    }
    return .frame(frame)
  }

  private static func expectEnd(_ scanner: inout JSONScanner, after what: String)
    throws(ScanError)
  {
    try scanner.skipWhitespace()
    guard scanner.isAtEnd else {
      throw scanner.failure("unexpected \(try scanner.describeNext()) after \(what)")
    }
  }

  // MARK: Frames

  private func syncHeader() {
    header = PoseDocumentHeader(
      fps: rawHeader.fps, width: rawHeader.width, height: rawHeader.height,
      startTime: rawHeader.startTime, topology: rawHeader.topology)
  }

  /// Gives `raw` its time and checks it against the frames before it.
  private func resolve(_ raw: RawFrame) throws(PoseInputError) -> PoseFrame {
    let index = frameCount
    func failure(_ reason: String) -> PoseInputError {
      PoseInputError(
        .badData, file: name, line: raw.line, column: raw.column, frameIndex: index, reason: reason)
    }
    let time: Double
    if let seconds = raw.time {
      time = seconds
    } else if let milliseconds = raw.timestampMilliseconds {
      time = milliseconds / 1000
    } else {
      let fps: Double
      if let given = options.fps ?? rawHeader.fps {
        fps = given
      } else {
        fps = options.defaultFPS
        usedDefaultFPS = true
      }
      time = Double(index) / fps
    }
    if let lastTime, time < lastTime {
      throw failure("timestamp goes backwards (\(time) s after \(lastTime) s)")
    }
    if let topology = PoseTopology(landmarkCount: raw.landmarks.count) {
      if let declared = rawHeader.topology, declared != topology {
        throw failure(
          "\(raw.landmarks.count) landmarks, but the document declares \(declared.rawValue)")
      }
      if let sessionTopology, sessionTopology != topology {
        throw failure(
          "\(raw.landmarks.count) landmarks, but earlier frames have \(sessionTopology.landmarkCount)"
        )
      }
      sessionTopology = topology
    }
    lastTime = time
    frameCount += 1
    return PoseFrame(time: time, landmarks: raw.landmarks)
  }
}
