/// One synthetic recording: a timeline of movements, a camera and an output format, with the
/// count it must give.
struct Scenario {
  enum Segment {
    /// Plank at the top for `seconds`.
    case top(Double)
    /// One cycle: down, hold at the bottom, up, reaching `depth` degrees at the elbow.
    case rep(down: Double, hold: Double, up: Double, depth: Double)
    /// Standing, walking from off-screen to the mat for `walk` seconds, then getting down into
    /// the top position over `getDown` seconds.
    case walkIn(walk: Double, getDown: Double)
    /// Standing up over `standUp` seconds, then walking off for `walk` seconds.
    case walkOut(standUp: Double, walk: Double)
    /// No person in the picture.
    case absent(Double)
    /// Starting partway: from the bottom (`depth`) up to the top in `up` seconds.
    case fromBottom(up: Double, depth: Double)
    /// Ending partway: going down for `seconds` (not reaching the bottom).
    case endDescending(Double, depth: Double)
    /// Jump rope: `count` landings at `rate` landings per second, hops `height` metres high.
    case skip(SkipStyle, count: Int, rate: Double, height: Double)
    /// Standing still, turning the rope at the side when `swinging`.
    case stand(Double, swinging: Bool)
    /// Walking across the picture (left to right) for `seconds`.
    case walk(Double)
    /// From the plank top to standing, in place, over `seconds`.
    case standUp(Double)
    /// Squats: standing upright (knees at 176°) for `seconds`, swaying the hips `sway` metres
    /// to each side (shifting weight, feet planted) once every 2 s.
    case standTall(Double, sway: Double)
    /// One squat: down, hold at the bottom, up, the knees reaching `kneeAngle` degrees.
    case squat(down: Double, hold: Double, up: Double, kneeAngle: Double)
    /// Walking from off-screen (left) to the squat spot for `seconds`.
    case walkToSpot(Double)
    /// Walking from the squat spot off-screen (right) for `seconds`.
    case walkOff(Double)
  }

  /// How the feet move in a jump-rope segment.
  enum SkipStyle {
    /// Both feet together, one landing per jump.
    case bounce
    /// Alternate-foot stepping: each landing is one foot's hop; the other foot barely leaves.
    case alternate
    /// Double-unders: longer, higher jumps (two rope passes, one landing).
    case doubleUnder
  }

  enum Format: String {
    case document
    case array
    case jsonLines = "jsonl"
  }

  enum Timestamps {
    case seconds
    case milliseconds
    case none
  }

  var name: String
  var topology: Topology
  var fps: Double
  var width = 640
  var height = 480
  /// Camera yaw in degrees: 0 side view, 90 head-on.
  var yaw = 0.0
  /// Elbow angle at the top.
  var topAngle = 168.0
  /// Gaussian landmark noise, pixels.
  var jitter = 1.0
  /// Probability that a frame has no pose.
  var dropRate = 0.0
  /// A run of frames without pose, as (start second, length seconds).
  var dropRun: (Double, Double)?
  var format = Format.document
  var timestamps = Timestamps.seconds
  var objectLandmarks = false
  /// Fraction of the image height a standing person fills, feet near the bottom edge; `nil`
  /// keeps the push-up camera (2 m across 80 % of the width, floor at 62 % of the height).
  var framing: Double?
  /// Decimal places of x and y (3 keeps the jump-rope fixtures small; 1 px at 640 wide).
  var precision = 4
  /// The exercise the scenario shows (`push-up`, `jump-rope`, `squat` or `none`).
  var exercise = "push-up"
  /// Other exercises in a mixed session, with their counts.
  var otherReps: [String: Int] = [:]
  var seed: UInt64 = 1
  var segments: [Segment]
  /// The counts a correct counter reports.
  var expectedReps: Int
  var expectedPartials = 0

  enum Topology: String {
    case mediaPipe33 = "mediapipe-33"
    case coco17 = "coco-17"
  }
}
