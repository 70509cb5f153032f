import RepCounting
import Testing

/// A front-view COCO-17 skipper for driving the jump-rope counter and the session directly.
enum SyntheticSkipper {
  /// A frame with the body raised `lift` and each foot raised a further `feet[0]`/`feet[1]`
  /// (normalised image units; the leg is 0.3 long), shifted `x` to the right.
  static func frame(time: Double, lift: Double = 0, feet: [Double] = [0, 0], x: Double = 0)
    -> PoseFrame
  {
    var marks = [Landmark](repeating: Landmark(x: 0.5, y: 0.5), count: 17)
    func set(_ joint: Joint, _ px: Double, _ py: Double) {
      marks[PoseTopology.coco17.index(of: joint)] = Landmark(x: px + x, y: py - lift)
    }
    set(.nose, 0.5, 0.2)
    set(.leftShoulder, 0.45, 0.3)
    set(.rightShoulder, 0.55, 0.3)
    set(.leftElbow, 0.43, 0.42)
    set(.rightElbow, 0.57, 0.42)
    set(.leftWrist, 0.40, 0.5)
    set(.rightWrist, 0.60, 0.5)
    set(.leftHip, 0.47, 0.55)
    set(.rightHip, 0.53, 0.55)
    set(.leftKnee, 0.47, 0.7 - feet[0] / 2)
    set(.rightKnee, 0.53, 0.7 - feet[1] / 2)
    set(.leftAnkle, 0.47, 0.85 - feet[0])
    set(.rightAnkle, 0.53, 0.85 - feet[1])
    return PoseFrame(time: time, landmarks: marks)
  }

  enum Style: String, Sendable {
    case bounce
    case alternate
    case doubleUnder = "double-under"
    case standing
    case wobble
    case walk
  }

  /// `count` landings at `rate` per second after 1 s of standing, then 1 s of standing.
  static func session(_ style: Style, count: Int, rate: Double, height: Double, fps: Double)
    -> [PoseFrame]
  {
    let period = 1 / rate
    let length = 2 + Double(count) * period
    let air = style == .doubleUnder ? 0.7 : 0.55
    return (0..<Int(length * fps)).map { index in
      let t = Double(index) / fps
      let v = t - 1
      guard v > 0, v < Double(count) * period else { return frame(time: t) }
      let k = Int(v / period)
      let w = (v - Double(k) * period) / period
      let hop = w < 1 - air ? 0 : sine(3.141592653589793 * (w - (1 - air)) / air)
      switch style {
      case .bounce, .doubleUnder: return frame(time: t, lift: height * hop)
      case .alternate:
        var feet = [0.0, 0.0]
        feet[k % 2] = height * hop
        return frame(time: t, feet: feet)
      case .standing: return frame(time: t)
      case .wobble: return frame(time: t, lift: 0.3 * height * hop)
      case .walk:
        var feet = [0.0, 0.0]
        feet[k % 2] = height * hop
        return frame(time: t, feet: feet, x: -0.4 + 0.35 * v)
      }
    }
  }

  static func sine(_ x: Double) -> Double {
    var term = x
    var sum = x
    for n in 1..<12 {
      term *= -x * x / Double((2 * n) * (2 * n + 1))
      sum += term
    }
    return sum
  }
}

struct JumpRopeCase: Sendable, CustomTestStringConvertible {
  var style: SyntheticSkipper.Style
  var count: Int
  var rate: Double
  var height: Double
  var fps: Double
  var expected: Int
  var testDescription: String { "\(style.rawValue) \(count)x at \(rate)/s, \(fps) fps" }
}

@Suite struct JumpRopeCounterTests {
  static func count(_ frames: [PoseFrame], tuning: JumpRopeCounter.Tuning = .init())
    -> [Repetition]
  {
    var counter = JumpRopeCounter(tuning: tuning)
    var reps: [Repetition] = []
    for frame in frames {
      for case .rep(let rep) in counter.consume(frame) { reps.append(rep) }
    }
    for case .rep(let rep) in counter.finish() { reps.append(rep) }
    return reps
  }

