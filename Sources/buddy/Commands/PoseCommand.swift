import ArgumentParser
import Foundation
import PoseEstimation
import PoseInput

/// `buddy pose`: estimate body landmarks in JPEG frames with BlazePose.
struct PoseCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pose",
    abstract: "Estimate pose landmarks in JPEG frames (BlazePose, MediaPipe 0.10.14 Pose).",
    discussion: """
      SOURCE is a JPEG file, several JPEG files (one sequence, in the order given, e.g. \
      frames/*.jpg), a directory of JPEGs (read in natural name order: frame2.jpg before \
      frame10.jpg) or - for an MJPEG stream on standard input (e.g. `ffmpeg -f mjpeg -`). \
      Writes JSON Lines on stdout, exactly one line per input frame, in input order: \
      {"t": seconds, "landmarks": [[x, y, z, visibility] x 33]} with x, y normalised to the \
      frame, or "landmarks": null when no person was found. The first line also carries \
      "width" and "height". This is the landmark format of docs/landmark-format.md, so \
      `buddy count` reads it back unchanged.

      Frames are treated as a video: the detector runs on the first frame and whenever the \
      person is lost, later frames track the person from the previous frame's landmarks, and \
      landmarks are smoothed over time (one-euro filters, using t). --static treats every \
      frame as a separate photo: the detector runs on each, without tracking or smoothing. \
      t is frame index / --fps (default 30, with a note on stderr).

      A frame that cannot be decoded, or whose size differs from the first frame's, is \
      skipped with one warning line on stderr; its output line has "landmarks": null and an \
      "error". The models come from scripts/fetch-pose-models.sh (directory: $BUDDY_MODEL_DIR, \
      else $XDG_DATA_HOME/exercise-buddy/models, else ~/.local/share/exercise-buddy/models). \
      Their packed weights are cached in $XDG_CACHE_HOME/exercise-buddy (else \
      ~/.cache/exercise-buddy), so later runs start at once; a missing or damaged cache file is \
      rebuilt (BUDDY_LOG=debug shows the load stages and the cache's decisions). The model \
      kernels run with AVX-512 where the CPU has it, else AVX2 (BUDDY_POSE_ISA=avx2 or avx512 \
      chooses; the output is the same to the byte either way).

      Examples:
        ffmpeg -i pushups.mp4 -vf fps=15 frames/%05d.jpg
        buddy pose --fps 15 frames/ > landmarks.jsonl
        buddy count --exercise push-up landmarks.jsonl
        buddy pose photo.jpg
        buddy pose --static photos/
        ffmpeg -i cam.mp4 -f mjpeg - | buddy pose --fps 30 - | buddy count --follow -

      Exit codes: 65 when no frame at all can be decoded, 66 when SOURCE is missing or a \
      directory without JPEGs, 78 when the models are missing or BUDDY_POSE_ISA names an \
      instruction set this CPU cannot run (checked in that order: the source first).
      """
  )

  @Option(
    help:
      "Frame rate of the source in frames per second, 0.1 to 1000 (decimals allowed; default 30).",
    transform: FrameRate.parse)
  var fps: FrameRate?

  @Flag(help: "Treat frames as unrelated photos: detect on every frame, no tracking or smoothing.")
  var `static` = false

  @Option(help: ArgumentHelp(PoseThreads.help))
  var threads = PoseThreads.defaultCount

  @Argument(
    help: ArgumentHelp(
      "A JPEG file, several JPEG files, a directory of JPEGs, or - for an MJPEG stream on standard input.",
      valueName: "source"))
  var sources: [String]

  /// How errors about the whole source name it: the path, or the first and last file of a
  /// list.
  private var source: String {
    sources.count > 1 ? CountInput.frameFiles(sources).label : sources.first ?? ""
  }

  func validate() throws {
    if sources.count > 1 && !sources.allSatisfy(CountInput.isJPEGFile) {
      throw ValidationError(
        "several sources must all be JPEG files (or give one directory, or - for an MJPEG stream)")
    }
    try PoseThreads.validate(threads)
  }

  func run() throws {
    // One team for the pipeline and the frame reader: its helpers decode the next frames
    // between kernels instead of a third thread competing for the cores.
    let team = PosePipeline.team(threads: threads)
    let frames = FramePrefetcher(
      sources.count > 1 ? try JPEGFrameSource.files(sources) : try JPEGFrameSource.open(source),
      threads: threads, team: team)
    let rate: Double
    if let fps {
      rate = fps.framesPerSecond
    } else {
      rate = 30
      Terminal.note("note: no --fps given; timing frames at 30 fps")
    }
    var writer = PoseLineWriter(fps: rate)
    // With 2 or more threads the models load beside the first frames' decoding; their errors
    // wait until a frame decodes, so a source without any decodable frame still exits 65
    // even where the models are missing (with one thread they load only then).
    let mode: PosePipeline.Mode = self.static ? .static : .tracking
    let threads = threads
    let makePipeline = { () throws(any Error) -> PosePipeline in
      try CPUFeatures.requirePoseKernels()
      return try PosePipeline(models: ModelIntegrity.files(), mode: mode, team: team)
        .tracingStartup()
    }
    let loading =
      threads > 1 && ComputeThreads.availableCores > 1
      ? BackgroundWork(makePipeline) : nil
    var pending: [(name: String, image: Result<RGBImage, PoseInputError>)] = []
    var size: (width: Int, height: Int)?
    while size == nil, let frame = frames.next() {
      let image = frame.decoded
      pending.append((frame.name, image))
      if case .success(let decoded) = image { size = (decoded.width, decoded.height) }
    }
    guard let size else {
      for frame in pending {
        if case .failure(let error) = frame.image { warn(frame.name, error) }
      }
      throw PoseInputError(
        .badData, file: source,
        reason: pending.isEmpty ? "no JPEG frame found" : "no frame could be decoded")
    }
    writer.size = size
    var pipeline = try loading?.wait() ?? makePipeline()
    func handle(name: String, image: Result<RGBImage, PoseInputError>) throws {
      switch image {
      case .failure(let error):
        warn(name, error)
        writer.write(landmarks: nil, error: error.reason)
      case .success(let image) where image.width != size.width || image.height != size.height:
        let reason =
          "the frame is \(image.width)x\(image.height), the sequence \(size.width)x\(size.height)"
        warn(name, PoseInputError(.badData, file: name, reason: reason))
        writer.write(landmarks: nil, error: reason)
      case .success(let image):
        let estimate = try pipeline.process(image, at: writer.nextTime)
        writer.write(landmarks: estimate?.landmarks, error: nil)
      }
    }
    for frame in pending { try handle(name: frame.name, image: frame.image) }
    while let frame = frames.next() {
      try handle(name: frame.name, image: frame.decoded)
    }
  }

  private func warn(_ name: String, _ error: PoseInputError) {
    Terminal.note("warning: skipped \(name): \(error.reason)")
  }
}
