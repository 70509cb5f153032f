/// The per-frame measurements the squat counter works from, in image pixels.
///
/// - the knee angle (hip–knee–ankle) and the hip angle (shoulder–hip–knee), each blended over
///   both legs with weights visibility², so the better-seen leg dominates in a side view and both
///   count equally from the front;
/// - the hip height: how far the hip midpoint sits above the planted (lower) ankle, in pixels;
/// - the leg length (hip–knee plus knee–ankle, in pixels through ``ImageGeometry`` so the aspect
///   ratio is right), which the counter turns into a standing reference (see
///   ``SquatCounter``): from the front the thighs are foreshortened at the bottom, so the drop
///   of the hips divided by the *standing* leg length is what carries the count there;
/// - the horizontal positions of the hip and ankle midpoints (walking across the picture moves
///   both; a squat moves the hips back and forth over planted feet);
/// - an upright flag: a standing or squatting body, not a plank or someone lying down.
///
/// Every value is finite: frames whose landmarks give NaN, infinity or zero lengths are not
/// usable poses (`nil`).
struct SquatSignals: Equatable {
  /// Blended knee angle in degrees (about 175 standing, 70–100 at the bottom of a deep squat in a
  /// side view; foreshortened towards 180 from the front).
  var kneeAngle: Double
  /// The knee angle used to judge depth and bend: `kneeAngle` when the image size is known;
  /// otherwise the smallest blended angle over the common landscape aspects (1, 4:3, 16:9), as
  /// for ``PushUpSignals/depthAngle``: squeezed sideways, knees that open outwards look straight.
  var depthAngle: Double
  /// Blended hip angle in degrees (shoulder–hip–knee); `nil` when no shoulder is visible.
  var hipAngle: Double?
  /// Vertical distance from the hip midpoint up from the lower ankle, pixels (positive when the
  /// hips are above the feet).
  var hipHeight: Double
  /// Hip–knee plus knee–ankle, pixels, blended like the angles.
  var legLength: Double
  /// Horizontal position of the hip midpoint, pixels.
  var hipX: Double
  /// Horizontal position of the ankle midpoint, pixels.
  var ankleX: Double
  /// Mean visibility of the leg joints used.
  var legVisibility: Double
  /// Whether the body looks upright: standing or squatting, not a plank.
  var upright: Bool

  /// One number that falls as the body goes down: the hip height in units of `reference` (a
  /// standing leg length), clamped to -1...3 (about 1 standing).
  func height(reference: Double) -> Double {
    let ratio = hipHeight / reference
    guard reference > 0, ratio.isFinite else { return 0 }
    return min(3, max(-1, ratio))
  }

  /// Visibility below which a joint is ignored.
  static let minimumVisibility = 0.3

