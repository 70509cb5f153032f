#if canImport(Glibc)
import Glibc
#endif

/// A 3-D point in metres: x forward (towards the head in a plank), y up, z to the body's left.
struct Vector3 {
  var x: Double
  var y: Double
  var z: Double

  static func + (a: Vector3, b: Vector3) -> Vector3 {
    Vector3(x: a.x + b.x, y: a.y + b.y, z: a.z + b.z)
  }
  static func - (a: Vector3, b: Vector3) -> Vector3 {
    Vector3(x: a.x - b.x, y: a.y - b.y, z: a.z - b.z)
  }
  static func * (a: Vector3, s: Double) -> Vector3 { Vector3(x: a.x * s, y: a.y * s, z: a.z * s) }
}

/// The 33 MediaPipe joints of a simple articulated body.
struct Body {
  static let upperArm = 0.30
  static let forearm = 0.27
  static let bodyLength = 1.38  // shoulder to ankle
  static let torso = 0.50

  var joints: [Vector3]

  /// A plank with elbows at `elbowAngle` degrees, wrists at the origin.
  static func plank(elbowAngle: Double) -> Body {
    let theta = elbowAngle * Double.pi / 180
    let chord = (upperArm * upperArm + forearm * forearm - 2 * upperArm * forearm * cos(theta))
      .squareRoot()
    let depth = max(0, min(1, (170 - elbowAngle) / 100))
    let shoulderX = 0.02 + 0.06 * depth
    let shoulderY = (chord * chord - shoulderX * shoulderX).squareRoot() + 0.03
    var joints = [Vector3](repeating: Vector3(x: 0, y: 0, z: 0), count: 33)
    let ankleY = 0.08
    let ankleX =
      shoulderX
      - (bodyLength * bodyLength - (shoulderY - ankleY) * (shoulderY - ankleY)).squareRoot()
    for (side, sign) in [(0, 1.0), (1, -1.0)] {
      let shoulder = Vector3(x: shoulderX, y: shoulderY, z: 0.20 * sign)
      let wrist = Vector3(x: 0, y: 0.03, z: 0.22 * sign)
      // Elbow: on the circle of points `upperArm` from the shoulder and `forearm` from the
      // wrist, bending back towards the feet and out to the side by 30°.
      let axisVector = wrist - shoulder
      let distance =
        (axisVector.x * axisVector.x + axisVector.y * axisVector.y
        + axisVector.z * axisVector.z).squareRoot()
      let axis = axisVector * (1 / distance)
      let along = (upperArm * upperArm - forearm * forearm + distance * distance) / (2 * distance)
      let across = max(0, upperArm * upperArm - along * along).squareRoot()
      let flare = 0.52
      let bend = Vector3(x: -cos(flare), y: 0, z: sign * sin(flare))
      let dot = bend.x * axis.x + bend.y * axis.y + bend.z * axis.z
      var perpendicular = bend - axis * dot
      let norm =
        (perpendicular.x * perpendicular.x + perpendicular.y * perpendicular.y
        + perpendicular.z * perpendicular.z).squareRoot()
      perpendicular = perpendicular * (1 / norm)
      let elbow = shoulder + axis * along + perpendicular * across
      let ankle = Vector3(x: ankleX, y: ankleY, z: 0.12 * sign)
      let hip = shoulder + (ankle - shoulder) * (torso / bodyLength)
      let knee = hip + (ankle - hip) * 0.5
      joints[11 + side] = shoulder
      joints[13 + side] = elbow
      joints[15 + side] = wrist
      joints[17 + side] = wrist + Vector3(x: 0.07, y: -0.02, z: 0.03 * sign)  // pinky
      joints[19 + side] = wrist + Vector3(x: 0.09, y: -0.02, z: 0)  // index
      joints[21 + side] = wrist + Vector3(x: 0.05, y: -0.01, z: -0.03 * sign)  // thumb
      joints[23 + side] = Vector3(x: hip.x, y: hip.y, z: 0.15 * sign)
      joints[25 + side] = Vector3(x: knee.x, y: knee.y, z: 0.13 * sign)
      joints[27 + side] = ankle
      joints[29 + side] = ankle + Vector3(x: -0.06, y: 0.02, z: 0)  // heel
      joints[31 + side] = ankle + Vector3(x: 0.03, y: -0.07, z: 0)  // foot index
    }
    let neck = (joints[11] + joints[12]) * 0.5
    let nose = neck + Vector3(x: 0.24, y: -0.02, z: 0)
    fillHead(&joints, nose: nose, forward: Vector3(x: 1, y: 0, z: 0))
    return Body(joints: joints)
  }