  static let cases: [JumpRopeCase] = [
    JumpRopeCase(style: .bounce, count: 20, rate: 2.5, height: 0.04, fps: 30, expected: 20),
    JumpRopeCase(style: .bounce, count: 30, rate: 3.5, height: 0.03, fps: 60, expected: 30),
    JumpRopeCase(style: .bounce, count: 10, rate: 1.0, height: 0.06, fps: 24, expected: 10),
    JumpRopeCase(style: .alternate, count: 30, rate: 7.0, height: 0.035, fps: 30, expected: 30),
    JumpRopeCase(style: .alternate, count: 16, rate: 4.0, height: 0.05, fps: 25, expected: 16),
    JumpRopeCase(style: .doubleUnder, count: 15, rate: 3.5, height: 0.09, fps: 30, expected: 15),
    JumpRopeCase(style: .bounce, count: 12, rate: 2.0, height: 0.2, fps: 30, expected: 12),
    JumpRopeCase(style: .standing, count: 10, rate: 2.0, height: 0.05, fps: 30, expected: 0),
    JumpRopeCase(style: .wobble, count: 10, rate: 2.0, height: 0.03, fps: 30, expected: 0),
    JumpRopeCase(style: .walk, count: 8, rate: 2.0, height: 0.06, fps: 30, expected: 0),
    JumpRopeCase(style: .bounce, count: 1, rate: 2.0, height: 0.05, fps: 30, expected: 0),
  ]

  @Test(arguments: cases)
  func countsLandings(_ row: JumpRopeCase) {
    let frames = SyntheticSkipper.session(
      row.style, count: row.count, rate: row.rate, height: row.height, fps: row.fps)
    #expect(Self.count(frames).count == row.expected)
  }

  /// Hops of 0.27 s in the air starting at `takeoffs` (seconds), at 30 fps for `length` s.
  static func hops(at takeoffs: [Double], length: Double) -> [PoseFrame] {
    (0..<Int(length * 30)).map { index in
      let t = Double(index) / 30
      let lift =
        takeoffs.map { start -> Double in
          let w = (t - start) / 0.27
          return w > 0 && w < 1 ? 0.05 * SyntheticSkipper.sine(3.141592653589793 * w) : 0
        }.max() ?? 0
      return SyntheticSkipper.frame(time: t, lift: lift)
    }
  }

  @Test func aBounceBeforeTheRopeComesRoundIsNotARep() {
    // One bounce at 1.0 s, then the rope: ten jumps every 0.5 s from 2.1 s.
    let run = (0..<10).map { 2.1 + 0.5 * Double($0) }
    let reps = Self.count(Self.hops(at: [1.0] + run, length: 8))
    #expect(reps.count == 10)
    #expect((reps.first?.start ?? 0) > 2)
    // Without the early bounce nothing changes; a first jump in the rhythm always counts.
    #expect(Self.count(Self.hops(at: run, length: 8)).count == 10)
    #expect(Self.count(Self.hops(at: [1.6] + run, length: 8)).count == 11)
  }

  /// Speed stepping at 7.3 steps/s (30 fps, 1 s standing first): step k lifts foot k % 2 at
  /// 1 + k / 7.3 s. The right foot makes a clean 0.16 s hop; the left comes down slowly from its
  /// apex (0.06 s up, then a tail at 60 % of the hop until 0.24 s), so its landing
  /// falls a frame or two before the right foot's next one, as on the real side and oblique clips.
  /// With `endAt` the recording stops before that many seconds after the last step's take-off.
  static func overlappingSteps(_ count: Int, endAt: Double? = nil) -> [PoseFrame] {
    let interval = 1 / 7.3
    let height = 0.05
    let last = 1 + Double(count - 1) * interval
    let length = endAt.map { last + $0 } ?? last + 1
    func left(_ s: Double) -> Double {
      switch s {
      case ..<0: return 0
      case ..<0.06: return SyntheticSkipper.sine(3.141592653589793 / 2 * s / 0.06)
      case ..<0.12: return 1 - 0.4 * (s - 0.06) / 0.06
      case ..<0.24: return 0.6
      case ..<0.26: return 0.6 * (0.26 - s) / 0.02
      default: return 0
      }
    }
    func right(_ s: Double) -> Double {
      s > 0 && s < 0.16 ? SyntheticSkipper.sine(3.141592653589793 * s / 0.16) : 0
    }
    return (0..<Int(length * 30)).map { index in
      let t = Double(index) / 30
      var feet = [0.0, 0.0]
      for k in 0..<count {
        let s = t - (1 + Double(k) * interval)
        if k % 2 == 0 {
          feet[0] = max(feet[0], height * left(s))
        } else {
          feet[1] = max(feet[1], height * right(s))
        }
      }
      return SyntheticSkipper.frame(time: t, feet: feet)
    }
  }

