/// Decides which exercise a stream shows, one frame at a time: push-ups, jump rope, or neither.
///
/// A value-type state machine. Each frame is an *observation*: the posture (a horizontal plank,
/// an upright body, or unknown) and whether the feet are hopping. Evidence for each label
/// accumulates with an exponential decay (``Tuning/memory``): a plank is push-up evidence, an
/// upright hopping body jump-rope evidence, an upright body that does not hop (standing,
/// walking, swinging the rope at the side) weaker evidence for neither. The first decision comes
/// after ``Tuning/decideAfter`` seconds of evidence; a later label takes over when its evidence
/// is ``Tuning/switchRatio`` times that of the current one. A new label is backdated to when its
/// evidence began (less ``Tuning/backdate``), so the repetitions that led to the decision belong
/// to it. The labelled stretches are kept as ``segments`` (one entry per change).
public struct ExerciseDetector: Sendable {
  /// What a stretch of the stream shows.
  public enum Label: String, Sendable, CaseIterable {
    case pushUp = "push-up"
    case jumpRope = "jump-rope"
    /// Neither exercise (standing, walking, nobody moving).
    case neither = "none"

    /// The exercise this label counts, if any.
    public var exercise: Exercise? {
      switch self {
      case .pushUp: return .pushUp
      case .jumpRope: return .jumpRope
      case .neither: return nil
      }
    }

    init(_ exercise: Exercise) {
      switch exercise {
      case .pushUp: self = .pushUp
      case .jumpRope: self = .jumpRope
      }
    }
  }

  /// The body posture of one frame.
  public enum Posture: Sendable {
    /// Horizontal body with the arms visible (push-up position).
    case plank
    /// Standing: shoulders above hips above feet.
    case upright
    /// No pose, or not enough of it to tell.
    case unknown
  }

  /// The numbers that shape the detector.
  public struct Tuning: Sendable, Equatable {
    /// Time constant of the evidence decay, seconds.
    public var memory = 3.0
    /// Seconds of (weighted) evidence before the first decision.
    public var decideAfter = 0.6
    /// How much more evidence a new label needs than the current one.
    public var switchRatio = 2.0
    /// Weight of an upright body that does not hop (as evidence for neither).
    public var idleWeight = 0.5
    /// A label's evidence streak ends after this many seconds without evidence.
    public var streakGap = 1.5
    /// A new label starts this many seconds before its evidence did.
    public var backdate = 1.0

    /// The default tuning.
    public init() {}
  }

  /// A labelled stretch: from `start` until the next segment's start.
  public struct Segment: Sendable, Equatable {
    public var start: Double
    public var label: Label
  }

  /// The tuning in use.
  public let tuning: Tuning
  /// The labelled stretches so far, in time order (empty before the first decision).
  public private(set) var segments: [Segment] = []
  private var recent = [Double](repeating: 0, count: Label.allCases.count)
  private var totals = [Double](repeating: 0, count: Label.allCases.count)
  private var streakStart = [Double?](repeating: nil, count: Label.allCases.count)
  private var lastEvidence = [Double?](repeating: nil, count: Label.allCases.count)
  private var lastTime: Double?

  /// A detector with `tuning`.
  public init(tuning: Tuning = Tuning()) {
    self.tuning = tuning
  }

  /// The current label, or nil while undecided.
  public var current: Label? { segments.last?.label }

  /// The label in force at `time` (nil when undecided then).
  ///
  /// A binary search: segment starts strictly increase, so this stays cheap however many label
  /// changes a long session has.
  public func label(at time: Double) -> Label? {
    // The first segment that starts after `time`; the one before it is in force.
    var low = 0
    var high = segments.count
    while low < high {
      let middle = low + (high - low) / 2
      if segments[middle].start <= time {
        low = middle + 1
      } else {
        high = middle
      }
    }
    return low > 0 ? segments[low - 1].label : nil
  }

  /// The label with the most evidence over the whole stream and its share of all evidence
  /// (0...1); nil when there was no evidence at all.
  public var overall: (label: Label, confidence: Double)? {
    let sum = totals.reduce(0, +)
    guard sum > 0, let best = totals.indices.max(by: { totals[$0] < totals[$1] }) else {
      return nil
    }
    return (Label.allCases[best], totals[best] / sum)
  }

  /// The share of all evidence that supports `label` (0 without evidence).
  public func confidence(of label: Label) -> Double {
    let sum = totals.reduce(0, +)
    guard sum > 0, let index = Label.allCases.firstIndex(of: label) else { return 0 }
    return totals[index] / sum
  }

  /// Takes one frame's observation; returns true when the current label changed.
  public mutating func observe(time: Double, posture: Posture, hopping: Bool) -> Bool {
    let elapsed = lastTime.map { min(0.2, max(0, time - $0)) } ?? 0
    lastTime = time
    let decay = 1 / (1 + elapsed / tuning.memory)
    for index in recent.indices { recent[index] *= decay }
    let evidence: (Label, Double)?
    switch posture {
    case .plank: evidence = (.pushUp, 1)
    case .upright: evidence = hopping ? (.jumpRope, 1) : (.neither, tuning.idleWeight)
    case .unknown: evidence = nil
    }
    if let (label, weight) = evidence, let index = Label.allCases.firstIndex(of: label) {
      let amount = weight * max(elapsed, 1.0 / 60)
      recent[index] += amount
      totals[index] += amount
      if lastEvidence[index].map({ time - $0 > tuning.streakGap }) ?? true {
        streakStart[index] = time
      }
      lastEvidence[index] = time
    }
    guard let best = recent.indices.max(by: { recent[$0] < recent[$1] }),
      recent[best] >= tuning.decideAfter
    else { return false }
    let label = Label.allCases[best]
    if let current {
      guard label != current,
        let currentIndex = Label.allCases.firstIndex(of: current),
        recent[best] > tuning.switchRatio * recent[currentIndex]
      else { return false }
    }
    var start = (streakStart[best] ?? time) - (label == .neither ? 0 : tuning.backdate)
    // Backdating may swallow stretches decided before; they are revised to the new label.
    while let last = segments.last, last.start >= start {
      segments.removeLast()
    }
    if let last = segments.last, last.label == label { return false }
    start = max(start, segments.last.map { $0.start } ?? start)
    segments.append(Segment(start: start, label: label))
    return true
  }
}
