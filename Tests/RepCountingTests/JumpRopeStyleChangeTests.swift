import RepCounting
import Testing

/// Style changes and ends of sets (jump-rope/9): the hips confirm a two-foot hop that the feet's
/// typical height, left high by knee lifts, holds under the take-off level; a run of two a
/// second apart is no rhythm; a landing late after the run, or a knee lift that the hips do not
/// hop with, counts only when another landing follows. (A low take-off that goes on into a knee
/// lift lands once, ``JumpRopeCounter/Tuning/lowHopMaximumApex``: GymwallMixedTests.)
@Suite struct JumpRopeStyleChangeTests {
  static let leg = 0.3
  static let period = 1 / 2.7

  /// One cycle of `period` from `start` at time `t`: the phase in 0..<1, or nil outside.
  static func phase(_ t: Double, from start: Double) -> Double? {
    let w = (t - start) / period
    return w >= 0 && w < 1 ? w : nil
  }

  /// A front-view skipper at 30 fps, 1 s standing first and last: `knees` high-knee cycles of
  /// `period` (the feet take turns lifting 0.6 leg lengths over a whole cycle while the hips
  /// crouch 0.1 on the first half and hop 0.04 on the second, the standing foot with them;
  /// the last one, when `lastKneeWithoutHop`, without the hips moving), then `bounces`
  /// two-foot cycles (hips crouched 0.15 on the first half, the whole body `hop` up on the
  /// second).
  static func session(
    knees: Int, bounces: Int, hop: Double, lastKneeWithoutHop: Bool = false
  ) -> [PoseFrame] {
    let kneeEnd = 1 + Double(knees) * period
    let end = kneeEnd + Double(bounces) * period + 1
    return (0..<Int(end * 30)).map { index in
      let t = Double(index) / 30
      var body = 0.0
      var drop = 0.0
      var feet = [0.0, 0.0]
      if t > 1, t < kneeEnd {
        let k = Int((t - 1) / period)
        let w = (t - 1) / period - Double(k)
        feet[k % 2] = 0.6 * SyntheticSkipper.sine(3.141592653589793 * w)
        if !(lastKneeWithoutHop && k == knees - 1) {
          (drop, body) = SyntheticSkipper.crouchAndHop(w, crouch: 0.1, hop: 0.04)
        }
      } else if t >= kneeEnd, t < kneeEnd + Double(bounces) * period {
        let k = Int((t - kneeEnd) / period)
        let w = (t - kneeEnd) / period - Double(k)
        (drop, body) = SyntheticSkipper.crouchAndHop(w, crouch: 0.15, hop: hop)
      }
      return SyntheticSkipper.crouched(
        SyntheticSkipper.frame(time: t, lift: leg * body, feet: [leg * feet[0], leg * feet[1]]),
        by: leg * drop)
    }
  }

  @Test func lowBouncesAfterHighKneesCountWhenTheHipsConfirmThem() {
    // jumprope-gymwall-mixed1: after 21 knee lifts (feet 0.6 leg lengths up) the two-foot
    // bounces and jumping jacks lift the feet 0.05-0.07 and the hips 0.1-0.2; /8 counted none.
    let frames = Self.session(knees: 16, bounces: 10, hop: 0.06)
    #expect(JumpRopeCounterTests.count(frames).count == 26)
    var without = JumpRopeCounter.Tuning()
    without.lowHopHipLift = .infinity
    #expect(JumpRopeCounterTests.count(frames, tuning: without).count < 20)
  }

  @Test func hipsAloneConfirmNothing() {
    // The same hips with the feet down (bobbing on bent knees after the knee lifts).
    let frames = Self.session(knees: 16, bounces: 10, hop: 0)
    let stepsOnly = JumpRopeCounterTests.count(Self.session(knees: 16, bounces: 0, hop: 0))
    #expect(JumpRopeCounterTests.count(frames).count == stepsOnly.count)
  }

  @Test func twoLandingsASecondApartAreNoRhythm() {
    // jumprope-track-mixed: two slow single-leg lifts in a demonstration, 1.0 s apart.
    let frames = JumpRopeCounterTests.hops(at: [1.0, 2.0], length: 4)
    #expect(JumpRopeCounterTests.count(frames).isEmpty)
    var without = JumpRopeCounter.Tuning()
    without.runStartGap = 2
    #expect(JumpRopeCounterTests.count(frames, tuning: without).count == 2)
  }

  @Test func aLateLastLandingIsAStepInNotAJump() {
    // jumprope-gymwall-jumping-jack-1: the set ends, and 0.8 s after the last hop (twice the
    // rhythm) a foot steps in over the rope lying on the floor.
    let set = (0..<8).map { 1.0 + 0.4 * Double($0) }
    let stepIn = JumpRopeCounterTests.hops(at: set + [4.6], length: 6)
    #expect(JumpRopeCounterTests.count(stepIn).count == 8)
    var without = JumpRopeCounter.Tuning()
    without.runStartGap = .infinity
    #expect(JumpRopeCounterTests.count(stepIn, tuning: without).count == 9)
    // A pause in the middle of a set: the late landing counts once the next one follows.
    let paused = JumpRopeCounterTests.hops(at: set + [4.6, 5.0, 5.4], length: 7)
    #expect(JumpRopeCounterTests.count(paused).count == 11)
  }

  @Test func aKneeLiftTheHipsDoNotHopWithIsAFootPutDown() {
    // jumprope-gymwall-high-knee-3: the last knee lift comes down as he stops, the hips still.
    let frames = Self.session(knees: 12, bounces: 0, hop: 0, lastKneeWithoutHop: true)
    let hopped = JumpRopeCounterTests.count(Self.session(knees: 12, bounces: 0, hop: 0))
    #expect(JumpRopeCounterTests.count(frames).count == hopped.count - 1)
    var without = JumpRopeCounter.Tuning()
    without.hipRhythmRatio = 0
    #expect(JumpRopeCounterTests.count(frames, tuning: without).count == hopped.count)
  }
}
