import RepCounting
import Testing

/// Low hops seen from a high camera, against bobbing on bent knees (jump-rope/7).
@Suite struct JumpRopeLowHopTests {
  /// `count` cycles at 2.4/s after 1 s of standing, then 1 s of standing, 30 fps, of a front-view
  /// skipper (leg 0.3 long) who bends the knees at each landing, dropping the hips `crouch` leg
  /// lengths, and straightens them in the air, with the whole body (feet too) `hop` leg lengths
  /// up at the top. From a high camera the feet of a soft-kneed low hop rise about 0.03 leg
  /// lengths and the hips 0.15 (the rope development set's jumprope-garage-cctv); bobbing on
  /// bent knees drops the hips as much while the feet stay down.
  static func cycles(count: Int, crouch: Double, hop: Double) -> [PoseFrame] {
    let leg = 0.3
    let period = 1 / 2.4
    let length = 2 + Double(count) * period
    return (0..<Int(length * 30)).map { index in
      let t = Double(index) / 30
      let v = t - 1
      var down = 0.0
      var up = 0.0
      if v > 0, v < Double(count) * period {
        let w = (v - Double(Int(v / period)) * period) / period
        // On the ground the first half of each cycle (knees bent), in the air the second.
        (down, up) = SyntheticSkipper.crouchAndHop(w, crouch: crouch, hop: hop)
      }
      return SyntheticSkipper.crouched(
        SyntheticSkipper.frame(time: t, lift: leg * up), by: leg * down)
    }
  }

  @Test func lowHopsSeenFromAboveCount() {
    let frames = Self.cycles(count: 20, crouch: 0.15, hop: 0.03)
    #expect(JumpRopeCounterTests.count(frames).count == 20)
    // Without the rule the feet never clear the minimum lift (jump-rope/6 counted nothing).
    var without = JumpRopeCounter.Tuning()
    without.lowHopMinimumLift = without.minimumLift
    #expect(JumpRopeCounterTests.count(frames, tuning: without).isEmpty)
  }

  @Test(arguments: [0.0, 0.01])
  func bobbingOnBentKneesCountsNothing(feet: Double) {
    // The hips move as in the low hops; the feet stay down, or (pose noise, heels) rise a little.
    let frames = Self.cycles(count: 20, crouch: 0.15, hop: feet)
    #expect(JumpRopeCounterTests.count(frames).isEmpty)
  }

  @Test func aBounceOnTheSpotWithoutTheKneesStillNeedsTheMinimumLift() {
    // The whole body 0.03 leg lengths up and down, the knees straight: hips barely move.
    let frames = Self.cycles(count: 20, crouch: 0, hop: 0.03)
    #expect(JumpRopeCounterTests.count(frames).isEmpty)
    // It is the hips that keep it out: the lower minimum for every hop would count it.
    var anyHips = JumpRopeCounter.Tuning()
    anyHips.lowHopHipLift = 0
    #expect(JumpRopeCounterTests.count(frames, tuning: anyHips).count == 20)
  }
}