  /// Standing at `x` (walking, arms swinging by `swing` degrees), facing +x.
  static func standing(at x: Double, swing: Double) -> Body {
    var joints = [Vector3](repeating: Vector3(x: 0, y: 0, z: 0), count: 33)
    let s = swing * Double.pi / 180
    for (side, sign) in [(0, 1.0), (1, -1.0)] {
      let phase = side == 0 ? s : -s
      let shoulder = Vector3(x: x, y: 1.45, z: 0.20 * sign)
      let elbow =
        shoulder + Vector3(x: upperArm * sin(phase), y: -upperArm * cos(phase), z: 0.03 * sign)
      let wrist =
        elbow + Vector3(x: forearm * sin(phase + 0.25), y: -forearm * cos(phase + 0.25), z: 0)
      joints[11 + side] = shoulder
      joints[13 + side] = elbow
      joints[15 + side] = wrist
      joints[17 + side] = wrist + Vector3(x: 0.01, y: -0.07, z: 0.02 * sign)
      joints[19 + side] = wrist + Vector3(x: 0.02, y: -0.09, z: 0)
      joints[21 + side] = wrist + Vector3(x: 0.03, y: -0.05, z: -0.02 * sign)
      let legPhase = -phase * 0.6
      let hip = Vector3(x: x, y: 0.95, z: 0.15 * sign)
      let knee = hip + Vector3(x: 0.45 * sin(legPhase), y: -0.45 * cos(legPhase), z: 0)
      let ankle =
        knee + Vector3(x: 0.43 * sin(legPhase * 0.5), y: -0.43 * cos(legPhase * 0.5), z: 0)
      joints[23 + side] = hip
      joints[25 + side] = knee
      joints[27 + side] = ankle
      joints[29 + side] = ankle + Vector3(x: -0.05, y: -0.04, z: 0)
      joints[31 + side] = ankle + Vector3(x: 0.12, y: -0.06, z: 0)
    }
    let nose = Vector3(x: x + 0.09, y: 1.63, z: 0)
    fillHead(&joints, nose: nose, forward: Vector3(x: 1, y: 0, z: 0))
    return Body(joints: joints)
  }

  /// Skipping rope at `x`, facing the camera's +z side: the whole body raised by `lift` metres,
  /// each foot raised a further `feet[0]`/`feet[1]`, hands turning the rope at `armPhase` radians.
  static func skipper(at x: Double, lift: Double, feet: [Double], armPhase: Double) -> Body {
    var body = standing(at: x, swing: 0)
    for side in 0..<2 {
      let sign = side == 0 ? 1.0 : -1.0
      // Elbows by the sides, hands out and circling a little (the rope turn).
      let shoulder = body.joints[11 + side]
      let elbow = shoulder + Vector3(x: 0.02, y: -0.28, z: 0.06 * sign)
      let wrist =
        elbow + Vector3(x: 0.05 * cos(armPhase), y: -0.05 + 0.05 * sin(armPhase), z: 0.16 * sign)
      body.joints[13 + side] = elbow
      body.joints[15 + side] = wrist
      body.joints[17 + side] = wrist + Vector3(x: 0.01, y: -0.06, z: 0.02 * sign)
      body.joints[19 + side] = wrist + Vector3(x: 0.02, y: -0.08, z: 0)
      body.joints[21 + side] = wrist + Vector3(x: 0.03, y: -0.04, z: -0.02 * sign)
      let raise = feet[side]
      body.joints[25 + side].y += raise * 0.5
      for joint in [27, 29, 31] { body.joints[joint + side].y += raise }
    }
    for index in body.joints.indices { body.joints[index].y += lift }
    return body
  }

