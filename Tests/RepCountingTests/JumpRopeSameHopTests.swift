import RepCounting
import Testing

/// The hips tell one jump from two (jump-rope/8): one foot of a two-foot bounce brought down
/// late is the same landing, and a low hop lands with the hips.
@Suite struct JumpRopeSameHopTests {
  /// `count` two-foot bounces of the whole body (hips too), 0.17 leg lengths high, 0.3 s in the
  /// air, every 0.5 s from 1 s at 30 fps; after each hop in `late` the right foot comes down
  /// `lag` seconds after the body, descending straight from the apex (the pose lagging on one
  /// foot, as our pose on a mirrored video does now and then).
  static func bounces(count: Int, late: Set<Int>, lag: Double) -> [PoseFrame] {
    let leg = 0.3
    let height = 0.17
    return (0..<Int((2.5 + 0.5 * Double(count)) * 30)).map { index in
      let t = Double(index) / 30
      var lift = 0.0
      var feet = [0.0, 0.0]
      for k in 0..<count {
        let takeoff = 1.0 + 0.5 * Double(k)
        let body =
          t > takeoff && t < takeoff + 0.3
          ? leg * height * SyntheticSkipper.sine(3.141592653589793 * (t - takeoff) / 0.3) : 0
        lift = max(lift, body)
        if late.contains(k), t >= takeoff + 0.15, t < takeoff + 0.3 + lag {
          let foot = leg * height * (1 - (t - takeoff - 0.15) / (0.15 + lag))
          feet[1] = max(0, foot - body)
        }
      }
      return SyntheticSkipper.frame(time: t, lift: lift, feet: feet)
    }
  }

  @Test func aFootBroughtDownLateIsTheSameLanding() {
    let frames = Self.bounces(count: 10, late: [2, 5, 8], lag: 0.3)
    #expect(JumpRopeCounterTests.count(frames).count == 10)
    // Without the rule each late foot lands about 0.2 s after the other, outside the merge window,
    // and counts as a jump of its own.
    var without = JumpRopeCounter.Tuning()
    without.sameHopGap = 0
    #expect(JumpRopeCounterTests.count(frames, tuning: without).count == 13)
  }

  /// Low hops from a high camera (as in JumpRopeLowHopTests: `count` cycles of 1/2.4 s, the
  /// ground half crouched with the hips 0.15 leg lengths lower, the air half with the whole body
  /// up to `hop`), 30 fps from 1 s; after each hop in `stuck` the feet stay `hover` leg lengths
  /// up until the next hop lifts them higher (noise on a compressed video), while the hips land
  /// and crouch as usual.
  static func lowHops(count: Int, hop: Double, hover: Double, stuck: Set<Int>) -> [PoseFrame] {
    let leg = 0.3
    let period = 1 / 2.4
    let ankles = [
      PoseTopology.coco17.index(of: .leftAnkle), PoseTopology.coco17.index(of: .rightAnkle),
    ]
    let knees = [
      PoseTopology.coco17.index(of: .leftKnee), PoseTopology.coco17.index(of: .rightKnee),
    ]
    return (0..<Int((2 + Double(count) * period) * 30)).map { index in
      let t = Double(index) / 30
      let v = t - 1
      var lift = 0.0
      var drop = 0.0
      var feet = 0.0
      if v > 0, v < Double(count) * period {
        let k = Int(v / period)
        let w = (v - Double(k) * period) / period
        if w < 0.5 {
          drop = 0.15 * SyntheticSkipper.sine(3.141592653589793 * w / 0.5)
          if stuck.contains(k - 1) { feet = hover }
        } else {
          lift = hop * SyntheticSkipper.sine(3.141592653589793 * (w - 0.5) / 0.5)
          if (stuck.contains(k) && w > 0.75) || (stuck.contains(k - 1) && w <= 0.75) {
            feet = max(0, hover - lift)
          }
        }
      }
      var frame = SyntheticSkipper.frame(time: t, lift: leg * lift, feet: [leg * feet, leg * feet])
      for index in frame.landmarks.indices where !ankles.contains(index) {
        frame.landmarks[index].y += leg * drop * (knees.contains(index) ? 0.5 : 1)
      }
      return frame
    }
  }

  @Test func aLowHopLandsWithTheHips() {
    // jumprope-garage-cctv at crf 32: after a hop of 0.04 leg lengths the feet stayed 0.021-0.027
    // up until the next one, above the landing level (0.02), and two hops were one.
    let frames = Self.lowHops(count: 20, hop: 0.04, hover: 0.03, stuck: [4, 9, 14])
    #expect(JumpRopeCounterTests.count(frames).count == 20)
  }
}
