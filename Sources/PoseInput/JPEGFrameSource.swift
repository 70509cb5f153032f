internal import Glibc
internal import PoseEstimation

/// The JPEG frames of `buddy pose`'s SOURCE, in order: one file, a directory of JPEGs in
/// natural name order (`frame2.jpg` before `frame10.jpg`), or `-`, an MJPEG stream on
/// standard input.
///
/// `open(_:)` checks the source (a missing path or an empty directory is a `.missingInput`
/// error) without reading frames; `next()` then returns each frame's bytes, or why a frame
/// could not be read, so one bad frame never ends the sequence.
public struct JPEGFrameSource {
  /// One frame of the source.
  public struct Frame: Sendable {
    /// The file name, or `<stdin> frame N` (0-based) for a stream.
    public var name: String
    /// The JPEG bytes, or why they could not be read.
    public var bytes: Result<[UInt8], PoseInputError>
  }

  private enum Storage {
    case files([String], next: Int)
    case stream(
      MJPEGSplitter, descriptor: Int32, name: String, prefix: [UInt8], pending: [Frame],
      ended: Bool, count: Int)
  }

  private var storage: Storage

  /// Opens `path`: `-` for standard input, a directory (its ``InputExtensions/jpeg`` files),
  /// or a JPEG file.
  public static func open(_ path: String) throws(PoseInputError) -> JPEGFrameSource {
    if path == "-" { return stream(descriptor: 0, prefix: [], name: "<stdin>") }
    guard try LocalFiles.isDirectory(path) else {
      return JPEGFrameSource(storage: .files([path], next: 0))
    }
    let names = try LocalFiles.directoryEntries(path)
      .filter { name in
        !name.hasPrefix(".") && InputExtensions.isJPEGFile(name)
      }
      .sorted(by: naturalOrder)
    guard !names.isEmpty else {
      throw PoseInputError(
        .missingInput, file: path,
        reason: "the directory holds no \(InputExtensions.listed(InputExtensions.jpeg)) file")
    }
    let prefix = path.hasSuffix("/") ? path : path + "/"
    return JPEGFrameSource(storage: .files(names.map { prefix + $0 }, next: 0))
  }

  /// JPEG files read as one sequence, in the order given (e.g. a shell glob of frames). Every
  /// path must name an existing file: a missing one, or a directory, is a `.missingInput`
  /// error naming it, before any frame is read.
  public static func files(_ paths: [String]) throws(PoseInputError) -> JPEGFrameSource {
    for path in paths where try LocalFiles.isDirectory(path) {
      throw PoseInputError(
        .missingInput, file: path, reason: "a directory in a list of JPEG frame files")
    }
    return JPEGFrameSource(storage: .files(paths, next: 0))
  }

  /// An MJPEG stream read from `descriptor` (standard input, or ffmpeg's output), after the
  /// `prefix` bytes already taken from it; frames are named `NAME frame N`.
  public static func stream(descriptor: Int32, prefix: [UInt8], name: String) -> JPEGFrameSource {
    JPEGFrameSource(
      storage: .stream(
        MJPEGSplitter(), descriptor: descriptor, name: name, prefix: prefix, pending: [],
        ended: false, count: 0))
  }

  /// How many frames the source holds, when that is known before reading (files and directories).
  public var frameCount: Int? {
    if case .files(let paths, _) = storage { return paths.count }
    return nil
  }

  /// The next frame, or nil at the end of the source.
  public mutating func next() -> Frame? {
    switch storage {
    case .files(let paths, let index):
      guard index < paths.count else { return nil }
      storage = .files(paths, next: index + 1)
      return Frame(name: paths[index], bytes: Self.readFile(paths[index]))
    case .stream(
      var splitter, let descriptor, let name, var prefix, var pending, var ended, var count):
      while pending.isEmpty && !ended {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var read: Int
        if prefix.isEmpty {
          read = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
        } else {
          chunk = prefix
          read = prefix.count
          prefix = []
        }
        if read < 0 && errno == EINTR { continue }
        if read <= 0 {
          ended = true
          if splitter.hasPartialFrame {
            pending.append(
              Frame(
                name: "\(name) frame \(count)",
                bytes: .failure(
                  PoseInputError(
                    .badData, file: name == "<stdin>" ? "-" : name, frameIndex: count,
                    reason: "the stream ended inside this frame"))))
            count += 1
          }
          break
        }
        do {
          for frame in try splitter.append(chunk.prefix(read)) {
            pending.append(Frame(name: "\(name) frame \(count)", bytes: .success(frame)))
            count += 1
          }
        } catch {
          pending.append(
            Frame(
              name: "\(name) frame \(count)",
              bytes: .failure(
                PoseInputError(
                  .badData, file: name == "<stdin>" ? "-" : name, frameIndex: count,
                  reason: "\(error)"))))
          count += 1
          splitter = MJPEGSplitter()
        }
      }
      let frame = pending.isEmpty ? nil : pending.removeFirst()
      storage = .stream(
        splitter, descriptor: descriptor, name: name, prefix: prefix, pending: pending,
        ended: ended, count: count)
      return frame
    }
  }

