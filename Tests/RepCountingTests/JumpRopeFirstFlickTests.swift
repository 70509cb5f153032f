import RepCounting
import Testing

/// A foot's first hop is measured against the other foot's typical time in the air
/// (jump-rope/10, ``JumpRopeCounter/Tuning/flickAgainstOtherFoot``).
@Suite struct JumpRopeFirstFlickTests {
  static let leg = 0.3

  /// A side-view skipper at 25 fps: standing, the right foot twitching 0.07 leg lengths for
  /// 0.16 s at 1 s when `twitch`, the left foot's landmarks spiking 0.27 leg lengths up for one
  /// frame at 1.52 s when `spike` (the far foot in `jumprope-side-bounce` stored sideways), then
  /// from 2 s eight soft-kneed two-foot jumps of 0.5 s (hips crouched 0.12 on the first half,
  /// the body 0.17 up on the second), 1 s standing.
  static func session(spike: Bool, twitch: Bool) -> [PoseFrame] {
    (0..<Int(7 * 25)).map { index in
      let t = Double(index) / 25
      var feet = [0.0, 0.0]
      var body = 0.0
      var drop = 0.0
      if twitch, t >= 1, t < 1.16 {
        feet[1] = 0.07 * SyntheticSkipper.sine(3.141592653589793 * (t - 1) / 0.16)
      }
      if spike, index == 38 { feet[0] = 0.27 }
      if t >= 2, t < 6 {
        let w = ((t - 2) / 0.5).truncatingRemainder(dividingBy: 1)
        (drop, body) = SyntheticSkipper.crouchAndHop(w, crouch: 0.12, hop: 0.17)
      }
      return SyntheticSkipper.crouched(
        SyntheticSkipper.frame(time: t, lift: leg * body, feet: [leg * feet[0], leg * feet[1]]),
        by: leg * drop)
    }
  }

  @Test func aSpikeOfTheOtherFootBeforeTheFirstJumpIsAFlick() {
    let frames = Self.session(spike: true, twitch: true)
    #expect(JumpRopeCounterTests.count(frames).count == 8)
    var without = JumpRopeCounter.Tuning()
    without.flickAgainstOtherFoot = false
    #expect(JumpRopeCounterTests.count(frames, tuning: without).count == 9)
  }

  @Test func aSpikeBeforeAnyHopStillCounts() {
    // Neither foot has a typical time in the air yet: the spike is the run's first landing.
    #expect(JumpRopeCounterTests.count(Self.session(spike: true, twitch: false)).count == 9)
    #expect(JumpRopeCounterTests.count(Self.session(spike: false, twitch: true)).count == 8)
  }
}
