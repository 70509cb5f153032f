import Foundation

/// Turns a scenario into landmark JSON text.
struct Renderer {
  var scenario: Scenario
  private var random: SplitMix64

  init(scenario: Scenario) {
    self.scenario = scenario
    random = SplitMix64(seed: scenario.seed)
  }

  /// The scenario's length in seconds.
  var duration: Double {
    scenario.segments.reduce(0) { $0 + Self.length($1) }
  }

  private static func length(_ segment: Scenario.Segment) -> Double {
    switch segment {
    case .top(let seconds), .absent(let seconds): return seconds
    case .rep(let down, let hold, let up, _): return down + hold + up
    case .walkIn(let walk, let getDown): return walk + getDown
    case .walkOut(let standUp, let walk): return standUp + walk
    case .fromBottom(let up, _): return up
    case .endDescending(let seconds, _): return seconds
    case .skip(_, let count, let rate, _): return Double(count) / rate + 0.4
    case .stand(let seconds, _), .walk(let seconds), .standUp(let seconds): return seconds
    case .standTall(let seconds, _), .walkToSpot(let seconds), .walkOff(let seconds):
      return seconds
    case .squat(let down, let hold, let up, _): return down + hold + up
    }
  }

  private static func ease(_ u: Double) -> Double { (1 - cos(Double.pi * max(0, min(1, u)))) / 2 }

  /// Where the squats happen (metres along the body's x axis).
  private static let squatSpot = -0.5
  /// Knee angle of a person standing between squats, degrees.
  private static let standingKnee = 176.0

  /// Walking at `x`, `time` seconds into the walk.
  private static func walking(at x: Double, time u: Double) -> Body {
    // 1.1 m/s in steps of 0.55 s: the swing foot lifts 12 cm and swings forward a stride
    // (0.6 m relative to the ground) while the standing foot stays put.
    let phase = u / 0.55
    let step = phase - phase.rounded(.down)
    let lifted = Int(phase) % 2
    var feet = [0.0, 0.0]
    feet[lifted] = 0.12 * sin(Double.pi * step)
    var body = Body.skipper(at: x, lift: 0.01 * sin(2 * Double.pi * step), feet: feet, armPhase: 0)
    let offsets = [-0.3 + 0.6 * Self.ease(step) - 0.6 * step, 0.3 - 0.6 * step]
    for side in 0..<2 {
      let offset = side == lifted ? offsets[0] : offsets[1]
      for joint in [27, 29, 31] { body.joints[joint + side].x += offset }
      body.joints[25 + side].x += offset / 2
    }
    return body
  }

  /// The body at time `t`, or nil when nobody is in the picture.
  func body(at t: Double) -> Body? {
    var start = 0.0
    let top = scenario.topAngle
    for segment in scenario.segments {
      let length = Self.length(segment)
      guard t < start + length || t == duration else {
        start += length
        continue
      }
      let u = t - start
      switch segment {
      case .top:
        return Body.plank(elbowAngle: top)
      case .absent:
        return nil
      case .rep(let down, let hold, let up, let depth):
        let amount: Double
        if u < down {
          amount = Self.ease(u / down)
        } else if u < down + hold {
          amount = 1
        } else {
          amount = 1 - Self.ease((u - down - hold) / up)
        }
        return Body.plank(elbowAngle: top - (top - depth) * amount)
      case .fromBottom(let up, let depth):
        return Body.plank(elbowAngle: depth + (top - depth) * Self.ease(u / up))
      case .endDescending(let seconds, let depth):
        return Body.plank(elbowAngle: top - (top - depth) * Self.ease(u / seconds))
      case .walkIn(let walk, let getDown):
        if u < walk {
          let x = -3.2 + 2.7 * (u / walk)
          return Body.standing(at: x, swing: 20 * sin(2 * Double.pi * 1.8 * u))
        }
        return Body.standing(at: -0.5, swing: 0).blended(
          with: Body.plank(elbowAngle: top), amount: Self.ease((u - walk) / getDown))
      case .walkOut(let standUp, let walk):
        if u < standUp {
          return Body.plank(elbowAngle: top).blended(
            with: Body.standing(at: -0.5, swing: 0), amount: Self.ease(u / standUp))
        }
        let v = u - standUp
        return Body.standing(at: -0.5 - 2.7 * (v / walk), swing: 20 * sin(2 * Double.pi * 1.8 * v))
      case .standUp(let seconds):
        return Body.plank(elbowAngle: top).blended(
          with: Body.standing(at: -0.5, swing: 0), amount: Self.ease(u / seconds))
      case .stand(_, let swinging):
        return Body.skipper(
          at: -0.5, lift: 0, feet: [0, 0], armPhase: swinging ? 2 * Double.pi * 2 * u : 0)
      case .walk:
        return Self.walking(at: -2.2 + 1.1 * u, time: u)
      case .walkToSpot(let seconds):
        return Self.walking(at: Self.squatSpot - 1.1 * (seconds - u), time: u)
      case .walkOff:
        return Self.walking(at: Self.squatSpot + 1.1 * u, time: u)
      case .standTall(_, let sway):
        return Body.squat(
          at: Self.squatSpot, kneeAngle: Self.standingKnee, shift: sway * sin(Double.pi * u))
      case .squat(let down, let hold, let up, let kneeAngle):
        let amount: Double
        if u < down {
          amount = Self.ease(u / down)
        } else if u < down + hold {
          amount = 1
        } else {
          amount = 1 - Self.ease((u - down - hold) / up)
        }
        return Body.squat(
          at: Self.squatSpot,
          kneeAngle: Self.standingKnee - (Self.standingKnee - kneeAngle) * amount)
      case .skip(let style, let count, let rate, let height):
        // Landing k (1-based) happens at 0.2 + k / rate; each hop is airborne for a share of
        // the period before its landing.
        let period = 1 / rate
        let v = u - 0.2
        let armPhase = 2 * Double.pi * rate * max(0, v)
        guard v > 0, v < Double(count) * period else {
          return Body.skipper(at: -0.5, lift: 0, feet: [0, 0], armPhase: armPhase)
        }
        let k = Int(v / period)
        let w = (v - Double(k) * period) / period  // 0 at the previous landing, 1 at this one
        let air = style == .doubleUnder ? 0.7 : 0.55
        let hop = w < 1 - air ? 0 : sin(Double.pi * (w - (1 - air)) / air)
        switch style {
        case .bounce, .doubleUnder:
          return Body.skipper(at: -0.5, lift: height * hop, feet: [0, 0], armPhase: armPhase)
        case .alternate:
          var feet = [0.0, 0.0]
          feet[k % 2] = height * hop
          return Body.skipper(at: -0.5, lift: 0.15 * height * hop, feet: feet, armPhase: armPhase)
        }
      }
    }
    return Body.plank(elbowAngle: top)
  }

