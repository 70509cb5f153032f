public import PoseEstimation
public import RepCounting

/// Draws what was counted onto each frame: the skeleton, the running count, the phase, the
/// thresholded signal as a gauge, and a flash on the frame where a repetition is counted.
///
/// A value type fed the frames of one session in order (``annotate(_:exercise:trace:events:on:)``):
/// it keeps the running count and the partials of each exercise from the events it is given.
///
/// What is drawn where (sizes scale with the shorter side of the picture, `S`; at `S` = 480):
/// - **skeleton**: bones (``PoseTopology/connections``) between landmarks both seen with
///   visibility ≥ ``minimumVisibility``, cyan (``Colour/bone``), `S`/160 wide (3 px); each such
///   landmark a magenta disc (``Colour/joint``) of radius `S`/96 (5 px) at its position
///   (normalised x, y times the picture's width and height);
/// - **panel** top-left, `S`/40 (12 px) from the edges, half-transparent black: the count in
///   large white digits (cells of `S`/50 = 9 px, so a digit is 45×63 px; green on the frame of
///   a counted rep), the exercise (`PUSH-UPS`, `JUMP ROPE`, `SQUATS`, or `DETECTING`) in grey,
///   the phase (`UP`, `DOWN`, `AIR`, `GROUND`, `IDLE`) in its colour, and `N PARTIAL` in orange
///   once partials were seen (text cells of `S`/120 = 4 px);
/// - **gauge** top-right, the same distance from the edges, `S`/20 wide (24 px) and `0.4 S`
///   high (192 px): a half-transparent black track filled from the bottom to the signal's value in
///   the phase's colour, a red line where falling below changes the phase (a descent starts, a
///   foot lands) and a green one where climbing above does (a cycle completes, a foot takes off);
/// - **flash** on the frame a rep is counted: the picture tinted green (12 %) and a green border
///   `S`/40 wide; on the frame a partial is reported, an orange border and `PARTIAL` in orange
///   at the bottom centre.
public struct FrameAnnotator: Sendable {
  /// Landmarks seen with less visibility than this are not drawn.
  public static let minimumVisibility = 0.5

  /// What to draw on.
  public enum Background: Sendable {
    /// The frame's own image.
    case image(RGBImage)
    /// A plain dark background (``Colour/background``) of this size in pixels.
    case plain(width: Int, height: Int)
  }

  /// The size of a plain background when the frames have no image and the input states no size.
  public static let defaultPlainSize = (width: 640, height: 480)
  /// The largest side of a plain background (a landmark document may state any size).
  public static let maximumPlainSide = 8192

  /// The plain background for frames without an image: the size `geometry` states (rounded),
  /// else ``defaultPlainSize``, also when a side is not within 1...``maximumPlainSide``.
  public static func plainBackground(for geometry: ImageGeometry) -> Background {
    let sides = [geometry.width, geometry.height].map { side -> Int? in
      guard geometry.isKnown, side.isFinite, let pixels = Int(exactly: side.rounded()),
        (1...maximumPlainSide).contains(pixels)
      else { return nil }
      return pixels
    }
    guard let width = sides[0], let height = sides[1] else {
      return .plain(width: defaultPlainSize.width, height: defaultPlainSize.height)
    }
    return .plain(width: width, height: height)
  }

  private var reps = [Int](repeating: 0, count: Exercise.allCases.count)
  private var partials = [Int](repeating: 0, count: Exercise.allCases.count)
  private var shown: Exercise?

  /// An annotator at the start of a session.
  public init() {}

  /// Draws `frame` with the state after it was counted: `exercise` and `trace` from the session
  /// (``CountSession/tracedExercise``, ``CountSession/trace``), `events` the repetitions that
  /// became final with this frame.
  public mutating func annotate(
    _ frame: PoseFrame, exercise: Exercise?, trace: RepTrace?, events: [CountSession.Event],
    on background: Background
  ) -> RGBImage {
    var counted = false
    var partial = false
    for event in events {
      let slot = event.exercise.index
      switch event.event {
      case .rep:
        reps[slot] = max(reps[slot], event.number)
        counted = true
      case .partial:
        partials[slot] += 1
        partial = true
      }
    }
    // What was just counted, else what the session traces, else what was shown before.
    if let latest = events.last?.exercise {
      shown = latest
    } else if let exercise {
      shown = exercise
    }
    let shownTrace = exercise == shown ? trace : nil

    var canvas: Canvas
    switch background {
    case .image(let image): canvas = Canvas(image)
    case .plain(let width, let height):
      canvas = Canvas(width: width, height: height, colour: .background)
    }
    let layout = Layout(width: canvas.width, height: canvas.height)
    if counted {
      canvas.fillRectangle(
        x: 0, y: 0, width: canvas.width, height: canvas.height, colour: .rep, alpha: 0.12)
    }
    drawSkeleton(frame, on: &canvas, layout: layout)
    drawPanel(on: &canvas, layout: layout, trace: shownTrace, counted: counted)
    if let gauge = shownTrace?.gauge {
      drawGauge(gauge, phase: shownTrace?.phase ?? .idle, on: &canvas, layout: layout)
    }
    if counted {
      canvas.frameBorder(thickness: layout.border, colour: .rep)
    } else if partial {
      canvas.frameBorder(thickness: layout.border, colour: .partial)
    }
    if partial {
      let scale = layout.textScale * 2
      let text = "PARTIAL"
      let width = BitmapFont.width(of: text, scale: scale)
      let x = (canvas.width - width) / 2
      let y = canvas.height - layout.border - layout.margin - BitmapFont.height(scale: scale)
      canvas.fillRectangle(
        x: x - layout.padding, y: y - layout.padding, width: width + 2 * layout.padding,
        height: BitmapFont.height(scale: scale) + 2 * layout.padding, colour: .panel, alpha: 0.55)
      BitmapFont.draw(text, on: &canvas, x: x, y: y, scale: scale, colour: .partial)
    }
    return canvas.image
  }