  @Test func alternateStepsWhoseLandingsNearlyCoincideCountEachFoot() {
    let frames = Self.overlappingSteps(40)
    // The first overlapping pair is taken for one two-footed landing: a pair is two steps only
    // when the pair before it looked like two steps too (pose noise on a bounce does not).
    #expect(Self.count(frames).count == 39)
    // Merging every pair of landings inside the merge window (jump-rope/2) lost steps here.
    var merging = JumpRopeCounter.Tuning()
    merging.stepApexSeparation = 10...10
    #expect(Self.count(frames, tuning: merging).count < 35)
  }

  /// Speed stepping as ``overlappingSteps(_:endAt:)``, but the first `clean` steps are clean
  /// hops of alternate feet (0.16 s each, landings a step apart); from then on the left foot
  /// comes down slowly, so every later pair of landings falls inside the merge window.
  static func stepsThatStartToOverlap(_ count: Int, clean: Int) -> [PoseFrame] {
    let interval = 1 / 7.3
    let length = 2 + Double(count - 1) * interval
    func hop(_ s: Double) -> Double {
      s > 0 && s < 0.16 ? SyntheticSkipper.sine(3.141592653589793 * s / 0.16) : 0
    }
    func slow(_ s: Double) -> Double {
      switch s {
      case ..<0: return 0
      case ..<0.06: return SyntheticSkipper.sine(3.141592653589793 / 2 * s / 0.06)
      case ..<0.12: return 1 - 0.4 * (s - 0.06) / 0.06
      case ..<0.24: return 0.6
      case ..<0.26: return 0.6 * (0.26 - s) / 0.02
      default: return 0
      }
    }
    return (0..<Int(length * 30)).map { index in
      let t = Double(index) / 30
      var feet = [0.0, 0.0]
      for k in 0..<count {
        let s = t - (1 + Double(k) * interval)
        let shape = k >= clean && k % 2 == 0 ? slow(s) : hop(s)
        feet[k % 2] = max(feet[k % 2], 0.05 * shape)
      }
      return SyntheticSkipper.frame(time: t, feet: feet)
    }
  }

  @Test func onceTheFeetLandInTurnTheFirstOverlappingPairIsTwoSteps() {
    // Six clean steps show the stepping rhythm (counted landings at half the per-foot
    // period), so the first overlapping pair already counts as two steps (jump-rope/4).
    let frames = Self.stepsThatStartToOverlap(40, clean: 6)
    #expect(Self.count(frames).count == 40)
    // Without the stepping rhythm (jump-rope/3) it waited for a second overlapping pair.
    var bounceOnly = JumpRopeCounter.Tuning()
    bounceOnly.steppingRatio = 0
    #expect(Self.count(frames, tuning: bounceOnly).count == 39)
  }

  /// A two-foot bounce at 2.5 hops/s (0.25 s in the air, 30 fps) in which, on the hops in
  /// `late`, pose noise makes the right foot take off 0.12 s late and land 0.06 s after the left.
  static func bounceWithLateFoot(_ count: Int, late: Set<Int>) -> [PoseFrame] {
    let period = 0.4
    return (0..<Int((2 + Double(count) * period) * 30)).map { index in
      let t = Double(index) / 30
      var feet = [0.0, 0.0]
      for k in 0..<count {
        let s = t - (1 + Double(k) * period)
        let (start, air) = late.contains(k) ? (0.12, 0.19) : (0.0, 0.25)
        if s > 0, s < 0.25 {
          feet[0] = max(feet[0], 0.05 * SyntheticSkipper.sine(3.141592653589793 * s / 0.25))
        }
        if s > start, s < start + air {
          let w = (s - start) / air
          feet[1] = max(feet[1], 0.05 * SyntheticSkipper.sine(3.141592653589793 * w))
        }
      }
      return SyntheticSkipper.frame(time: t, feet: feet)
    }
  }

