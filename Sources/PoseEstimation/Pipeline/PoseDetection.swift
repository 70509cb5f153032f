#if canImport(Glibc)
internal import Glibc
#endif

/// One person detection of the BlazePose detector (spec §d.3).
///
/// Coordinates are normalised: to the letterboxed 224 × 224 detector input when decoded,
/// to the image after `removingLetterbox(_:)`.
struct PoseDetection: Sendable, Equatable {
  /// A point in normalised coordinates.
  struct Point: Sendable, Equatable {
    var x: Double
    var y: Double
  }

  /// Sigmoid score in 0...1.
  var score: Double
  /// Left edge of the (face) box.
  var xMin: Double
  /// Top edge of the box.
  var yMin: Double
  /// Box width.
  var width: Double
  /// Box height.
  var height: Double
  /// The four keypoints: 0 hip centre, 1 full-body size/rotation point, 2 shoulder centre,
  /// 3 upper-body size/rotation point.
  var keypoints: [Point]
}

extension PoseDetection {
  /// Detector options of `pose_detection_cpu.pbtxt`.
  static let boxCount = 2254
  static let coordinateCount = 12
  static let keypointCount = 4
  static let minScore = 0.5
  static let scoreClipping = 100.0
  static let suppressionThreshold = 0.3

  /// Decodes the detector outputs (`Identity` boxes [1, 2254, 12], `Identity_1` scores
  /// [1, 2254, 1]) into the detections scoring at least `minScore`, in anchor order.
  static func decode(boxes: [Float], scores: [Float], minScore: Double = minScore)
    -> [PoseDetection]
  {
    let anchors = SSDAnchors.pose
    guard boxes.count >= boxCount * coordinateCount, scores.count >= boxCount else { return [] }
    let size = Double(SSDAnchors.inputSize)
    var detections: [PoseDetection] = []
    for i in 0..<boxCount {
      let raw = min(max(Double(scores[i]), -scoreClipping), scoreClipping)
      let score = 1 / (1 + exp(-raw))
      guard score >= minScore else { continue }
      let base = i * coordinateCount
      let anchor = anchors[i]
      let xCenter = Double(boxes[base]) / size + anchor.x
      let yCenter = Double(boxes[base + 1]) / size + anchor.y
      let width = Double(boxes[base + 2]) / size
      let height = Double(boxes[base + 3]) / size
      guard width >= 0, height >= 0 else { continue }  // also drops NaN
      let keypoints = (0..<keypointCount).map { k in
        Point(
          x: Double(boxes[base + 4 + 2 * k]) / size + anchor.x,
          y: Double(boxes[base + 5 + 2 * k]) / size + anchor.y)
      }
      detections.append(
        PoseDetection(
          score: score, xMin: xCenter - width / 2, yMin: yCenter - height / 2, width: width,
          height: height, keypoints: keypoints))
    }
    return detections
  }

  /// Intersection over union of the two boxes; 0 when they do not overlap.
  func intersectionOverUnion(_ other: PoseDetection) -> Double {
    let left = max(xMin, other.xMin)
    let top = max(yMin, other.yMin)
    let right = min(xMin + width, other.xMin + other.width)
    let bottom = min(yMin + height, other.yMin + other.height)
    guard right > left, bottom > top else { return 0 }
    let intersection = (right - left) * (bottom - top)
    let union = width * height + other.width * other.height - intersection
    return union > 0 ? intersection / union : 0
  }

  /// Weighted non-maximum suppression (spec §d.4): clusters of IoU > 0.3 around the best
  /// remaining detection become one detection with score-weighted box corners and keypoints
  /// and the best score. Output is by descending score.
  static func weightedNonMaxSuppression(_ detections: [PoseDetection]) -> [PoseDetection] {
    var remaining = detections.enumerated().sorted {
      $0.element.score != $1.element.score
        ? $0.element.score > $1.element.score : $0.offset < $1.offset
    }.map(\.element)
    var output: [PoseDetection] = []
    while let top = remaining.first {
      var cluster: [PoseDetection] = []
      var rest: [PoseDetection] = []
      for detection in remaining {
        if detection.intersectionOverUnion(top) > suppressionThreshold {
          cluster.append(detection)
        } else {
          rest.append(detection)
        }
      }
      let total = cluster.reduce(0) { $0 + $1.score }
      var xMin = 0.0
      var yMin = 0.0
      var xMax = 0.0
      var yMax = 0.0
      var keypoints = [Point](repeating: Point(x: 0, y: 0), count: top.keypoints.count)
      for detection in cluster {
        let weight = detection.score / total
        xMin += detection.xMin * weight
        yMin += detection.yMin * weight
        xMax += (detection.xMin + detection.width) * weight
        yMax += (detection.yMin + detection.height) * weight
        for k in keypoints.indices where k < detection.keypoints.count {
          keypoints[k].x += detection.keypoints[k].x * weight
          keypoints[k].y += detection.keypoints[k].y * weight
        }
      }
      output.append(
        PoseDetection(
          score: top.score, xMin: xMin, yMin: yMin, width: xMax - xMin, height: yMax - yMin,
          keypoints: keypoints))
      if rest.count == remaining.count { break }
      remaining = rest
    }
    return output
  }

  /// The detection in image coordinates, given the letterbox padding of the detector input
  /// (spec §d.5).
  func removingLetterbox(_ padding: Letterbox) -> PoseDetection {
    let scaleX = 1 - padding.left - padding.right
    let scaleY = 1 - padding.top - padding.bottom
    return PoseDetection(
      score: score, xMin: (xMin - padding.left) / scaleX, yMin: (yMin - padding.top) / scaleY,
      width: width / scaleX, height: height / scaleY,
      keypoints: keypoints.map {
        Point(x: ($0.x - padding.left) / scaleX, y: ($0.y - padding.top) / scaleY)
      })
  }

  /// The landmark-model ROI of this detection (spec §d.6): from keypoint 0 (hip centre) and
  /// keypoint 1 (size and rotation).
  func regionOfInterest(imageWidth: Int, imageHeight: Int) -> NormalizedRect {
    NormalizedRect.poseROI(
      center: (keypoints[0].x, keypoints[0].y), scalePoint: (keypoints[1].x, keypoints[1].y),
      imageWidth: Double(imageWidth), imageHeight: Double(imageHeight))
  }
}