  /// The whole file.
  mutating func render() -> String {
    let count = Int((duration * scenario.fps).rounded(.down)) + 1
    var frames: [String] = []
    frames.reserveCapacity(count)
    for index in 0..<count {
      let t = Double(index) / scenario.fps
      frames.append(frame(index: index, time: t))
    }
    switch scenario.format {
    case .jsonLines:
      return frames.joined(separator: "\n") + "\n"
    case .array:
      return "[\n" + frames.joined(separator: ",\n") + "\n]\n"
    case .document:
      return """
        {"fps":\(scenario.fps),"width":\(scenario.width),"height":\(scenario.height),\
        "topology":"\(scenario.topology.rawValue)","source":"fixturegen \(scenario.name)","frames":[
        \(frames.joined(separator: ",\n"))
        ]}

        """
    }
  }

  private mutating func frame(index: Int, time: Double) -> String {
    var text = "{"
    switch scenario.timestamps {
    case .seconds: text += "\"t\":\(format(time, 4)),"
    case .milliseconds: text += "\"timestamp_ms\":\(format(time * 1000, 1)),"
    case .none: break
    }
    text += "\"landmarks\":"
    let dropped =
      random.unit() < scenario.dropRate
      || scenario.dropRun.map { time >= $0.0 && time < $0.0 + $0.1 } == true
    guard !dropped, let body = body(at: time), let points = project(body) else {
      return text + "null}"
    }
    let indices: [Int]
    if scenario.topology == .coco17 {
      indices = [0, 2, 5, 7, 8, 11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28]
    } else {
      indices = Array(0..<33)
    }
    let entries = indices.map { index -> String in
      let (x, y, z, visibility) = points[index]
      if scenario.objectLandmarks {
        let p = scenario.precision
        if scenario.topology == .coco17 {
          return "{\"x\":\(format(x, p)),\"y\":\(format(y, p)),\"score\":\(format(visibility, 3))}"
        }
        return "{\"x\":\(format(x, p)),\"y\":\(format(y, p)),\"z\":\(format(z, 3)),"
          + "\"visibility\":\(format(visibility, 3))}"
      }
      if scenario.topology == .coco17 {
        return "[\(format(x, scenario.precision)),\(format(y, scenario.precision)),"
          + "\(format(visibility, scenario.precision == 4 ? 3 : 2))]"
      }
      return "[\(format(x, scenario.precision)),\(format(y, scenario.precision)),"
        + "\(format(z, scenario.precision == 4 ? 3 : 2)),\(format(visibility, 2))]"
    }
    return text + "[" + entries.joined(separator: ",") + "]}"
  }

  /// Normalised image points with visibility; nil when the person is out of the picture.
  private mutating func project(_ body: Body) -> [(Double, Double, Double, Double)]? {
    let yaw = scenario.yaw * Double.pi / 180
    let width = Double(scenario.width)
    let height = Double(scenario.height)
    let scale = width * 0.8 / 2.0
    let centerX = width / 2
    let centerY = height * 0.62
    var result: [(Double, Double, Double, Double)] = []
    for (index, joint) in body.joints.enumerated() {
      let lateral = joint.x + 0.55
      let u = lateral * cos(yaw) - joint.z * sin(yaw)
      let depth = lateral * sin(yaw) + joint.z * cos(yaw)
      let px = centerX + scale * u + random.gaussian() * scenario.jitter
      let py = centerY - scale * (joint.y - 0.25 * depth) + random.gaussian() * scenario.jitter
      let isLeft = index > 10 && index % 2 == 1
      let isRight = index > 10 && index % 2 == 0
      var visibility = 0.97
      if isRight { visibility = 0.45 + 0.5 * sin(yaw) }
      if isLeft { visibility = 0.97 }
      visibility = max(0, min(1, visibility + random.gaussian() * 0.02))
      result.append((px / width, py / height, -depth * 0.3, visibility))
    }
    let noseX = result[0].0
    guard noseX > -0.05, noseX < 1.05, result[11].0 > -0.05, result[11].0 < 1.05 else {
      return nil
    }
    return result
  }

  private func format(_ value: Double, _ places: Int) -> String {
    String(format: "%.\(places)f", value)
  }
}

/// A small deterministic random number generator.
struct SplitMix64 {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Uniform in [0, 1).
  mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

  /// Standard normal (Box–Muller).
  mutating func gaussian() -> Double {
    let u = max(unit(), 1e-12)
    let v = unit()
    return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
  }
}
