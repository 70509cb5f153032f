import RepCounting

/// A simple 3-D squatting body seen by a camera at any yaw, for driving the squat counter
/// directly (no files). Same kinematics as fixturegen's `Body.squat`.
enum SyntheticSquatter {
  /// One landmark frame: knees at `kneeAngle` degrees (176 standing), hips and shoulders shifted
  /// `shift` metres sideways, the whole body `x` metres forward, the camera at `yaw` degrees
  /// (0 side view, 90 head-on), in a 640x480 image.
  static func frame(
    time: Double, kneeAngle: Double, yaw: Double = 0, shift: Double = 0, x: Double = 0,
    footLift: [Double] = [0, 0], topology: PoseTopology = .mediaPipe33
  ) -> PoseFrame {
    let pi = 3.141592653589793
    let flexion = max(0, 180 - kneeAngle) * pi / 180
    let shank = 0.4 * flexion
    let thigh = 0.6 * flexion
    let lean = 0.7 * thigh
    let turnOut = 25 * pi / 180
    // (x forward, y up, z to the left), metres.
    var joints = [(Double, Double, Double)](repeating: (0, 0, 0), count: 33)
    func set(_ joint: Joint, _ point: (Double, Double, Double)) {
      joints[PoseTopology.mediaPipe33.index(of: joint)] = point
    }
    for (side, sign) in [(0, 1.0), (1, -1.0)] {
      let lift = footLift[side]
      let ankle = (x + 2 * lift, 0.07 + lift, 0.15 * sign)
      let forward = 0.43 * SyntheticPlank.sine(shank)
      let knee = (
        ankle.0 + forward * SyntheticPlank.cosine(turnOut) + lift,
        ankle.1 + 0.43 * SyntheticPlank.cosine(shank) - lift / 2,
        ankle.2 + sign * forward * SyntheticPlank.sine(turnOut)
      )
      let hip = (
        x + forward - 0.45 * SyntheticPlank.sine(thigh),
        0.07 + 0.43 * SyntheticPlank.cosine(shank) + 0.45 * SyntheticPlank.cosine(thigh),
        0.15 * sign + shift
      )
      let shoulder = (
        hip.0 + 0.5 * SyntheticPlank.sine(lean), hip.1 + 0.5 * SyntheticPlank.cosine(lean),
        0.2 * sign + shift
      )
      let elbow = (shoulder.0 + 0.1, shoulder.1 - 0.28, shoulder.2)
      let wrist = (elbow.0 + 0.2, elbow.1 - 0.15, elbow.2)
      set(side == 0 ? .leftAnkle : .rightAnkle, ankle)
      set(side == 0 ? .leftKnee : .rightKnee, knee)
      set(side == 0 ? .leftHip : .rightHip, hip)
      set(side == 0 ? .leftShoulder : .rightShoulder, shoulder)
      set(side == 0 ? .leftElbow : .rightElbow, elbow)
      set(side == 0 ? .leftWrist : .rightWrist, wrist)
    }
    let neck = joints[11]
    set(.nose, (neck.0 + 0.12, neck.1 + 0.17, shift))
    let angle = yaw * pi / 180
    let cosYaw = SyntheticPlank.cosine(angle)
    let sinYaw = SyntheticPlank.sine(angle)
    let marks = joints.enumerated().map { index, joint in
      let u = joint.0 * cosYaw - joint.2 * sinYaw
      let isRight = index > 10 && index % 2 == 0
      // 0.45 image heights per metre, feet near the bottom edge.
      return Landmark(
        x: 0.5 + u * 0.45 * 480 / 640, y: 0.95 - joint.1 * 0.45, z: 0,
        visibility: isRight ? 0.45 + 0.5 * sinYaw : 0.97)
    }
    guard topology == .coco17 else { return PoseFrame(time: time, landmarks: marks) }
    let coco = [0, 2, 5, 7, 8, 11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28].map { marks[$0] }
    return PoseFrame(time: time, landmarks: coco)
  }

  /// Knee angle over time: 1 s standing, then one squat per entry of `depths` (each `period`
  /// seconds: 45 % down, 10 % at the bottom, 45 % up, then `rest` seconds standing), then
  /// 1 s standing.
  static func kneeAngles(_ depths: [Double], period: Double = 2, rest: Double = 0.5)
    -> (Double) -> Double
  {
    { time in
      var start = 1.0
      for depth in depths {
        let local = time - start
        if local >= 0, local < period {
          let phase = local / period
          let amount: Double
          if phase < 0.45 {
            amount = ease(phase / 0.45)
          } else if phase < 0.55 {
            amount = 1
          } else {
            amount = 1 - ease((phase - 0.55) / 0.45)
          }
          return 176 - (176 - depth) * amount
        }
        start += period + rest
      }
      return 176
    }
  }

  /// How long `kneeAngles(depths, period:, rest:)` runs.
  static func length(_ count: Int, period: Double = 2, rest: Double = 0.5) -> Double {
    2 + Double(count) * (period + rest)
  }

  static func ease(_ u: Double) -> Double {
    (1 - SyntheticPlank.cosine(3.141592653589793 * max(0, min(1, u)))) / 2
  }

  /// Feeds `counter` frames at `fps` for `seconds`; `make` gives the frame at a time (nil: no
  /// pose). Returns the events, including `finish()`'s.
  static func run(
    fps: Double, seconds: Double, counter: inout SquatCounter, make: (Double) -> PoseFrame?
  ) -> [RepEvent] {
    var events: [RepEvent] = []
    let count = Int(seconds * fps)
    for index in 0...count {
      let time = Double(index) / fps
      events += counter.consume(make(time) ?? PoseFrame(time: time, landmarks: []))
    }
    return events + counter.finish()
  }
}
