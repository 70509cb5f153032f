import ArgumentParser
import Foundation
import Glibc
import PoseInput
import RepCounting

/// `buddy count`: count repetitions in landmark files or a landmark stream.
struct CountCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "count",
    abstract: "Count repetitions in pose landmarks (JSON, JSON Lines), JPEG frames or video.",
    discussion: """
      Reads MediaPipe-33 or COCO-17 landmarks (see docs/landmark-format.md): a JSON document \
      {"fps", "width", "height", "frames": [...]}, a bare JSON array of frames, or JSON Lines \
      with one frame per line; the kind is detected from the content. `-` reads standard \
      input. A directory stands for the sessions `buddy import` finds in it: its .json, .jsonl \
      and .ndjson files and videos, recursively (hidden ones skipped), and each directory of \
      JPEG frames (one holding no landmark file) as one session; a .json file there that is not \
      landmark data (a manifest.json) is skipped with one line, and a frames/ directory beside \
      a landmarks.json is counted from that file. Each input is counted on its \
      own. Needs no database and no login; exits 0 also when it counted no reps.

      One push-up is a full top -> bottom -> top cycle; a cycle whose elbows stay above about \
      110 degrees is reported as partial and not counted. One jump-rope rep is one landing: a \
      two-foot bounce or a double-under counts once, alternate-foot stepping counts each foot. \
      One squat is a full stand -> down -> stand cycle; one whose knees stay above about 120 \
      degrees while the hips drop less than a fifth of the leg length is a partial. Each \
      exercise needs a minimum frame rate (\(Exercise.allCases.map { "\($0.name) \(Int($0.minimumFPS))" }.joined(separator: ", ")) \
      fps); slower input gets a note on stderr and in "notes".

      --exercise auto (the default) detects the exercise from posture and motion (a plank is \
      push-ups, an upright body hopping is jump rope, standing with the knees bending and \
      straightening is squats) and revises it as the stream goes on; \
      the JSON output has "detected": {"exercise", "confidence"}, and "exercise" names what \
      was counted. A session that is neither (standing, walking) is reported as "none" with 0 \
      reps and exit 0. --exercise \(Exercise.allValueStrings.joined(separator: "|")) skips \
      detection.

      --follow prints each rep the moment it is final (text: "rep  12   0:27.4  push-up", the \
      input time of the landing or lockout and the exercise, whose own count the number \
      continues in a mixed session; json: one event object per line), flushing stdout each time, \
      then the summary. Latency: a rep is final on the frame that completes it (plus ~20 ms of \
      smoothing), except the first two landings of a rope run, which wait for the third (a \
      single hop never counts, nor a bounce before the rope comes round), a rope landing late \
      after the run's rhythm or a knee lift the hips did not hop with, which waits for the next \
      landing, and, with auto, the first reps, which wait for detection (about 0.6 s of \
      evidence). Measured (debug build, 30 fps JSON Lines through a pipe): the line arrives under \
      5 ms after the completing frame is written; a JSON document or array is read one frame \
      later, as the reader waits for the separator after a frame. See docs/counting.md.

      Frames without "t" or "timestamp_ms" are timed by --fps, else the document's "fps", \
      else 30 fps (with a note on stderr).

      Images instead of landmarks: a JPEG file, a directory of JPEG frames (one session, in \
      natural name order), several JPEG files (one session, in the order given: frames/*.jpg), \
      an MJPEG stream on standard input (recognised by its first bytes, FF D8) or a video file \
      (.mp4 .mov .mkv .webm .avi, or by content; needs ffmpeg, else exit 69 with the command \
      that installs it) go through the BlazePose pipeline (as `buddy pose`; models from \
      scripts/fetch-pose-models.sh) into the counters, frame by frame. A video is resampled to \
      --fps, else the exercise's rate (\(Exercise.allCases.map { "\($0.name) \(Int($0.videoFPS))" }.joined(separator: ", ")); \
      \(Int(Exercise.detectionVideoFPS)) while detecting, each counter then fed its own rate's \
      frames, so auto counts what --exercise counts), never above its own rate. --threads \
      shares each frame's work among threads. On a terminal, progress shows frames/s and, when \
      the number of frames is known, an ETA.

      Examples:
        buddy count session.json
        buddy count --exercise push-up --format json session.json
        cat session.jsonl | buddy count --exercise push-up -
        some-pose-tool | buddy count --follow -
        buddy count --format json --follow -
        buddy count --fps 29.97 --size 1280x720 frames.jsonl
        buddy count recordings/
        buddy count --fps 15 frames/
        buddy count pushups.mp4
        buddy count --exercise squat squats.mp4
        ffmpeg -i jump.mp4 -f mjpeg - | buddy count --follow --fps 30 -
        buddy count --annotate out/ session.json
        buddy count --annotate out/ --frames frames/ landmarks.json
        buddy count --annotate counted.mp4 pushups.mp4

      \(AnnotateOptions.discussion)

      Errors name the place, `buddy: FILE:LINE:COLUMN: reason`. Bad data exits 65; a missing \
      file or a directory with nothing to read exits 66.
      """
  )

  @Option(help: ArgumentHelp(ExerciseChoice.help))
  var exercise: ExerciseChoice = .auto

  @Flag(help: "Print each repetition the moment it completes (for - and FIFOs), then the summary.")
  var follow = false

  @Option(help: ArgumentHelp(FrameRate.help), transform: FrameRate.parse)
  var fps: FrameRate?

  @Option(help: ArgumentHelp(PoseThreads.help))
  var threads = PoseThreads.defaultCount

  @Option(help: "Image size in pixels as WIDTHxHEIGHT (overrides the file's width/height).")
  var size: ImageSize?

  @OptionGroup var output: FormatOption<OutputFormat>

  @OptionGroup var annotate: AnnotateOptions

  @Option(help: .hidden)
  var dumpFrames: String?

  @Option(help: .hidden)
  var replayVideoFps: Double?

  @Argument(
    help: "Landmark files, directories, JPEG frames, videos, or - for standard input.")
  var inputs: [String]

  func validate() throws {
    try PoseThreads.validate(threads)
    if inputs.isEmpty {
      throw ValidationError("name at least one landmark file, directory, or - for standard input")
    }
  }

  func run() throws {
    try CountRequest(
      exercise: exercise, follow: follow, fps: fps, threads: threads, size: size,
      format: output.format, annotate: annotate, dumpFrames: dumpFrames,
      replayVideoFps: replayVideoFps, inputs: inputs
    ).run()
  }
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