  /// Whether `a` sorts before `b` when runs of digits compare as numbers.
  public static func naturalOrder(_ a: String, _ b: String) -> Bool {
    let left = chunks(a)
    let right = chunks(b)
    for (x, y) in zip(left, right) where x != y {
      switch (x, y) {
      case (.number(let m), .number(let n)):
        let m = m.drop { $0 == "0" }
        let n = n.drop { $0 == "0" }
        if m.count != n.count { return m.count < n.count }
        if m != n { return m < n }
      case (.number, .text): return true
      case (.text, .number): return false
      case (.text(let s), .text(let t)): return s < t
      }
    }
    if left.count != right.count { return left.count < right.count }
    return a < b
  }

  private enum Chunk: Equatable {
    case text(Substring)
    case number(Substring)
  }

  private static func chunks(_ name: String) -> [Chunk] {
    var result: [Chunk] = []
    var start = name.startIndex
    while start < name.endIndex {
      let isDigit = name[start].isASCII && name[start].isNumber
      let end =
        name[start...].firstIndex { ($0.isASCII && $0.isNumber) != isDigit } ?? name.endIndex
      result.append(isDigit ? .number(name[start..<end]) : .text(name[start..<end]))
      start = end
    }
    return result
  }

  /// The largest JPEG file read as one frame, in bytes: 64 MiB, the limit an MJPEG stream's
  /// frames have (`MJPEGSplitter.defaultMaxFrameBytes`). A larger file is a `.badData` frame.
  public static let maxFileBytes = MJPEGSplitter.defaultMaxFrameBytes

  /// The bytes of the file at `path`, read in chunks and never more than `limit` of them, so
  /// `/dev/zero` or an endless FIFO costs at most `limit` bytes of memory.
  static func readFile(_ path: String, limit: Int = maxFileBytes) -> Result<[UInt8], PoseInputError>
  {
    let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      return .failure(
        PoseInputError(.missingInput, file: path, reason: String(cString: strerror(errno))))
    }
    defer { close(descriptor) }
    let tooLarge = PoseInputError(
      .badData, file: path,
      reason: "the file is larger than \(sizeText(limit)), the most a JPEG frame may have")
    var status = stat()
    var bytes: [UInt8] = []
    if fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG {
      guard status.st_size <= limit else { return .failure(tooLarge) }
      bytes.reserveCapacity(Int(status.st_size))
    }
    var chunk = [UInt8](repeating: 0, count: min(1 << 16, limit + 1))
    while true {
      // Ask for one byte beyond the limit at most, to tell "exactly the limit" from "more".
      let wanted = min(chunk.count, limit + 1 - bytes.count)
      let read = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, wanted) }
      if read < 0 && errno == EINTR { continue }
      if read < 0 {
        return .failure(
          PoseInputError(.badData, file: path, reason: String(cString: strerror(errno))))
      }
      if read == 0 { break }
      guard bytes.count + read <= limit else { return .failure(tooLarge) }
      if bytes.capacity < bytes.count + read {
        // Grow by doubling, but never past the limit.
        bytes.reserveCapacity(min(max(bytes.capacity * 2, bytes.count + read), limit))
      }
      bytes.append(contentsOf: chunk.prefix(read))
    }
    return .success(bytes)
  }

  /// `bytes` as whole MiB when it is a multiple of one, else in bytes.
  private static func sizeText(_ bytes: Int) -> String {
    bytes > 0 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
  }
}
