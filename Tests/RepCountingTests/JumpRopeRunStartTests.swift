import RepCounting
import Testing

/// How a run of jumps starts (jump-rope/8): a foot twitching in the pose while the skipper
/// stands is not a jump, and a foot lands only once past its apex.
@Suite struct JumpRopeRunStartTests {
  /// One foot up `height` leg lengths for 0.15 s at each of `twitches` (seconds), the hips
  /// still, then `hops` two-foot bounces of the whole body, 0.17 leg lengths high, every 0.5 s
  /// from `start`; 30 fps, 1 s of standing after the last.
  static func twitchesThenBounces(twitches: [Double], height: Double, hops: Int, start: Double)
    -> [PoseFrame]
  {
    let leg = 0.3
    let end = start + 0.5 * Double(hops) + 1
    return (0..<Int(end * 30)).map { index in
      let t = Double(index) / 30
      var feet = [0.0, 0.0]
      for (k, twitch) in twitches.enumerated() where t > twitch && t < twitch + 0.15 {
        feet[k % 2] = leg * height * SyntheticSkipper.sine(3.141592653589793 * (t - twitch) / 0.15)
      }
      var lift = 0.0
      for k in 0..<hops {
        let takeoff = start + 0.5 * Double(k)
        guard t > takeoff, t < takeoff + 0.3 else { continue }
        lift = leg * 0.17 * SyntheticSkipper.sine(3.141592653589793 * (t - takeoff) / 0.3)
      }
      return SyntheticSkipper.frame(time: t, lift: lift, feet: feet)
    }
  }

  @Test func aFootTwitchingBeforeTheFirstJumpIsNotAJump() {
    // The side-bounce clip: while she stands swinging the rope at her side, in time with the
    // turns to come, our pose lifts one foot or the other 0.04-0.07 leg lengths; the hips stay.
    let frames = Self.twitchesThenBounces(
      twitches: [1.0, 1.5], height: 0.06, hops: 10, start: 2.0)
    #expect(JumpRopeCounterTests.count(frames).count == 10)
    // Without the rule the two twitches open the run (they keep its rhythm): 12.
    var without = JumpRopeCounter.Tuning()
    without.runStartLiftFraction = 0
    #expect(JumpRopeCounterTests.count(frames, tuning: without).count == 12)
  }

  @Test func lowFirstJumpsStillCount() {
    // A skipper starting with two hops at 0.4 of the later height, the whole body (hips too)
    // rising with them: jumps, kept.
    let leg = 0.3
    let frames = (0..<Int(8 * 30)).map { index -> PoseFrame in
      let t = Double(index) / 30
      var lift = 0.0
      for k in 0..<10 {
        let takeoff = 1.0 + 0.5 * Double(k)
        guard t > takeoff, t < takeoff + 0.3 else { continue }
        let height = k < 2 ? 0.4 * 0.17 : 0.17
        lift = leg * height * SyntheticSkipper.sine(3.141592653589793 * (t - takeoff) / 0.3)
      }
      return SyntheticSkipper.frame(time: t, lift: lift)
    }
    #expect(JumpRopeCounterTests.count(frames).count == 10)
    // It is the hips that keep them: judged by the feet alone they would be twitches.
    var feetOnly = JumpRopeCounter.Tuning()
    feetOnly.runStartHipFraction = 10
    #expect(JumpRopeCounterTests.count(frames, tuning: feetOnly).count == 8)
  }

  @Test func aFirstStepAsHighAsTheNextOnesCounts() {
    // Alternate-foot stepping leaves the hips still from the first step on; the feet rise alike.
    let frames = Self.twitchesThenBounces(twitches: [1.0, 1.5], height: 0.17, hops: 10, start: 2.0)
    #expect(JumpRopeCounterTests.count(frames).count == 12)
    // It is the feet that keep them: judged by the hips alone they would be twitches.
    var hipsOnly = JumpRopeCounter.Tuning()
    hipsOnly.runStartLiftFraction = 10
    #expect(JumpRopeCounterTests.count(frames, tuning: hipsOnly).count == 10)
  }

  /// Low hops from a high camera (as in JumpRopeLowHopTests), `count` cycles of 0.5 s from 1 s
  /// at 30 fps: crouched on the ground (hips 0.15 leg lengths lower), the knees straighten over
  /// 0.2 s while the heels lift the feet slowly to `heel` leg lengths, then 0.25 s in the air
  /// (the whole body up to `hop`), and down into the crouch.
  static func pushOffs(count: Int, heel: Double, hop: Double) -> [PoseFrame] {
    let leg = 0.3
    let ankles = [
      PoseTopology.coco17.index(of: .leftAnkle), PoseTopology.coco17.index(of: .rightAnkle),
    ]
    let knees = [
      PoseTopology.coco17.index(of: .leftKnee), PoseTopology.coco17.index(of: .rightKnee),
    ]
    return (0..<Int((2 + 0.5 * Double(count)) * 30)).map { index in
      let t = Double(index) / 30
      let v = t - 1
      var drop = 0.15
      var feet = 0.0
      var lift = 0.0
      if v >= 0, v < 0.5 * Double(count) {
        let w = v - 0.5 * Double(Int(v / 0.5))
        if w < 0.2 {
          drop = 0.15 * (1 - w / 0.2)
          feet = heel * w / 0.2
        } else if w < 0.45 {
          drop = 0
          feet = heel * (1 - (w - 0.2) / 0.25)
          lift = hop * SyntheticSkipper.sine(3.141592653589793 * (w - 0.2) / 0.25)
        }
      }
      var frame = SyntheticSkipper.frame(time: t, lift: leg * lift, feet: [leg * feet, leg * feet])
      for index in frame.landmarks.indices where !ankles.contains(index) {
        frame.landmarks[index].y += leg * drop * (knees.contains(index) ? 0.5 : 1)
      }
      return frame
    }
  }

  @Test func aFootLandsOnlyPastItsApex() {
    // While the hips are up a foot takes off at 0.015 leg lengths, under the lowest landing
    // level (0.02): a foot rising slowly through 0.015-0.02 as the heels lift had "landed" on
    // the frame after take-off, still rising, and each push-off counted as one more landing
    // (20 for 10; the mirrored side-bounce clip counted one such at the start of its run).
    let frames = Self.pushOffs(count: 10, heel: 0.02, hop: 0.03)
    #expect(JumpRopeCounterTests.count(frames).count == 10)
  }
}
