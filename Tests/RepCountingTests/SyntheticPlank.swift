import RepCounting

/// A minimal side-view push-up skeleton for driving the counter directly (no files).
enum SyntheticPlank {
  /// A MediaPipe-33 (or COCO-17) frame with the elbows at `elbowAngle` degrees, seen from the
  /// side in a 640x480 image.
  static func frame(
    time: Double, elbowAngle: Double, topology: PoseTopology = .mediaPipe33, standing: Bool = false
  ) -> PoseFrame {
    let upperArm = 0.30
    let forearm = 0.27
    // Wrist at the origin; elbow straight above, bent backwards by the angle's supplement.
    let radians = elbowAngle * 3.141592653589793 / 180
    let bend = 3.141592653589793 - radians
    let elbow = (x: -forearm * sine(bend * 0.5), y: forearm * cosine(bend * 0.5))
    let shoulder = (
      x: elbow.x + upperArm * sine(bend * 0.5), y: elbow.y + upperArm * cosine(bend * 0.5)
    )
    var points = [(Double, Double)](repeating: (0, 0), count: 33)
    func set(_ joint: Joint, _ point: (Double, Double)) {
      points[PoseTopology.mediaPipe33.index(of: joint)] = point
    }
    if standing {
      set(.leftShoulder, (0, 1.45))
      set(.rightShoulder, (0, 1.45))
      set(.leftElbow, (0.02, 1.15))
      set(.rightElbow, (0.02, 1.15))
      set(.leftWrist, (0.05, 0.88))
      set(.rightWrist, (0.05, 0.88))
      set(.leftHip, (0, 0.95))
      set(.rightHip, (0, 0.95))
      set(.leftAnkle, (0, 0.08))
      set(.rightAnkle, (0, 0.08))
      set(.nose, (0.1, 1.62))
    } else {
      set(.leftShoulder, (shoulder.x, shoulder.y))
      set(.rightShoulder, (shoulder.x, shoulder.y))
      set(.leftElbow, (elbow.x, elbow.y))
      set(.rightElbow, (elbow.x, elbow.y))
      set(.leftWrist, (0, 0))
      set(.rightWrist, (0, 0))
      set(.leftHip, (shoulder.x - 0.5, shoulder.y * 0.7))
      set(.rightHip, (shoulder.x - 0.5, shoulder.y * 0.7))
      set(.leftAnkle, (shoulder.x - 1.35, 0.08))
      set(.rightAnkle, (shoulder.x - 1.35, 0.08))
      set(.nose, (shoulder.x + 0.24, shoulder.y))
    }
    // Image: 2.4 m across 640 px, floor at 80 % of the height.
    let mediaPipe = points.map { point in
      Landmark(x: 0.7 + point.0 / 2.4, y: 0.8 - point.1 * 640 / 2.4 / 480, z: 0, visibility: 0.95)
    }
    guard topology == .coco17 else { return PoseFrame(time: time, landmarks: mediaPipe) }
    let coco = [0, 2, 5, 7, 8, 11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28].map { mediaPipe[$0] }
    return PoseFrame(time: time, landmarks: coco)
  }

  /// Feeds a counter the elbow angles `angles(t)` at `fps` for `seconds` and returns its events.
  static func run(
    fps: Double, seconds: Double, topology: PoseTopology = .mediaPipe33,
    counter: inout PushUpCounter, angle: (Double) -> Double?
  ) -> [RepEvent] {
    var events: [RepEvent] = []
    let count = Int(seconds * fps)
    for index in 0...count {
      let time = Double(index) / fps
      if let elbowAngle = angle(time) {
        events += counter.consume(frame(time: time, elbowAngle: elbowAngle, topology: topology))
      } else {
        events += counter.consume(PoseFrame(time: time, landmarks: []))
      }
    }
    return events + counter.finish()
  }

  /// Elbow angle over time: `reps` cycles of `period` seconds from `top` to `bottom`, after a
  /// 1 s hold at the top.
  static func cycles(reps: Int, period: Double, top: Double = 170, bottom: Double = 70)
    -> (Double) -> Double
  {
    { time in
      let local = time - 1
      guard local > 0, local < Double(reps) * period else { return top }
      let phase = local.truncatingRemainder(dividingBy: period) / period
      let amount = (1 - cosine(2 * 3.141592653589793 * phase)) / 2
      return top - (top - bottom) * amount
    }
  }

  static func sine(_ x: Double) -> Double { cosine(x - 3.141592653589793 / 2) }

  /// cos by Taylor series after reduction to [-π, π] (tests only; stdlib has no cos).
  static func cosine(_ x: Double) -> Double {
    let twoPi = 2 * 3.141592653589793
    var reduced = x.truncatingRemainder(dividingBy: twoPi)
    if reduced > 3.141592653589793 { reduced -= twoPi }
    if reduced < -3.141592653589793 { reduced += twoPi }
    var term = 1.0
    var sum = 1.0
    for k in 1..<20 {
      term *= -reduced * reduced / Double((2 * k - 1) * (2 * k))
      sum += term
    }
    return sum
  }
}
