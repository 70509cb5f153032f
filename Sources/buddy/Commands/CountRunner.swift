import PoseInput
import RepCounting

/// Turns one landmark input (a file, a FIFO or `-`) into a ``SessionSummary``, reporting each
/// repetition as it becomes final. Shared by `buddy count` and anything else that counts a
/// recorded or live stream.
struct CountRunner {
  /// What to count.
  var mode: CountSession.Mode
  /// Frame rate for frames without timestamps.
  var fps: Double?
  /// Image size overriding the document's.
  var size: ImageSize?

  /// Reads `path` to the end, calling `onEvent` for every repetition the moment it is final.
  func run(path: String, onEvent: (CountSession.Event) -> Void = { _ in }) throws
    -> SessionSummary
  {
    try run(reader: try reader(path), onEvent: onEvent)
  }

  /// A reader for `path` with this runner's options (callers may observe its raw bytes).
  func reader(_ path: String) throws -> PoseReader {
    try PoseReader(path: path, options: PoseReader.Options(fps: fps))
  }

  /// Reads `reader` to the end, calling `onEvent` for every repetition the moment it is final.
  func run(reader: PoseReader, onEvent: (CountSession.Event) -> Void = { _ in }) throws
    -> SessionSummary
  {
    let path = reader.name
    var session: CountSession?
    while let frame = try reader.next() {
      if session == nil {
        session = CountSession(mode: mode, geometry: geometry(header: reader.header))
      }
      if var running = session {
        session = nil  // keep the state uniquely referenced while it mutates
        for event in running.consume(frame) { onEvent(event) }
        session = running
      }
    }
    var final = session ?? CountSession(mode: mode)
    for event in final.finish() { onEvent(event) }
    if reader.usedDefaultFPS {
      Terminal.note(
        "\(path == "-" ? "<stdin>" : path): frames have no timestamps and no fps is known;"
          + " assuming 30 fps (use --fps)")
    }
    return final.summary
  }

  private func geometry(header: PoseDocumentHeader) -> ImageGeometry {
    if let size {
      return ImageGeometry(width: Double(size.width), height: Double(size.height))
    }
    if let width = header.width, let height = header.height {
      return ImageGeometry(width: width, height: height)
    }
    return .normalised
  }
}
