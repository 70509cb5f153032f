import ArgumentParser
import PoseInput
import RepCounting

/// `buddy count`: count repetitions in landmark files or a landmark stream.
struct CountCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "count",
    abstract: "Count repetitions in pose-landmark files (JSON, JSON array or JSON Lines).",
    discussion: """
      Reads MediaPipe-33 or COCO-17 landmarks (see docs/landmark-format.md): a JSON document \
      {"fps", "width", "height", "frames": [...]}, a bare JSON array of frames, or JSON Lines \
      with one frame per line; the kind is detected from the content. `-` reads standard \
      input. A directory stands for the .json and .jsonl files in it. Each input is counted on \
      its own. Needs no database and no login; exits 0 also when it counted no reps.

      One push-up is a full top -> bottom -> top cycle; a cycle whose elbows stay above about \
      110 degrees is reported as partial and not counted.

      --exercise is required for now: `push-up` is the only counter. `auto` (detect the \
      exercise) is accepted as a value but refused with exit 64 until the jump-rope counter \
      lands; it will become the default then.

      Frames without "t" or "timestamp_ms" are timed by --fps, else the document's "fps", \
      else 30 fps (with a note on stderr).

      Examples:
        buddy count --exercise push-up session.json
        buddy count --exercise push-up --format json session.json
        cat session.jsonl | buddy count --exercise push-up -
        buddy count --exercise push-up --fps 29.97 --size 1280x720 frames.jsonl
        buddy count --exercise push-up recordings/

      Errors name the place, `buddy: FILE:LINE:COLUMN: reason`. Bad data exits 65; a missing \
      file or a directory with nothing to read exits 66.
      """
  )

  @Option(help: "The exercise to count: push-up (auto is not available yet).")
  var exercise: ExerciseChoice

  @Option(help: "Frame rate for frames without timestamps (decimals allowed, e.g. 29.97).")
  var fps: Double?

  @Option(help: "Image size in pixels as WIDTHxHEIGHT (overrides the file's width/height).")
  var size: ImageSize?

  @Option(help: "Output format: text or json.")
  var format: OutputFormat = .text

  @Argument(help: "Landmark files, directories, or - for standard input.")
  var inputs: [String]

  func validate() throws {
    if let fps, !(fps > 0 && fps.isFinite) {
      throw ValidationError("--fps must be a number greater than 0")
    }
    if inputs.isEmpty {
      throw ValidationError("name at least one landmark file, directory, or - for standard input")
    }
  }

  func run() throws {
    guard exercise == .pushUp else {
      throw CLIError(
        .usage,
        "--exercise auto is not available yet (it needs the jump-rope counter); use --exercise push-up"
      )
    }
    let paths = try PoseSources.expand(inputs)
    for path in paths {
      let summary = try Self.count(path: path, fps: fps, size: size)
      switch format {
      case .text:
        let line = CountReport.text(summary)
        print(paths.count > 1 ? "\(path): \(line)" : line)
      case .json:
        print(JSON.text(CountReport.json(summary, file: path)))
      }
    }
  }

  /// Reads one input and counts its push-ups.
  static func count(path: String, fps: Double?, size: ImageSize?) throws -> SessionSummary {
    try count(reader: try PoseReader(path: path, options: PoseReader.Options(fps: fps)), size: size)
  }

  /// Counts the push-ups of frames from `reader` (which the caller may observe).
  static func count(reader: PoseReader, size: ImageSize?) throws -> SessionSummary {
    let path = reader.name
    var counter: PushUpCounter?
    var events: [RepEvent] = []
    while let frame = try reader.next() {
      if counter == nil {
        counter = PushUpCounter(geometry: geometry(size: size, header: reader.header))
      }
      if var running = counter {
        counter = nil  // keep the state uniquely referenced while it mutates
        events += running.consume(frame)
        counter = running
      }
    }
    var final = counter ?? PushUpCounter()
    events += final.finish()
    if reader.usedDefaultFPS {
      Terminal.note(
        "\(path == "-" ? "<stdin>" : path): frames have no timestamps and no fps is known;"
          + " assuming 30 fps (use --fps)")
    }
    return SessionSummary(
      exercise: "push-up", events: events, statistics: final.statistics,
      engineVersion: PushUpCounter.engineVersion)
  }

  private static func geometry(size: ImageSize?, header: PoseDocumentHeader) -> ImageGeometry {
    if let size {
      return ImageGeometry(width: Double(size.width), height: Double(size.height))
    }
    if let width = header.width, let height = header.height {
      return ImageGeometry(width: width, height: height)
    }
    return .normalised
  }
}

/// The value of `--exercise`.
enum ExerciseChoice: String, ExpressibleByArgument, CaseIterable {
  case pushUp = "push-up"
  case auto
}

/// The value of `--size`: `WIDTHxHEIGHT` in pixels.
struct ImageSize: ExpressibleByArgument, Equatable {
  var width: Int
  var height: Int

  init?(argument: String) {
    let parts = argument.lowercased().split(separator: "x", omittingEmptySubsequences: false)
    guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]), width > 0,
      height > 0
    else { return nil }
    self.width = width
    self.height = height
  }
}
