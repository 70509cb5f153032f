/// The per-frame measurements the push-up counter works from.
///
/// Several cues, each weighted by how visible the joints are:
/// - the elbow angle (shoulder–elbow–wrist), blended over both arms by visibility²;
/// - the shoulder lift: how far the shoulders sit above the wrists, in arm lengths;
/// - an upright flag: the person stands (hips or ankles far below the shoulders), so the frame
///   cannot be part of a push-up.
struct PushUpSignals: Equatable {
  /// Blended elbow angle in degrees.
  var elbowAngle: Double
  /// The elbow angle used to judge depth: `elbowAngle` when the image size is known; otherwise
  /// the smallest blended angle over the common landscape aspects (1, 4:3, 16:9), because a
  /// wrong aspect stretches angles and would turn real reps into partial ones.
  var depthAngle: Double
  /// Vertical wrist-to-shoulder distance divided by arm length (about 1 at the top, 0.2–0.6 at
  /// the bottom), clamped to -0.2...1.2.
  var shoulderLift: Double
  /// Mean visibility of the arm joints used.
  var armVisibility: Double
  /// Whether the body is upright (walking, standing): not in a push-up.
  var upright: Bool

  /// One number that falls as the body goes down: the mean of the elbow angle over 180° and the
  /// shoulder lift.
  var bodyExtension: Double { 0.5 * elbowAngle / 180 + 0.5 * shoulderLift }

  /// Ankles this many arm lengths below the hips, on a body whose hips are below the shoulders,
  /// belong to someone standing bent forward (in a plank they are at most ~0.7 below).
  static let hangingLegs = 0.9

  /// Visibility below which an arm is ignored.
  static let minimumArmVisibility = 0.2

  /// The signals of `frame`, or `nil` when it holds no usable pose. `judgingDepth: false`
  /// skips the extra angles behind ``depthAngle`` for an unknown image size (it is then
  /// `elbowAngle`), for callers that read only the posture (``Posture``).
  ///
  /// Runs twice per frame (``Posture`` and the push-up counter): no arrays are made here
  /// (measured with `buddy count` on a 253 MB JSON Lines session of unknown image size, this
  /// initialiser took 10 % of the time with its per-frame arrays and the posture's aspect
  /// angles, 5 % without; PushUpSignalsTests holds it to the same numbers).
  init?(frame: PoseFrame, geometry: ImageGeometry, judgingDepth: Bool = true) {
    guard let topology = frame.topology else { return nil }
    let marks = frame.landmarks
    func point(_ joint: Joint) -> Point { geometry.point(marks[topology.index(of: joint)]) }
    func visibility(_ joint: Joint) -> Double { marks[topology.index(of: joint)].visibility }

    var weightSum = 0.0
    var angleSum = 0.0
    // The common landscape aspects other than 1 (ImageGeometry.candidateAspects.dropFirst()),
    // tried when the size is unknown, and their weighted angle sums.
    let stretchAspects = !geometry.isKnown && judgingDepth
    let firstAspect = ImageGeometry.candidateAspects[1]
    let secondAspect = ImageGeometry.candidateAspects[2]
    var firstAspectSum = 0.0
    var secondAspectSum = 0.0
    var liftSum = 0.0
    var visibilitySum = 0.0
    var armLengthSum = 0.0
    var arms = 0.0
    for side in 0..<2 {
      let shoulderJoint: Joint = side == 0 ? .leftShoulder : .rightShoulder
      let elbowJoint: Joint = side == 0 ? .leftElbow : .rightElbow
      let wristJoint: Joint = side == 0 ? .leftWrist : .rightWrist
      let seen = min(visibility(shoulderJoint), visibility(elbowJoint), visibility(wristJoint))
      guard seen >= Self.minimumArmVisibility else { continue }
      let shoulder = point(shoulderJoint)
      let elbow = point(elbowJoint)
      let wrist = point(wristJoint)
      let armLength = shoulder.distance(to: elbow) + elbow.distance(to: wrist)
      guard armLength > 0, let angle = Trigonometry.angle(at: elbow, shoulder, wrist) else {
        continue
      }
      let weight = seen * seen
      weightSum += weight
      angleSum += weight * angle
      if stretchAspects {
        func stretchedAngle(_ aspect: Double) -> Double? {
          let stretch = { (point: Point) in Point(x: point.x * aspect, y: point.y) }
          return Trigonometry.angle(at: stretch(elbow), stretch(shoulder), stretch(wrist))
        }
        firstAspectSum += weight * (stretchedAngle(firstAspect) ?? angle)
        secondAspectSum += weight * (stretchedAngle(secondAspect) ?? angle)
      }
      liftSum += weight * (wrist.y - shoulder.y) / armLength
      visibilitySum += seen
      armLengthSum += armLength
      arms += 1
    }
    guard weightSum > 0 else { return nil }
    elbowAngle = angleSum / weightSum
    depthAngle =
      stretchAspects
      ? min(min(elbowAngle, firstAspectSum / weightSum), secondAspectSum / weightSum)
      : elbowAngle
    shoulderLift = min(1.2, max(-0.2, liftSum / weightSum))
    armVisibility = visibilitySum / arms
    let armLength = armLengthSum / arms

    // Posture: a standing or walking person has the hips well below the shoulders on a torso
    // seen at full length, or the ankles far below the shoulders, or (bent forward at the hips,
    // as a speed skipper is) the hips below the shoulders and the legs hanging well below the
    // hips; in a plank the ankles are at most about as low as the hips.
    let shoulderMid = Self.midpoint(point(.leftShoulder), point(.rightShoulder))
    let hipsSeen = max(visibility(.leftHip), visibility(.rightHip)) >= 0.5
    let anklesSeen = max(visibility(.leftAnkle), visibility(.rightAnkle)) >= 0.5
    let hipMid = Self.midpoint(point(.leftHip), point(.rightHip))
    let ankleMid = Self.midpoint(point(.leftAnkle), point(.rightAnkle))
    let torso = shoulderMid.distance(to: hipMid)
    var standing = false
    if hipsSeen {
      standing = torso > 0.5 * armLength && hipMid.y - shoulderMid.y > 0.8 * torso
    }
    if !standing, anklesSeen {
      standing = ankleMid.y - shoulderMid.y > 2 * armLength
    }
    if !standing, hipsSeen, anklesSeen {
      standing =
        hipMid.y - shoulderMid.y > 0.5 * torso
        && ankleMid.y - hipMid.y > Self.hangingLegs * armLength
    }
    upright = standing
  }

  private static func midpoint(_ a: Point, _ b: Point) -> Point {
    Point(x: (a.x + b.x) / 2, y: (a.y + b.y) / 2)
  }
}
