import RepCounting
import Testing

/// Alternate-foot step-hops whose standing foot the pose brings down after the hips
/// (jump-rope/11, ``JumpRopeCounter/Tuning/sameHopAfterHips``).
@Suite struct JumpRopeStepHopTests {
  static let leg = 0.3

  /// `count` step-hops every 0.5 s from 1 s at 30 fps, as `jumprope-alt04`: the body (hips)
  /// hops 0.17 leg lengths for 0.3 s; from the second hop on, the free foot (right and left in
  /// turn) lifts 0.1 s before the push-off, 0.35 leg lengths up, and is down about 0.08 s
  /// before the body; the standing foot goes up and down with the body, except after the hops
  /// in `late`, where the pose holds it 0.12 leg lengths up (above its landing level) until
  /// 0.37 s after the push-off, 0.07 s after the body landed (our pose on the mirrored video,
  /// where that foot hovers a pixel above the level). With `ownHop`, the standing foot of hop 4
  /// stays down through the hop and makes a hop of its own (0.3 leg lengths, 0.2 s), taking off
  /// as the free foot lands.
  static func session(count: Int, late: Set<Int>, ownHop: Bool = false) -> [PoseFrame] {
    (0..<Int((2.5 + 0.5 * Double(count)) * 30)).map { index in
      let t = Double(index) / 30
      let pi = 3.141592653589793
      var body = 0.0
      var foot: [Double?] = [nil, nil]  // lift above the ground; nil: with the body
      for k in 0..<count {
        let takeoff = 1.0 + 0.5 * Double(k)
        let free = k % 2
        if t > takeoff, t < takeoff + 0.3 {
          body = 0.17 * SyntheticSkipper.sine(pi * (t - takeoff) / 0.3)
        }
        if k > 0, t > takeoff - 0.1, t < takeoff + 0.22 {
          foot[free] = 0.35 * SyntheticSkipper.sine(pi * (t - takeoff + 0.1) / 0.32)
        }
        if ownHop, k == 4, t > takeoff, t < takeoff + 0.38 {
          let own = t - takeoff - 0.2
          foot[1 - free] = own > 0 && own < 0.2 ? 0.3 * SyntheticSkipper.sine(pi * own / 0.2) : 0
        } else if late.contains(k), t >= takeoff + 0.15, t < takeoff + 0.37 {
          let withBody =
            t < takeoff + 0.3 ? 0.17 * SyntheticSkipper.sine(pi * (t - takeoff) / 0.3) : 0
          foot[1 - free] = max(withBody, 0.12)
        }
      }
      let feet = foot.map { leg * (($0 ?? body) - body) }
      return SyntheticSkipper.frame(time: t, lift: leg * body, feet: feet)
    }
  }

  @Test func aStandingFootDownAfterTheHipsIsTheSameLanding() {
    let frames = Self.session(count: 10, late: [3, 6])
    #expect(JumpRopeCounterTests.count(frames).count == 10)
    // Without the rule each late foot lands 0.2 s after the free foot, outside the merge window,
    // and took off about 0.13 s after it, too late for sameHopTakeoff.
    var without = JumpRopeCounter.Tuning()
    without.sameHopAfterHips = false
    #expect(JumpRopeCounterTests.count(frames, tuning: without).count == 12)
  }

  @Test func aFootTakingOffAsTheOtherLandsIsAHopOfItsOwn() {
    // Hop 4's standing foot takes off as the free foot lands and lands after the hips: the feet
    // were never up together, so it counts, rule or not (jumprope-gym-routine at 10.3 s; with
    // "the hips landed in between" alone it would merge: 10).
    let frames = Self.session(count: 10, late: [], ownHop: true)
    #expect(JumpRopeCounterTests.count(frames).count == 11)
    var without = JumpRopeCounter.Tuning()
    without.sameHopAfterHips = false
    #expect(JumpRopeCounterTests.count(frames, tuning: without).count == 11)
  }
}