  @Test func aBounceWhoseFeetPoseNoisePullsApartStillCountsOnce() {
    // The late foot's peak and take-off are far enough behind to look like a step, but the
    // counted landings come once per per-foot period (both feet land every hop): not stepping.
    for late: Set<Int> in [[7], [3, 7], [3, 5, 7, 9]] {
      #expect(Self.count(Self.bounceWithLateFoot(12, late: late)).count == 12)
    }
    // Two noisy hops in a row: the second follows a pair that looked like two steps, so it
    // splits (as in jump-rope/3; a known limit).
    #expect(Self.count(Self.bounceWithLateFoot(12, late: [3, 4, 7])).count == 13)
    // Were every such pair two steps, the noisy hops would count twice.
    var everyPair = JumpRopeCounter.Tuning()
    everyPair.steppingRatio = 10
    #expect(Self.count(Self.bounceWithLateFoot(12, late: [3, 7]), tuning: everyPair).count == 14)
  }

  @Test(arguments: [24.0, 30.0])
  func fastDoubleUndersWithBriefGroundContactCountOncePerJump(fps: Double) {
    // Double-unders at 2.4–3.2 jumps/s that spend 80–90 % of each jump in the air (the feet
    // touch for 1–2 frames): one landing each, however short the contact.
    for rate in [2.4, 2.8, 3.2] {
      for air in [0.8, 0.9] {
        let frames = Self.hopSession(count: 20, rate: rate, height: 0.08, air: air, fps: fps)
        #expect(Self.count(frames).count == 20, "\(rate)/s, \(air) in the air")
      }
    }
  }

  @Test func doubleUndersBetweenSinglesCountOncePerJump() {
    // Ten singles (2.6/s, 0.03 high), ten double-unders (2.2/s, twice as high, longer in the
    // air), ten singles, six double-unders: 36 jumps, 36 reps.
    let hops =
      Self.series(count: 10, rate: 2.6, height: 0.03, air: 0.55, from: 1)
      + Self.series(count: 10, rate: 2.2, height: 0.06, air: 0.85, from: 1 + 10 / 2.6)
      + Self.series(count: 10, rate: 2.6, height: 0.03, air: 0.55, from: 1 + 10 / 2.6 + 10 / 2.2)
      + Self.series(count: 6, rate: 2.6, height: 0.06, air: 0.88, from: 1 + 20 / 2.6 + 10 / 2.2)
    #expect(Self.count(Self.frames(of: hops, fps: 30)).count == 36)
  }

  @Test func singlesAfterMuchHigherDoubleUndersComeBackWithinAJump() {
    // Double-unders 2.4 times as high as the singles around them (0.06 vs 0.025): the first
    // single after them stays under the take-off threshold (0.45 of the typical height), but
    // that low hop pulls the typical height down, and the rest count: 35 of 36.
    let hops =
      Self.series(count: 10, rate: 2.6, height: 0.025, air: 0.55, from: 1)
      + Self.series(count: 10, rate: 2.2, height: 0.06, air: 0.85, from: 1 + 10 / 2.6)
      + Self.series(count: 10, rate: 2.6, height: 0.025, air: 0.55, from: 1 + 10 / 2.6 + 10 / 2.2)
      + Self.series(count: 6, rate: 2.6, height: 0.06, air: 0.88, from: 1 + 20 / 2.6 + 10 / 2.2)
    let frames = Self.frames(of: hops, fps: 30)
    #expect(Self.count(frames).count == 35)
    // When only counted hops set the typical height (jump-rope/3), all ten singles were lost.
    var countedOnly = JumpRopeCounter.Tuning()
    countedOnly.lowHopFraction = 10
    #expect(Self.count(frames, tuning: countedOnly).count == 26)
  }

  @Test func lowHopsAfterAHighStartAreFoundAgain() {
    // A high first hop, then a bounce at 0.37 of its height (jumprope-track-mixed's second
    // bout from our own pose: a 0.2-leg take-off, then hops of 0.075): too low to take off
    // (0.45 of the typical height) but over lowHopFraction (0.35) of it, so the typical
    // height comes down and the bounce counts from its third hop on: 3 + 10 of 3 + 12.
    let hops =
      Self.series(count: 3, rate: 2.2, height: 0.075, air: 0.6, from: 1)
      + Self.series(count: 12, rate: 2.2, height: 0.028, air: 0.6, from: 1 + 3 / 2.2)
    let frames = Self.frames(of: hops, fps: 30)
    #expect(Self.count(frames).count == 13)
    // At 0.4 (jump-rope/4) such hops neither took off nor lowered the typical height.
    var before = JumpRopeCounter.Tuning()
    before.lowHopFraction = 0.4
    #expect(Self.count(frames, tuning: before).count == 3)
  }

