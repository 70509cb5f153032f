import RepCounting
import Testing

/// A tracker flicking one foot up for a frame or two between two-foot jumps (jump-rope/6).
@Suite struct JumpRopeFlickTests {
  /// Two-foot jumps at 2.7/s, 0.2 s in the air and 0.2 leg lengths high (the double-unders of
  /// the rope development set's jumprope-doubleunder-night), 30 fps. Two frames after every
  /// `every`-th landing one foot's landmarks (the right, then the left the next time) jump up
  /// `flick` for a frame and half that for the next while the other foot stays down, as
  /// MediaPipe does with the far foot of a skipper seen from the side. Returns the frames and
  /// how many flicks they hold.
  static func bounceWithFlicks(count: Int, every: Int, flick: Double) -> ([PoseFrame], Int) {
    let hops = JumpRopeCounterTests.series(
      count: count, rate: 2.7, height: 0.06, air: 0.55, from: 1)
    var frames = JumpRopeCounterTests.frames(of: hops, fps: 30)
    var flicks = 0
    for (k, hop) in hops.enumerated() where k % every == every - 1 && k < count - 1 {
      let landing = Int(((hop.0 + hop.1) * 30).rounded(.up))
      let foot = flicks % 2 == 0 ? 1 : 0
      for (offset, height) in [(2, flick), (3, flick / 2)] {
        var feet = [0.0, 0.0]
        feet[foot] = height
        frames[landing + offset] = SyntheticSkipper.frame(
          time: frames[landing + offset].time, feet: feet)
      }
      flicks += 1
    }
    return (frames, flicks)
  }

  @Test(arguments: [0.04, 0.08])
  func aFootFlickedUpBetweenTwoFootJumpsIsNotAJump(flick: Double) {
    let (frames, flicks) = Self.bounceWithFlicks(count: 30, every: 4, flick: flick)
    #expect(flicks == 7)
    #expect(JumpRopeCounterTests.count(frames).count == 30)
    // Without the rule (jump-rope/5) each flick landed as a step of its own.
    var without = JumpRopeCounter.Tuning()
    without.flickFraction = 0
    #expect(JumpRopeCounterTests.count(frames, tuning: without).count == 30 + flicks)
  }

  @Test func aShortLowHopThatLiftsBothFeetStillCounts() {
    // Slow two-foot jumps (0.33 s in the air), then quicker ones (0.13 s: under 0.6 of that)
    // where the right foot lifts 0.7 of the left, as on a low bounce where only one foot
    // clears the take-off level: both feet went up, so no hop is a flick.
    let hops =
      JumpRopeCounterTests.series(count: 6, rate: 1.5, height: 0.05, air: 0.5, from: 1)
      + JumpRopeCounterTests.series(count: 12, rate: 3, height: 0.05, air: 0.4, from: 1 + 6 / 1.5)
    let frames = JumpRopeCounterTests.frames(of: hops, fps: 30).map { frame in
      let lift = 0.85 - (frame.landmarks[15].y)
      return SyntheticSkipper.frame(time: frame.time, lift: lift, feet: [0, -0.3 * lift])
    }
    #expect(JumpRopeCounterTests.count(frames).count == 18)
    // Were a hop one-footed whenever the other foot lifted less, the quick ones would go (and
    // the last slow one, then a one-foot landing without a hop of the hips of its own, would
    // wait for a landing that never counts: Tuning.hipRhythmRatio).
    var anyLess = JumpRopeCounter.Tuning()
    anyLess.flickOtherFraction = 1
    #expect(JumpRopeCounterTests.count(frames, tuning: anyLess).count == 5)
  }

  @Test func steppingAfterABounceCountsEveryStep() {
    // Ten two-foot jumps at 2/s, then twenty alternate-foot steps at 6/s whose one-foot hops
    // are far shorter than the jumps were: steps, not flicks, once the feet land in turn.
    let bounce = SyntheticSkipper.session(.bounce, count: 10, rate: 2, height: 0.05, fps: 30)
      .filter { $0.time < 6.1 }
    let steps = SyntheticSkipper.session(.alternate, count: 20, rate: 6, height: 0.05, fps: 30)
      .filter { $0.time >= 1 }
      .map { frame in
        PoseFrame(time: frame.time + 5.1, landmarks: frame.landmarks)
      }
    #expect(JumpRopeCounterTests.count(bounce + steps).count == 30)
    var off = JumpRopeCounter.Tuning()
    off.flickFraction = 0
    #expect(JumpRopeCounterTests.count(bounce + steps, tuning: off).count == 30)
    #expect(JumpRopeCounterTests.count(steps).count == 20)
    #expect(JumpRopeCounterTests.count(bounce).count == 10)
  }
}
