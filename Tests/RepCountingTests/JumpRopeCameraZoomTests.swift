import RepCounting
import Testing

/// A camera that zooms while the skipper hops (jump-rope/10,
/// ``JumpRopeCounter/Tuning/reboundLift``): the feet's ground line moves up the image faster
/// than the ground level follows, so each landing stays above the landing level; the hips,
/// whose ground keeps up, land and take off again, and a foot that was up through that landed
/// at its lowest point.
@Suite struct JumpRopeCameraZoomTests {
  static let leg = 0.3
  static let period = 1 / 2.3

  /// A front-view skipper at 30 fps, 1 s standing first and last: `hops` soft-kneed two-foot
  /// hops of `period` (hips crouched 0.12 leg lengths on the first half, the body `hop` up on
  /// the second), the left foot held `heldFoot` above the right from the first hop on (a
  /// one-leg hop); the camera zooms out over 1–3.5 s to `1 - zoom` of the size, about the
  /// image height 0.45 (a little above the hips): the feet's ground line rises about 0.1 of
  /// the image height, 0.15 leg lengths a second.
  static func session(hops: Int, hop: Double, zoom: Double, heldFoot: Double = 0) -> [PoseFrame] {
    let end = 2 + Double(hops) * period
    return (0..<Int(end * 30)).map { index in
      let t = Double(index) / 30
      var body = 0.0
      var drop = 0.0
      var held = 0.0
      if t >= 1, t < 1 + Double(hops) * period {
        let w = ((t - 1) / period).truncatingRemainder(dividingBy: 1)
        (drop, body) = SyntheticSkipper.crouchAndHop(w, crouch: 0.12, hop: hop)
        held = heldFoot * min(1, (t - 1) / 0.2)
      }
      var frame = SyntheticSkipper.crouched(
        SyntheticSkipper.frame(time: t, lift: leg * body, feet: [leg * held, 0]), by: leg * drop)
      let scale = 1 - zoom * min(1, max(0, (t - 1) / 2.5))
      for index in frame.landmarks.indices {
        frame.landmarks[index].y = 0.45 + scale * (frame.landmarks[index].y - 0.45)
      }
      return frame
    }
  }

  @Test func hopsWhileTheCameraZoomsOutCount() {
    // jumprope-gym-routine's first shot: 29 for 32 from every input before jump-rope/10.
    let frames = Self.session(hops: 8, hop: 0.12, zoom: 0.25)
    #expect(JumpRopeCounterTests.count(frames).count == 8)
    var without = JumpRopeCounter.Tuning()
    without.reboundLift = .infinity
    #expect(JumpRopeCounterTests.count(frames, tuning: without).count < 6)
    // Without the zoom the feet land by themselves: the same count either way.
    let still = Self.session(hops: 8, hop: 0.12, zoom: 0)
    #expect(JumpRopeCounterTests.count(still).count == 8)
    #expect(JumpRopeCounterTests.count(still, tuning: without).count == 8)
  }

  @Test func theLandingsAreAtTheFeetsLowestPoints() {
    // Each counted landing lies in the ground half of its cycle (the feet down, the hips
    // crouching), not a frame of the next take-off.
    let reps = JumpRopeCounterTests.count(Self.session(hops: 8, hop: 0.12, zoom: 0.25))
    for rep in reps {
      let phase = ((rep.end - 1) / Self.period).truncatingRemainder(dividingBy: 1)
      #expect(phase < 0.55 || phase > 0.95, "landing at \(rep.end) s, phase \(phase)")
    }
  }

  @Test func hipsBobbingWhileTheCameraZoomsCountNothing() {
    // Bent knees without a hop: the hips land and rise, the feet never leave the ground.
    #expect(JumpRopeCounterTests.count(Self.session(hops: 8, hop: 0, zoom: 0.25)).isEmpty)
  }

  @Test func aFootHeldUpDoesNotReboundWithTheHips() {
    // One-leg hops, the free foot held 0.2 leg lengths up: it rises and falls with every hop
    // but the standing foot lands each time, so only the standing foot's landings count (a
    // valley of the held foot alone would count a second landing per hop).
    let frames = Self.session(hops: 8, hop: 0.12, zoom: 0, heldFoot: 0.2)
    #expect(JumpRopeCounterTests.count(frames).count == 8)
  }
}