  /// `count` jumps at `rate` per second from `from` seconds: (take-off, time in the air, height).
  static func series(count: Int, rate: Double, height: Double, air: Double, from start: Double)
    -> [(Double, Double, Double)]
  {
    (0..<count).map { (start + Double($0) / rate, air / rate, height) }
  }

  /// Two-foot jumps (take-off, time in the air, height), 1 s of standing after the last.
  static func frames(of hops: [(Double, Double, Double)], fps: Double) -> [PoseFrame] {
    let end = (hops.map { $0.0 + $0.1 }.max() ?? 0) + 1
    return (0..<Int(end * fps)).map { index in
      let t = Double(index) / fps
      var lift = 0.0
      for (start, air, height) in hops where t > start && t < start + air {
        lift = max(lift, height * SyntheticSkipper.sine(3.141592653589793 * (t - start) / air))
      }
      return SyntheticSkipper.frame(time: t, lift: lift)
    }
  }

  /// `count` two-foot jumps at `rate` per second, `air` of each period in the air, from 1 s.
  static func hopSession(count: Int, rate: Double, height: Double, air: Double, fps: Double)
    -> [PoseFrame]
  {
    frames(of: series(count: count, rate: rate, height: height, air: air, from: 1), fps: fps)
  }

  @Test func aFootStillInTheAirPastItsApexAtTheEndCounts() {
    // The last frame is 0.13 s after the last (right-foot) take-off: past its apex (0.08 s),
    // not yet landed (0.14 s).
    // (19 of 20: the run's first overlapping pair is one landing, as above.)
    #expect(Self.count(Self.overlappingSteps(20, endAt: 0.18)).count == 19)
    // Stopped on the way up it does not count.
    #expect(Self.count(Self.overlappingSteps(20, endAt: 0.05)).count == 18)
  }

  @Test func aRunOfTwoJumpsCountsWhenItEnds() {
    #expect(Self.count(Self.hops(at: [1.0, 1.5], length: 3)).count == 2)
    #expect(Self.count(Self.hops(at: [1.0, 1.5, 4.0, 4.5, 5.0], length: 6)).count == 5)
  }

  @Test func landingTimesFollowTheHops() {
    let frames = SyntheticSkipper.session(.bounce, count: 8, rate: 2, height: 0.05, fps: 30)
    let landings = Self.count(frames).map(\.end)
    #expect(landings.count == 8)
    for (index, landing) in landings.enumerated() {
      // Landing k is at 1 + k/2 s; the counter sees it a frame or two before touchdown.
      let truth = 1 + Double(index + 1) / 2
      #expect(abs(landing - truth) < 0.1)
    }
  }

  @Test func framesWithoutPoseHoldTheState() {
    var frames = SyntheticSkipper.session(.bounce, count: 10, rate: 2, height: 0.05, fps: 30)
    for index in stride(from: 40, to: frames.count, by: 7) {
      frames[index] = PoseFrame(time: frames[index].time, landmarks: [])
    }
    #expect(Self.count(frames).count == 10)
  }

  @Test func sameSessionAtDifferentBodySizesGivesTheSameCount() {
    let frames = SyntheticSkipper.session(.bounce, count: 12, rate: 3, height: 0.04, fps: 30)
    let small = frames.map { frame in
      PoseFrame(
        time: frame.time,
        landmarks: frame.landmarks.map {
          Landmark(x: 0.3 + $0.x * 0.4, y: 0.4 + $0.y * 0.4, visibility: $0.visibility)
        })
    }
    #expect(Self.count(small).count == 12)
  }
}

@Suite struct CountSessionTests {
  static func run(_ frames: [PoseFrame], mode: CountSession.Mode = .auto) -> (
    [CountSession.Event], SessionSummary
  ) {
    var session = CountSession(mode: mode)
    var events: [CountSession.Event] = []
    for frame in frames { events += session.consume(frame) }
    events += session.finish()
    return (events, session.summary)
  }

