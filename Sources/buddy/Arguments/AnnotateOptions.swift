import ArgumentParser

/// `--annotate OUT` and `--frames DIR`, shared by `count` and `record`: draw what was counted
/// on every frame (see `AnnotationRun`).
struct AnnotateOptions: ParsableArguments {
  @Option(
    name: .customLong("annotate"),
    help: ArgumentHelp(
      "Draw what was counted on every frame into OUT: a directory (00001.jpg, ...) or an .mp4 "
        + "video (needs ffmpeg).",
      valueName: "OUT"))
  var output: String?

  @Option(
    help: ArgumentHelp(
      "With --annotate and landmark input: the JPEG frames the landmarks were taken from, drawn "
        + "on in natural name order (default: a plain background).",
      valueName: "DIR"))
  var frames: String?

  /// The help paragraph both commands show.
  static let discussion = """
    --annotate OUT draws what was counted on every frame: a directory OUT (created when \
    missing, which must be empty) gets one JPEG per input frame, the same size, named \
    00001.jpg, 00002.jpg, ... in input order; OUT ending in .mp4 becomes an H.264 video at the \
    input's frame rate, one video frame per input frame (needs ffmpeg, else exit 69; an odd \
    width or height is padded by one pixel). Drawn: the skeleton (landmarks seen with \
    visibility >= 0.5, magenta, joined by cyan bones), top left the running count with the \
    exercise and the phase (UP/DOWN, or AIR/GROUND for jump rope, IDLE when not in position), \
    top right a gauge of the signal the counter thresholds (red line: falling below it starts \
    a descent or lands a hop; green line: climbing above it completes the rep or takes off), a \
    green flash on the frame a rep is counted, an orange border and PARTIAL on the frame a \
    partial rep is reported. Landmark input is drawn on a plain background of the document's \
    width x height (640x480 if unknown), or on its frames with --frames DIR. One input only.
    """

  func validate() throws {
    if frames != nil && output == nil {
      throw ValidationError("--frames DIR goes with --annotate OUT")
    }
  }
}