  /// The signals of `frame`, or `nil` when it holds no usable pose (no hips, no leg, or
  /// non-finite or degenerate landmarks).
  init?(frame: PoseFrame, geometry: ImageGeometry) {
    guard let topology = frame.topology else { return nil }
    let marks = frame.landmarks
    func point(_ joint: Joint) -> Point { geometry.point(marks[topology.index(of: joint)]) }
    func visibility(_ joint: Joint) -> Double {
      let value = marks[topology.index(of: joint)].visibility
      return value.isFinite ? value : 0
    }
    func usable(_ joint: Joint) -> Bool {
      let candidate = point(joint)
      return visibility(joint) >= Self.minimumVisibility && candidate.x.isFinite
        && candidate.y.isFinite
    }

    var kneeWeights = 0.0
    var kneeSum = 0.0
    let aspects = geometry.isKnown ? [] : ImageGeometry.candidateAspects.dropFirst()
    var aspectAngleSums = [Double](repeating: 0, count: aspects.count)
    var legSum = 0.0
    var hipAngleWeights = 0.0
    var hipAngleSum = 0.0
    var visibilitySum = 0.0
    var legs = 0.0
    let sides: [(Joint, Joint, Joint, Joint)] = [
      (.leftShoulder, .leftHip, .leftKnee, .leftAnkle),
      (.rightShoulder, .rightHip, .rightKnee, .rightAnkle),
    ]
    for (shoulderJoint, hipJoint, kneeJoint, ankleJoint) in sides {
      guard usable(hipJoint), usable(kneeJoint), usable(ankleJoint) else { continue }
      let hip = point(hipJoint)
      let knee = point(kneeJoint)
      let ankle = point(ankleJoint)
      let seen = min(visibility(hipJoint), visibility(kneeJoint), visibility(ankleJoint))
      let leg = hip.distance(to: knee) + knee.distance(to: ankle)
      guard leg.isFinite, leg > 0, let angle = Trigonometry.angle(at: knee, hip, ankle),
        angle.isFinite
      else { continue }
      let weight = seen * seen
      kneeWeights += weight
      kneeSum += weight * angle
      for (slot, aspect) in aspects.enumerated() {
        let stretch = { (point: Point) in Point(x: point.x * aspect, y: point.y) }
        let stretched = Trigonometry.angle(at: stretch(knee), stretch(hip), stretch(ankle))
        aspectAngleSums[slot] += weight * (stretched.flatMap { $0.isFinite ? $0 : nil } ?? angle)
      }
      legSum += weight * leg
      visibilitySum += seen
      legs += 1
      if usable(shoulderJoint),
        let bend = Trigonometry.angle(at: hip, point(shoulderJoint), knee), bend.isFinite
      {
        let shoulderWeight = min(seen, visibility(shoulderJoint))
        hipAngleWeights += shoulderWeight * shoulderWeight
        hipAngleSum += shoulderWeight * shoulderWeight * bend
      }
    }
    guard kneeWeights > 0 else { return nil }
    kneeAngle = kneeSum / kneeWeights
    depthAngle = aspectAngleSums.reduce(kneeAngle) { min($0, $1 / kneeWeights) }
    legLength = legSum / kneeWeights
    hipAngle = hipAngleWeights > 0 ? hipAngleSum / hipAngleWeights : nil
    legVisibility = visibilitySum / legs

    guard let hipMid = Self.weightedMidpoint(.leftHip, .rightHip, point, visibility) else {
      return nil
    }
    // The planted foot is the lower ankle (larger y): a foot lifted while walking or shifting
    // weight does not make the hips look lower.
    var ankleY = -Double.infinity
    var ankleXSum = 0.0
    var ankles = 0.0
    for joint in [Joint.leftAnkle, .rightAnkle] where usable(joint) {
      ankleY = max(ankleY, point(joint).y)
      ankleXSum += point(joint).x
      ankles += 1
    }
    let height = ankleY - hipMid.y
    let ankleMidX = ankles > 0 ? ankleXSum / ankles : .nan
    guard height.isFinite, ankleMidX.isFinite, kneeAngle.isFinite, depthAngle.isFinite,
      legLength.isFinite,
      legLength > 0
    else { return nil }
    hipHeight = height
    hipX = hipMid.x
    ankleX = ankleMidX

    // Posture: the shoulders clearly above the hips (the torso within about 60° of vertical, and
    // tall compared with the shoulder width, which rules out a plank seen head-on, where the
    // foreshortened torso is short but vertical), and the hips above the feet.
    if let shoulderMid = Self.weightedMidpoint(.leftShoulder, .rightShoulder, point, visibility) {
      let rise = hipMid.y - shoulderMid.y
      let torso = hipMid.distance(to: shoulderMid)
      var width = 0.0
      if usable(.leftShoulder), usable(.rightShoulder) {
        width = point(.leftShoulder).distance(to: point(.rightShoulder))
      }
      upright =
        rise.isFinite && width.isFinite && rise > 0 && rise >= 0.5 * torso && rise >= 0.4 * width
        && height > 0.3 * rise
    } else {
      // No shoulders in the picture: judge by the legs alone.
      upright = height > 0.4 * legLength
    }
  }

  /// The visibility-weighted midpoint of two joints, or `nil` when neither is usable.
  private static func weightedMidpoint(
    _ first: Joint, _ second: Joint, _ point: (Joint) -> Point, _ visibility: (Joint) -> Double
  ) -> Point? {
    var x = 0.0
    var y = 0.0
    var total = 0.0
    for joint in [first, second] {
      let weight = visibility(joint)
      let candidate = point(joint)
      guard weight >= minimumVisibility, candidate.x.isFinite, candidate.y.isFinite else {
        continue
      }
      x += weight * candidate.x
      y += weight * candidate.y
      total += weight
    }
    guard total > 0, x.isFinite, y.isFinite else { return nil }
    return Point(x: x / total, y: y / total)
  }
}