  /// A bodyweight squat at `x`, facing +x, the knees at `kneeAngle` degrees (about 175 standing).
  ///
  /// The feet stay planted; of the knee flexion, 40 % is the shank leaning forward and 60 % the
  /// thigh leaning back, the torso leans forward 70 % of the thigh angle (the hip angle is then
  /// 180° − 1.7 × thigh angle), the knees travel out over toes turned 25° out and the arms reach
  /// forward as a counterweight. `shift` moves the hips and shoulders sideways (metres, towards
  /// +z) with the feet planted: swaying and shifting weight.
  static func squat(at x: Double, kneeAngle: Double, shift: Double = 0) -> Body {
    var body = standing(at: x, swing: 0)
    let flexion = max(0, 180 - kneeAngle) * Double.pi / 180
    let shank = 0.4 * flexion
    let thigh = 0.6 * flexion
    let lean = 0.7 * thigh
    let reach = min(1, flexion / 1.9)
    let turnOut = 25 * Double.pi / 180
    for side in 0..<2 {
      let sign = side == 0 ? 1.0 : -1.0
      let ankle = body.joints[27 + side]
      // The knees travel over the toes, which point 25° outwards.
      let forward = 0.43 * sin(shank)
      let knee =
        ankle
        + Vector3(x: forward * cos(turnOut), y: 0.43 * cos(shank), z: sign * forward * sin(turnOut))
      let hip = Vector3(
        x: knee.x - 0.45 * sin(thigh), y: knee.y + 0.45 * cos(thigh), z: 0.15 * sign + shift)
      let shoulder = Vector3(
        x: hip.x + torso * sin(lean), y: hip.y + torso * cos(lean), z: 0.20 * sign + shift)
      // Arms: from hanging (0) to straight forward and level (π/2).
      let raise = reach * Double.pi / 2
      let elbow = shoulder + Vector3(x: upperArm * sin(raise), y: -upperArm * cos(raise), z: 0)
      let wrist = elbow + Vector3(x: forearm * sin(raise), y: -forearm * cos(raise), z: 0)
      body.joints[11 + side] = shoulder
      body.joints[13 + side] = elbow
      body.joints[15 + side] = wrist
      body.joints[17 + side] = wrist + Vector3(x: 0.07, y: -0.01, z: 0.02 * sign)
      body.joints[19 + side] = wrist + Vector3(x: 0.09, y: 0, z: 0)
      body.joints[21 + side] = wrist + Vector3(x: 0.05, y: 0.01, z: -0.02 * sign)
      body.joints[23 + side] = hip
      body.joints[25 + side] = knee
    }
    let neck = (body.joints[11] + body.joints[12]) * 0.5
    let nose = neck + Vector3(x: 0.09 + 0.1 * sin(lean), y: 0.18 * cos(lean), z: 0)
    fillHead(&body.joints, nose: nose, forward: Vector3(x: 1, y: 0, z: 0))
    return body
  }

  private static func fillHead(_ joints: inout [Vector3], nose: Vector3, forward: Vector3) {
    joints[0] = nose
    for (index, offset) in [
      (1, Vector3(x: -0.02, y: 0.03, z: 0.02)), (2, Vector3(x: -0.02, y: 0.035, z: 0.035)),
      (3, Vector3(x: -0.02, y: 0.03, z: 0.05)), (4, Vector3(x: -0.02, y: 0.03, z: -0.02)),
      (5, Vector3(x: -0.02, y: 0.035, z: -0.035)), (6, Vector3(x: -0.02, y: 0.03, z: -0.05)),
      (7, Vector3(x: -0.09, y: 0.02, z: 0.07)), (8, Vector3(x: -0.09, y: 0.02, z: -0.07)),
      (9, Vector3(x: -0.01, y: -0.03, z: 0.02)), (10, Vector3(x: -0.01, y: -0.03, z: -0.02)),
    ] {
      joints[index] = nose + offset
    }
  }

  /// A blend of two bodies (`amount` 0 gives `self`).
  func blended(with other: Body, amount: Double) -> Body {
    Body(joints: zip(joints, other.joints).map { $0 + ($1 - $0) * amount })
  }
}
