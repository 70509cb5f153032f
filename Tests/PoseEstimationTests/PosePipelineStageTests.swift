import Foundation
import Testing

@testable import PoseEstimation

/// The pure pieces of the pose pipeline (spec §d), checked against hand-made cases and the
/// numbers `scripts/pose-stage-dump.py` took from ref_pipeline.py (Fixtures/pipeline).
@Suite struct PosePipelineStageTests {
  @Test func anchorsFollowTheModelLayout() {
    let anchors = SSDAnchors.pose
    #expect(anchors.count == 2254)
    #expect(anchors[0] == (0.5 / 28, 0.5 / 28) && anchors[1] == anchors[0])
    #expect(anchors[2] == (1.5 / 28, 0.5 / 28))
    #expect(anchors[1568] == (0.5 / 14, 0.5 / 14))
    #expect(anchors[1960].x == 0.5 / 7 && anchors[1965].x == 0.5 / 7)
    #expect(anchors[1966].x == 1.5 / 7)
    #expect(anchors[2253] == (6.5 / 7, 6.5 / 7))
  }

  @Test(arguments: [(480, 270, 0.0, 0.21875), (270, 480, 0.21875, 0.0), (300, 300, 0.0, 0.0)])
  func letterboxPadsTheShortSide(width: Int, height: Int, horizontal: Double, vertical: Double) {
    let (crop, padding) = ImageCrop.letterboxed(imageWidth: width, imageHeight: height)
    #expect(
      padding == Letterbox(left: horizontal, top: vertical, right: horizontal, bottom: vertical))
    #expect(crop.width == crop.height && crop.width == Double(max(width, height)))
    #expect(crop.centerX == Double(width) / 2 && crop.centerY == Double(height) / 2)
  }

  @Test func letterboxRemovalMapsBackToTheImage() {
    let detection = PoseDetection(
      score: 0.9, xMin: 0.25, yMin: 0.25, width: 0.5, height: 0.25,
      keypoints: [.init(x: 0.5, y: 0.5), .init(x: 0.5, y: 0.21875)])
    let image = detection.removingLetterbox(
      Letterbox(left: 0, top: 0.21875, right: 0, bottom: 0.21875))
    #expect(abs(image.yMin - (0.25 - 0.21875) / 0.5625) < 1e-12)
    #expect(abs(image.height - 0.25 / 0.5625) < 1e-12)
    #expect(image.keypoints[0] == .init(x: 0.5, y: 0.5))
    #expect(image.keypoints[1] == .init(x: 0.5, y: 0))
  }

  /// Detection → ROI on every frame where ref_pipeline.py ran the detector.
  @Test(arguments: ["c11-tracking", "c11-static"])
  func regionOfInterestMatchesTheReference(fixtureName: String) throws {
    let fixture = try PipelineFixture.load(fixtureName)
    for frame in fixture.frames where frame.detected {
      let detection = try #require(frame.detections?.first)
      let rect = PoseDetection(
        score: detection.score, xMin: detection.box[0], yMin: detection.box[1],
        width: detection.box[2], height: detection.box[3],
        keypoints: detection.keypoints.map { .init(x: $0[0], y: $0[1]) }
      ).regionOfInterest(imageWidth: frame.width, imageHeight: frame.height)
      let expected = try #require(frame.roi)
      let actual = [rect.xCenter, rect.yCenter, rect.width, rect.height, rect.rotation]
      for (a, e) in zip(actual, expected) { #expect(abs(a - e) < 1e-12, "\(frame.frame)") }
      let (_, letterbox) = ImageCrop.letterboxed(imageWidth: frame.width, imageHeight: frame.height)
      let padding = [letterbox.left, letterbox.top, letterbox.right, letterbox.bottom]
      #expect(padding == frame.letterboxPadding)
    }
  }

  @Test func poseROIIsASquareRotatedSoTheBodyPointsUp() {
    // Scale point straight above the centre: no rotation, side 2.5 × distance.
    let upright = NormalizedRect.poseROI(
      center: (0.5, 0.5), scalePoint: (0.5, 0.25), imageWidth: 400, imageHeight: 200)
    #expect(abs(upright.rotation) < 1e-12)
    #expect(abs(upright.width * 400 - 125) < 1e-9 && abs(upright.height * 200 - 125) < 1e-9)
    // Scale point to the right: the body lies along +x, rotated by +90°.
    let lying = NormalizedRect.poseROI(
      center: (0.5, 0.5), scalePoint: (0.75, 0.5), imageWidth: 400, imageHeight: 200)
    #expect(abs(lying.rotation - Double.pi / 2) < 1e-12)
    #expect(abs(NormalizedRect.normalizeRadians(3 * Double.pi / 2) + Double.pi / 2) < 1e-12)
    #expect(abs(NormalizedRect.normalizeRadians(-Double.pi) + Double.pi) < 1e-12)
  }

  @Test func weightedSuppressionAveragesEachClusterByScore() {
    func detection(_ score: Double, _ x: Double) -> PoseDetection {
      PoseDetection(
        score: score, xMin: x, yMin: 0.1, width: 0.2, height: 0.2,
        keypoints: [.init(x: x, y: 0.5)])
    }
    let output = PoseDetection.weightedNonMaxSuppression([
      detection(0.6, 0.12), detection(0.9, 0.1), detection(0.7, 0.6), detection(0.3, 0.14),
    ])
    #expect(output.count == 2)
    #expect(output[0].score == 0.9 && output[1].score == 0.7)
    let expectedX = (0.9 * 0.1 + 0.6 * 0.12 + 0.3 * 0.14) / 1.8
    #expect(abs(output[0].xMin - expectedX) < 1e-12)
    #expect(abs(output[0].keypoints[0].x - expectedX) < 1e-12)
    #expect(abs(output[0].width - 0.2) < 1e-12)
    #expect(output[1].xMin == 0.6)
  }

  @Test func decodingKeepsScoresAboveThresholdRelativeToAnchors() {
    var boxes = [Float](repeating: 0, count: 2254 * 12)
    var scores = [Float](repeating: -10, count: 2254)
    scores[2] = 2  // anchor (1.5/28, 0.5/28)
    boxes[2 * 12 + 0] = 22.4  // x offset 0.1
    boxes[2 * 12 + 2] = 44.8  // width 0.2
    boxes[2 * 12 + 3] = 22.4  // height 0.1
    boxes[2 * 12 + 4] = -11.2  // keypoint 0 x offset -0.05
    scores[7] = 1
    boxes[7 * 12 + 2] = -1  // negative width: dropped
    let detections = PoseDetection.decode(boxes: boxes, scores: scores)
    #expect(detections.count == 1)
    let d = detections[0]
    #expect(abs(d.score - 1 / (1 + exp(-2.0))) < 1e-12)
    #expect(abs(d.xMin - (1.5 / 28 + 0.1 - 0.1)) < 1e-7)
    #expect(abs(d.yMin - (0.5 / 28 - 0.05)) < 1e-7)
    #expect(abs(d.keypoints[0].x - (1.5 / 28 - 0.05)) < 1e-7)
  }

  @Test func projectionRotatesAndScalesOutOfTheCrop() {
    let landmarks = [
      EstimatedLandmark(x: 0.5, y: 0.5, z: 0.1, visibility: 0.9),
      EstimatedLandmark(x: 1, y: 0.5, z: 0, visibility: 0.9),
    ]
    let rect = NormalizedRect(
      xCenter: 0.4, yCenter: 0.6, width: 0.5, height: 1, rotation: Double.pi / 2)
    let projected = LandmarkDecoder.project(landmarks, from: rect)
    #expect(abs(projected[0].x - 0.4) < 1e-12 && abs(projected[0].y - 0.6) < 1e-12)
    #expect(abs(projected[0].z - 0.05) < 1e-12)
    // +x in the crop is +y in the image after a 90° rotation.
    #expect(abs(projected[1].x - 0.4) < 1e-12 && abs(projected[1].y - 1.1) < 1e-12)
    #expect(projected[1].visibility == 0.9)
  }

  @Test func heatmapRefinementMovesToTheWeightedPeak() {
    let size = 64
    let channels = 39
    var heatmap = [Float](repeating: -20, count: size * size * channels)
    // Landmark 3: two confident cells at (row 10, col 20) and (row 10, col 22).
    heatmap[(10 * size + 20) * channels + 3] = 20
    heatmap[(10 * size + 22) * channels + 3] = 20
    var landmarks = [EstimatedLandmark](
      repeating: EstimatedLandmark(x: 0.5, y: 0.5, z: 0, visibility: 1), count: channels)
    landmarks[3] = EstimatedLandmark(x: 21.5 / 64, y: 10.2 / 64, z: 0, visibility: 1)
    landmarks[4] = EstimatedLandmark(x: 1.2, y: 0.5, z: 0, visibility: 1)  // outside: kept
    let refined = LandmarkDecoder.refine(landmarks, heatmap: heatmap)
    #expect(abs(refined[3].x - 21.0 / 64) < 1e-6)
    #expect(abs(refined[3].y - 10.0 / 64) < 1e-6)
    #expect(refined[0] == landmarks[0])  // max confidence < 0.5: unchanged
    #expect(refined[4] == landmarks[4])
  }

  /// Values from ref_pipeline.OneEuro(0.05, 80, 1.0) with value scale 1/200.
  @Test(arguments: [
    (
      [0.0, 1, 2, 3, 4].map { ($0 + 1) * 0.033333 },
      [100.0, 100.3082905748609, 101.79875718871997, 102.40758956362365, 108.44993298531415]
    ),
    (
      [0, 0.066667, 0.133333, 0.2, 0.266667],
      [100.0, 100.43275643101829, 102.1521038679722, 102.6518373955426, 108.98105728806125]
    ),
  ])
  func oneEuroFilterMatchesTheReference(times: [Double], expected: [Double]) {
    var filter = OneEuroFilter(LandmarkSmoother.pose)
    let inputs = [100.0, 101, 103, 103, 110]
    for (i, (input, time)) in zip(inputs, times).enumerated() {
      let output = filter.filter(input, at: time, valueScale: 1 / 200)
      #expect(abs(output - expected[i]) < 1e-6, "sample \(i)")
    }
    // A timestamp that does not advance passes the input through.
    #expect(filter.filter(50, at: times[4], valueScale: 1 / 200) == 50)
  }

  @Test func trackerUsesTheDetectorUntilItHasLandmarksAndAfterLosingThem() {
    var tracker = PoseTracker(mode: .tracking)
    #expect(tracker.regionForNextFrame == nil)
    var landmarks = [EstimatedLandmark](
      repeating: EstimatedLandmark(x: 0.5, y: 0.5, z: 0, visibility: 0.5), count: 39)
    landmarks[34] = EstimatedLandmark(x: 0.5, y: 0.25, z: 0, visibility: 1)
    let first = tracker.update(landmarks, at: 0, imageWidth: 200, imageHeight: 200)
    #expect(first.count == 33)
    let region = tracker.regionForNextFrame
    #expect(region.map { abs($0.width - 0.625) < 1e-9 && abs($0.rotation) < 1e-9 } == true)
    // Smoothing: a jump is followed only partly.
    landmarks[0].x = 0.6
    let second = tracker.update(landmarks, at: 1.0 / 30, imageWidth: 200, imageHeight: 200)
    #expect(second[0].x > 0.5 && second[0].x < 0.6)
    #expect(second[0].visibility == 0.5)
    tracker.lose()
    #expect(tracker.regionForNextFrame == nil)
    // After a loss the filters start again: the first value passes through.
    let third = tracker.update(landmarks, at: 2.0 / 30, imageWidth: 200, imageHeight: 200)
    #expect(third[0].x == 0.6)
  }

  @Test func staticTrackerNeverTracksOrSmooths() {
    var tracker = PoseTracker(mode: .static)
    var landmarks = [EstimatedLandmark](
      repeating: EstimatedLandmark(x: 0.5, y: 0.5, z: 0, visibility: 0.5), count: 39)
    landmarks[34].y = 0.25
    _ = tracker.update(landmarks, at: 0, imageWidth: 200, imageHeight: 200)
    #expect(tracker.regionForNextFrame == nil)
    landmarks[0].x = 0.6
    #expect(tracker.update(landmarks, at: 0.1, imageWidth: 200, imageHeight: 200)[0].x == 0.6)
  }

  @Test func cropSamplesWithReplicateOrZeroBorder() throws {
    // 2 × 1 image: a red and a blue pixel.
    let image = try #require(RGBImage(width: 2, height: 1, pixels: [255, 0, 0, 0, 0, 255]))
    // A 4-pixel-wide box centred on the image: output pixel x samples source x - 1.5.
    let crop = ImageCrop(centerX: 0.5, centerY: 0, width: 4, height: 4, rotation: 0)
    let kernels = PoseInstructionSet.fastest.kernels
    let replicate = crop.tensor(
      from: image, size: 4, border: .replicate, low: 0, high: 1, kernels: kernels)
    let zero = crop.tensor(from: image, size: 4, border: .zero, low: 0, high: 1, kernels: kernels)
    // Output (x 0, y 2) samples (-1.5, 0): replicate → red, zero → black.
    let index = (2 * 4 + 0) * 3
    #expect(replicate[index] == 1 && replicate[index + 2] == 0)
    #expect(zero[index] == 0 && zero[index + 2] == 0)
    // Output (x 2, y 2) samples (0.5, 0): half red, half blue.
    let middle = (2 * 4 + 2) * 3
    #expect(
      abs(replicate[middle] - 128 / 255) < 1e-6 && abs(replicate[middle + 2] - 128 / 255) < 1e-6)
  }
}

/// What scripts/pose-stage-dump.py writes.
struct PipelineFixture: Decodable {
  struct Detection: Decodable {
    var score: Double
    var box: [Double]
    var keypoints: [[Double]]
  }

  struct TensorSample: Decodable {
    var sum: Double
    var indices: [Int]
    var values: [Double]
  }

  struct Frame: Decodable {
    var frame: String
    var width: Int
    var height: Int
    var detected: Bool
    var presence: Double?
    var roi: [Double]?
    var pose: [[Double]]?
    var aux: [[Double]]?
    var letterboxPadding: [Double]?
    var detectionsAboveThreshold: Int?
    var detections: [Detection]?
    var rawLandmarks: [[Double]]?
    var detectorInput: TensorSample?
    var landmarkInput: TensorSample?
  }

  var `static`: Bool
  var frames: [Frame]

  static func load(_ name: String) throws -> PipelineFixture {
    let url = PoseTestResources.packageRoot.appendingPathComponent(
      "Tests/PoseEstimationTests/Fixtures/pipeline/\(name).json")
    return try snakeCaseDecoder.decode(PipelineFixture.self, from: Data(contentsOf: url))
  }
}