  @Test func detectsJumpRope() {
    let frames = SyntheticSkipper.session(.bounce, count: 15, rate: 2.5, height: 0.05, fps: 30)
    let (events, summary) = Self.run(frames)
    #expect(summary.exercise == .jumpRope)
    #expect(summary.reps == 15)
    #expect(summary.detected?.exercise == .jumpRope)
    #expect((summary.detected?.confidence ?? 0) > 0.5)
    #expect(events.map(\.number) == Array(1...15))
    #expect(summary.notes.isEmpty)
  }

  @Test func reportsAStandingPersonAsNeither() {
    let frames = SyntheticSkipper.session(.standing, count: 10, rate: 2, height: 0.05, fps: 30)
    let (events, summary) = Self.run(frames)
    #expect(events.isEmpty)
    #expect(summary.exercise == nil)
    #expect(summary.reps == 0)
    #expect(summary.detected.map { $0.exercise == nil } == true)
  }

  @Test func detectsPushUps() {
    var frames: [PoseFrame] = []
    for index in 0..<300 {
      let t = Double(index) / 30
      let cycle = t.truncatingRemainder(dividingBy: 2) / 2
      let angle = 165 - 95 * (cycle < 0.5 ? cycle * 2 : 2 - cycle * 2)
      frames.append(SyntheticPlank.frame(time: t, elbowAngle: angle))
    }
    let (_, summary) = Self.run(frames)
    #expect(summary.exercise == .pushUp)
    #expect(summary.detected?.exercise == .pushUp)
    #expect(summary.reps >= 4)
  }

  @Test func aFixedExerciseOverridesDetection() {
    let frames = SyntheticSkipper.session(.bounce, count: 10, rate: 2.5, height: 0.05, fps: 30)
    let (events, summary) = Self.run(frames, mode: .fixed(.pushUp))
    #expect(events.isEmpty)
    #expect(summary.exercise == .pushUp)
    #expect(summary.detected?.exercise == .pushUp)
  }

  @Test func warnsBelow24FPS() {
    let frames = SyntheticSkipper.session(.bounce, count: 10, rate: 2, height: 0.06, fps: 15)
    let (_, summary) = Self.run(frames, mode: .fixed(.jumpRope))
    #expect(summary.notes.count == 1)
    #expect(summary.notes.first?.contains("24 fps") == true)
  }
}

@Suite struct ExerciseDetectorTests {
  /// The evidence the counters give for `posture` (push-ups: a plank; jump rope: upright and
  /// hopping; squats: upright with the knees bending).
  static func evidence(_ posture: Posture, hopping: Bool, squatting: Bool = false) -> [Double] {
    Exercise.allCases.map { exercise in
      switch exercise {
      case .pushUp: return posture == .plank ? 1 : 0
      case .jumpRope: return posture == .upright && hopping ? 1 : 0
      case .squat: return posture == .upright && squatting ? 1 : 0
      }
    }
  }

  @Test func decidesEarlyAndRevises() {
    var detector = ExerciseDetector()
    var time = 0.0
    while time < 2 {
      _ = detector.observe(
        time: time, posture: .plank, evidence: Self.evidence(.plank, hopping: false))
      time += 1.0 / 30
    }
    #expect(detector.current == .pushUp)
    #expect((detector.segments.first?.start ?? 1) <= 0)
    while time < 8 {
      _ = detector.observe(
        time: time, posture: .upright, evidence: Self.evidence(.upright, hopping: true))
      time += 1.0 / 30
    }
    #expect(detector.current == .jumpRope)
    #expect(detector.label(at: 1) == .pushUp)
    #expect(detector.label(at: 7) == .jumpRope)
  }

  @Test func decidesSquatsFromKneeFlexionAndNeitherFromStanding() {
    var detector = ExerciseDetector()
    var time = 0.0
    while time < 3 {
      // Standing still (or walking): upright, no exercise claims the frame.
      _ = detector.observe(
        time: time, posture: .upright, evidence: Self.evidence(.upright, hopping: false))
      time += 1.0 / 30
    }
    #expect(detector.current == .some(nil))
    while time < 9 {
      _ = detector.observe(
        time: time, posture: .upright,
        evidence: Self.evidence(.upright, hopping: false, squatting: true))
      time += 1.0 / 30
    }
    #expect(detector.current == .squat)
    #expect(detector.label(at: 1) == .some(nil))
    #expect(detector.label(at: 8) == .squat)
    // A frame that both squats and jump rope claim is a squat frame (catalogue order).
    var tie = ExerciseDetector()
    for index in 0..<60 {
      _ = tie.observe(
        time: Double(index) / 30, posture: .upright,
        evidence: Self.evidence(.upright, hopping: true, squatting: true))
    }
    #expect(tie.current == .squat)
  }

