/// The per-frame measurements the jump-rope counter works from, in image pixels.
///
/// - the height of each foot: the visibility-weighted mean of ankle, heel and toe (MediaPipe) or
///   the ankle alone (COCO);
/// - the hip midpoint (height and horizontal position);
/// - the leg length (hip to ankle), which scales every threshold to the body's size in the frame;
/// - an upright flag: shoulders above hips above feet, torso within ~55° of vertical.
struct JumpRopeSignals: Equatable {
  /// Foot heights (image y, pixels, grows downwards) for the left and right foot; nil when that
  /// foot is not visible enough.
  var feet: [Double?]
  /// Horizontal position of each foot (pixels); nil as for `feet`.
  var feetX: [Double?]
  /// Hip midpoint height (image y, pixels).
  var hipY: Double
  /// Hip midpoint horizontal position (pixels).
  var hipX: Double
  /// Hip-to-ankle distance (pixels): the body scale.
  var legLength: Double
  /// Whether the person stands upright (a precondition for jumping rope).
  var upright: Bool

  /// The torso counts as upright while its rise (hip to shoulder) exceeds this fraction of its
  /// horizontal offset: up to about 55° from vertical, since speed skippers lean well forward.
  static let maximumLean = 0.7

  /// Visibility below which a joint is ignored.
  static let minimumVisibility = 0.3

  /// The signals of `frame`, or nil when the hips or both feet are not visible.
  init?(frame: PoseFrame, geometry: ImageGeometry) {
    guard let topology = frame.topology else { return nil }
    let marks = frame.landmarks
    func mark(_ joint: Joint) -> Landmark { marks[topology.index(of: joint)] }
    let leftHip = mark(.leftHip)
    let rightHip = mark(.rightHip)
    guard max(leftHip.visibility, rightHip.visibility) >= Self.minimumVisibility else {
      return nil
    }
    let hip = Self.weighted([leftHip, rightHip], geometry)
    hipY = hip.y
    hipX = hip.x
    // Foot points: ankle, heel, foot index (MediaPipe 27/29/31 left, 28/30/32 right).
    let footIndices: [[Int]] =
      topology == .mediaPipe33
      ? [[27, 29, 31], [28, 30, 32]]
      : [
        [topology.index(of: .leftAnkle)], [topology.index(of: .rightAnkle)],
      ]
    var feet: [Double?] = []
    var feetX: [Double?] = []
    var ankleYs: [Double] = []
    for indices in footIndices {
      let points = indices.map { marks[$0] }
      if points.map(\.visibility).max() ?? 0 >= Self.minimumVisibility {
        let point = Self.weighted(points, geometry)
        feet.append(point.y)
        feetX.append(point.x)
        ankleYs.append(geometry.point(points[0]).y)
      } else {
        feet.append(nil)
        feetX.append(nil)
      }
    }
    guard !ankleYs.isEmpty else { return nil }
    self.feet = feet
    self.feetX = feetX
    let ankleY = ankleYs.reduce(0, +) / Double(ankleYs.count)
    legLength = ankleY - hip.y
    guard legLength > 0 else { return nil }
    let leftShoulder = mark(.leftShoulder)
    let rightShoulder = mark(.rightShoulder)
    if max(leftShoulder.visibility, rightShoulder.visibility) >= Self.minimumVisibility {
      let shoulder = Self.weighted([leftShoulder, rightShoulder], geometry)
      let rise = hip.y - shoulder.y
      upright =
        rise > 0 && rise > Self.maximumLean * abs(hip.x - shoulder.x) && legLength > 0.6 * rise
    } else {
      upright = legLength > 0
    }
  }

  /// The visibility-weighted mean of `landmarks` in pixels.
  private static func weighted(_ landmarks: [Landmark], _ geometry: ImageGeometry) -> Point {
    var x = 0.0
    var y = 0.0
    var total = 0.0
    for landmark in landmarks where landmark.visibility >= minimumVisibility {
      let point = geometry.point(landmark)
      x += landmark.visibility * point.x
      y += landmark.visibility * point.y
      total += landmark.visibility
    }
    guard total > 0 else {
      let point = geometry.point(landmarks[0])
      return point
    }
    return Point(x: x / total, y: y / total)
  }
}