  /// Sizes in pixels for a picture, from its shorter side.
  struct Layout {
    var width: Int
    var height: Int
    var boneWidth: Double
    var jointRadius: Double
    var margin: Int
    var padding: Int
    var countScale: Int
    var textScale: Int
    var gaugeWidth: Int
    var gaugeHeight: Int
    var lineWidth: Int
    var border: Int

    init(width: Int, height: Int) {
      self.width = width
      self.height = height
      let short = Double(min(width, height))
      boneWidth = max(2, short / 160)
      jointRadius = max(3, short / 96)
      margin = max(6, Int(short / 24))
      countScale = max(2, Int(short / 50))
      textScale = max(1, Int(short / 120))
      padding = max(2, textScale * 2)
      gaugeWidth = max(6, Int(short / 20))
      gaugeHeight = max(20, Int(short * 0.4))
      lineWidth = max(2, Int(short / 160))
      border = max(4, Int(short / 40))
    }
  }

  private func drawSkeleton(_ frame: PoseFrame, on canvas: inout Canvas, layout: Layout) {
    guard let topology = frame.topology else { return }
    let marks = frame.landmarks
    let width = Double(canvas.width)
    let height = Double(canvas.height)
    func seen(_ index: Int) -> Bool { marks[index].visibility >= Self.minimumVisibility }
    for (a, b) in topology.connections where seen(a) && seen(b) {
      canvas.line(
        x0: marks[a].x * width, y0: marks[a].y * height, x1: marks[b].x * width,
        y1: marks[b].y * height, thickness: layout.boneWidth, colour: .bone)
    }
    for mark in marks where mark.visibility >= Self.minimumVisibility {
      canvas.fillCircle(
        x: mark.x * width, y: mark.y * height, radius: layout.jointRadius, colour: .joint)
    }
  }

  private func drawPanel(
    on canvas: inout Canvas, layout: Layout, trace: RepTrace?, counted: Bool
  ) {
    let count = shown.map { reps[$0.index] } ?? 0
    let partialCount = shown.map { partials[$0.index] } ?? 0
    let phase = trace?.phase ?? .idle
    var lines: [(text: String, scale: Int, colour: Colour)] = [
      (String(count), layout.countScale, counted ? .rep : .text),
      (shown?.plural.uppercased() ?? "DETECTING", layout.textScale, .secondaryText),
      (phase.rawValue.uppercased(), layout.textScale, Self.colour(of: phase)),
    ]
    if partialCount > 0 {
      lines.append(("\(partialCount) PARTIAL", layout.textScale, .partial))
    }
    let gap = layout.padding
    let contentWidth = lines.map { BitmapFont.width(of: $0.text, scale: $0.scale) }.max() ?? 0
    let contentHeight =
      lines.map { BitmapFont.height(scale: $0.scale) }.reduce(0, +) + gap * (lines.count - 1)
    canvas.fillRectangle(
      x: layout.margin, y: layout.margin, width: contentWidth + 2 * layout.padding,
      height: contentHeight + 2 * layout.padding, colour: .panel, alpha: 0.55)
    var y = layout.margin + layout.padding
    for line in lines {
      BitmapFont.draw(
        line.text, on: &canvas, x: layout.margin + layout.padding, y: y, scale: line.scale,
        colour: line.colour)
      y += BitmapFont.height(scale: line.scale) + gap
    }
  }

  private func drawGauge(
    _ gauge: RepTrace.Gauge, phase: RepPhase, on canvas: inout Canvas, layout: Layout
  ) {
    let x = canvas.width - layout.margin - layout.gaugeWidth
    let y = layout.margin
    canvas.fillRectangle(
      x: x, y: y, width: layout.gaugeWidth, height: layout.gaugeHeight, colour: .panel,
      alpha: 0.55)
    func row(_ value: Double) -> Int {
      y + layout.gaugeHeight - Int((min(1, max(0, value)) * Double(layout.gaugeHeight)).rounded())
    }
    let top = row(gauge.value)
    let inset = max(1, layout.gaugeWidth / 6)
    canvas.fillRectangle(
      x: x + inset, y: top, width: layout.gaugeWidth - 2 * inset,
      height: y + layout.gaugeHeight - top, colour: Self.colour(of: phase))
    let overhang = max(2, layout.gaugeWidth / 4)
    for (value, colour) in [(gauge.low, Colour.lowLine), (gauge.high, Colour.rep)] {
      guard let value else { continue }
      canvas.fillRectangle(
        x: x - overhang, y: row(value) - layout.lineWidth / 2,
        width: layout.gaugeWidth + 2 * overhang, height: layout.lineWidth, colour: colour)
    }
  }

  /// The colour a phase is drawn in.
  static func colour(of phase: RepPhase) -> Colour {
    switch phase {
    case .up, .ground: return .phaseUp
    case .down, .air: return .phaseDown
    case .idle: return .idle
    }
  }
}