  @Test func undecidedWithoutEvidence() {
    var detector = ExerciseDetector()
    for index in 0..<60 {
      _ = detector.observe(
        time: Double(index) / 30, posture: .unknown,
        evidence: Self.evidence(.unknown, hopping: false))
    }
    #expect(detector.current == nil)
    #expect(detector.overall == nil)
  }
}

/// What each counter claims for exercise detection where rope skipping and squats meet.
@Suite struct SkippingOrSquattingEvidenceTests {
  @Test func oneOrTwoHopsClaimNothingARunOfThreeClaimsJumpRope() {
    func evidence(after takeoffs: [Double], at time: Double) -> Double {
      var counter = JumpRopeCounter()
      for frame in JumpRopeCounterTests.hops(at: takeoffs, length: time) {
        _ = counter.consume(frame)
      }
      return counter.detectionEvidence(posture: .upright, time: time)
    }
    #expect(evidence(after: [1.0], at: 1.6) == 0)
    #expect(evidence(after: [1.0, 1.5], at: 2.1) == 0)
    #expect(evidence(after: [1.0, 1.5, 2.0], at: 2.6) == 1)
  }

  @Test(arguments: [(80.0, 1.0), (118.0, SquatCounter.pendingEvidence)])
  func aSquatHeldAtTheBottomClaimsByItsDepth(bottom: Double, heldEvidence: Double) {
    // Standing 1 s, down in 1 s, held there 2 s, back up in 1 s: held at 118° (knees just past
    // the rep line, hips not very low) it claims less than a completed squat, as a speed
    // skipper's bent knees do; held at 80° the hips are down more than any hop lowers them.
    func angle(_ t: Double) -> Double {
      switch t {
      case ..<1: return 175
      case ..<2: return 175 - (175 - bottom) * (t - 1)
      case ..<4: return bottom
      case ..<5: return bottom + (175 - bottom) * (t - 4)
      default: return 175
      }
    }
    var counter = SquatCounter()
    var held = 0.0
    var completed = 0.0
    for index in 0..<(6 * 30) {
      let time = Double(index) / 30
      let frame = SyntheticSquatter.frame(time: time, kneeAngle: angle(time))
      _ = counter.consume(frame)
      let evidence = counter.detectionEvidence(posture: .upright, time: time)
      if abs(time - 3.5) < 0.01 { held = evidence }
      if abs(time - 5.5) < 0.01 { completed = evidence }
    }
    #expect(held == heldEvidence)
    #expect(completed == 1)
  }

  @Test func aSkipperBentForwardIsUprightNotAPlank() {
    // COCO-17, side view: legs vertical, torso leaning 45° forward, arms hanging to the knees.
    var marks = [Landmark](repeating: Landmark(x: 0.5, y: 0.5), count: 17)
    func set(_ joint: Joint, _ x: Double, _ y: Double) {
      marks[PoseTopology.coco17.index(of: joint)] = Landmark(x: x, y: y)
    }
    set(.nose, 0.3, 0.36)
    let joints: [(Joint, Double, Double)] = [
      (.leftShoulder, 0.36, 0.41), (.rightShoulder, 0.36, 0.41),
      (.leftElbow, 0.36, 0.55), (.rightElbow, 0.36, 0.55),
      (.leftWrist, 0.36, 0.69), (.rightWrist, 0.36, 0.69),
      (.leftHip, 0.5, 0.55), (.rightHip, 0.5, 0.55),
      (.leftKnee, 0.5, 0.72), (.rightKnee, 0.5, 0.72),
      (.leftAnkle, 0.5, 0.9), (.rightAnkle, 0.5, 0.9),
    ]
    for (joint, x, y) in joints { set(joint, x, y) }
    #expect(Posture(PoseFrame(time: 0, landmarks: marks)) == .upright)
    #expect(Posture(SyntheticPlank.frame(time: 0, elbowAngle: 170)) == .plank)
  }
}
