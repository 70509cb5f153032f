/// Decides which exercise a stream shows, one frame at a time: one of the catalogue's
/// exercises, or neither.
///
/// A value-type state machine. Each frame is an *observation*: the neutral ``Posture`` and each
/// exercise's counter's evidence (``RepCounter/detectionEvidence(posture:time:)``: a plank for
/// push-ups, an upright hopping body for jump rope). Evidence for each label accumulates with an
/// exponential decay (``Tuning/memory``): the exercise with the strongest evidence of the frame
/// is credited with it; an upright body that no exercise claims (standing, walking, swinging the
/// rope at the side) is weaker evidence for neither. The first decision comes after
/// ``Tuning/decideAfter`` seconds of evidence; a later label takes over when its evidence is
/// ``Tuning/switchRatio`` times that of the current one. A new label is backdated to when its
/// evidence began (less ``Tuning/backdate``), so the repetitions that led to the decision belong
/// to it. The labelled stretches are kept as ``segments`` (one entry per change).
///
/// A label is an `Exercise?`: nil is neither exercise (standing, walking, nobody moving).
public struct ExerciseDetector: Sendable {
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
    /// The exercise, or nil for neither.
    public var label: Exercise?
  }

  /// Evidence slots: one per exercise (``Exercise/index``), then neither.
  private static let slotCount = Exercise.allCases.count + 1
  private static func slot(_ label: Exercise?) -> Int {
    label?.index ?? Exercise.allCases.count
  }
  private static func label(ofSlot slot: Int) -> Exercise? {
    slot < Exercise.allCases.count ? Exercise.allCases[slot] : nil
  }

  /// The tuning in use.
  public let tuning: Tuning
  /// The labelled stretches so far, in time order (empty before the first decision).
  public private(set) var segments: [Segment] = []
  /// The first segment labelled with an exercise (not neither), if any: the stretch before it
  /// is the session's pre-roll (see ``CountSession``).
  public private(set) var firstExerciseSegment: Segment?
  private var recent = [Double](repeating: 0, count: slotCount)
  private var totals = [Double](repeating: 0, count: slotCount)
  private var streakStart = [Double?](repeating: nil, count: slotCount)
  private var lastEvidence = [Double?](repeating: nil, count: slotCount)
  private var lastTime: Double?

  /// A detector with `tuning`.
  public init(tuning: Tuning = Tuning()) {
    self.tuning = tuning
  }

  /// The current label (`.some(nil)` is neither), or nil while undecided.
  public var current: Exercise?? { segments.last.map(\.label) }

  /// The label in force at `time` (`.some(nil)` is neither; nil when undecided then).
  ///
  /// A binary search: segment starts strictly increase, so this stays cheap however many label
  /// changes a long session has.
  public func label(at time: Double) -> Exercise?? {
    segmentIndex(at: time).map { .some(segments[$0].label) } ?? nil
  }

  /// The index in ``segments`` of the stretch in force at `time` (nil when undecided then); a
  /// binary search, like ``label(at:)``.
  public func segmentIndex(at time: Double) -> Int? {
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
    return low > 0 ? low - 1 : nil
  }

  /// The label with the most evidence over the whole stream and its share of all evidence
  /// (0...1); nil when there was no evidence at all.
  public var overall: (label: Exercise?, confidence: Double)? {
    let sum = totals.reduce(0, +)
    guard sum > 0, let best = totals.indices.max(by: { totals[$0] < totals[$1] }) else {
      return nil
    }
    return (Self.label(ofSlot: best), totals[best] / sum)
  }

  /// The share of all evidence that supports `label` (nil: neither; 0 without evidence).
  public func confidence(of label: Exercise?) -> Double {
    let sum = totals.reduce(0, +)
    guard sum > 0 else { return 0 }
    return totals[Self.slot(label)] / sum
  }

  /// Takes one frame's observation: its posture and each exercise's evidence (indexed by
  /// ``Exercise/index``; missing entries count as 0). Returns true when the current label
  /// changed.
  public mutating func observe(time: Double, posture: Posture, evidence: [Double]) -> Bool {
    let elapsed = lastTime.map { min(0.2, max(0, time - $0)) } ?? 0
    lastTime = time
    let decay = 1 / (1 + elapsed / tuning.memory)
    for index in recent.indices { recent[index] *= decay }
    // The exercise with the strongest evidence (the first in catalogue order on a tie).
    var strongest: (index: Int, weight: Double)?
    for (index, weight) in evidence.prefix(Exercise.allCases.count).enumerated()
    where weight > 0 && weight <= 1 && weight > (strongest?.weight ?? 0) {
      strongest = (index, weight)
    }
    let credited: (index: Int, weight: Double)?
    if let strongest {
      credited = strongest
    } else if posture == .upright {
      credited = (Self.slot(nil), tuning.idleWeight)
    } else {
      credited = nil
    }
    if let (index, weight) = credited {
      let amount = weight * max(elapsed, 1.0 / 60)
      recent[index] += amount
      totals[index] += amount
      if lastEvidence[index].map({ time - $0 > tuning.streakGap }) ?? true {
        streakStart[index] = time
      }
      lastEvidence[index] = time
    }
    return decide(time: time, switchRatio: tuning.switchRatio)
  }

  /// Ends the stream: an exercise whose recent evidence leads that of the current label takes
  /// over without ``Tuning/switchRatio`` (which keeps the label from flapping between frames;
  /// after the last frame there is nothing left to flap), so an exercise resumed just before
  /// the end is not left to the label it interrupted. Returns true when the label changed.
  public mutating func finish() -> Bool {
    guard let time = lastTime, current != nil,
      let best = recent.indices.max(by: { recent[$0] < recent[$1] }),
      Self.label(ofSlot: best) != nil
    else { return false }
    return decide(time: time, switchRatio: 1)
  }

  private mutating func decide(time: Double, switchRatio: Double) -> Bool {
    guard let best = recent.indices.max(by: { recent[$0] < recent[$1] }),
      recent[best] >= tuning.decideAfter
    else { return false }
    let label = Self.label(ofSlot: best)
    if let current {
      guard label != current,
        recent[best] > switchRatio * recent[Self.slot(current)]
      else { return false }
    }
    var start = (streakStart[best] ?? time) - (label == nil ? 0 : tuning.backdate)
    // Backdating may swallow stretches decided before; they are revised to the new label.
    var removed = false
    while let last = segments.last, last.start >= start {
      segments.removeLast()
      removed = true
    }
    defer {
      if removed || firstExerciseSegment == nil {
        firstExerciseSegment = segments.first { $0.label != nil }
      }
    }
    if let last = segments.last, last.label == label { return false }
    start = max(start, segments.last.map { $0.start } ?? start)
    segments.append(Segment(start: start, label: label))
    return true
  }
}
