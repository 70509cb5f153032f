#if canImport(Glibc)
internal import Glibc
#endif

/// Turns the landmark model's outputs into landmarks in the image (spec §d.8–§d.10).
enum LandmarkDecoder {
  /// Landmarks the model outputs: the 33 pose landmarks, 2 auxiliary ROI points, 4 unused.
  static let modelLandmarkCount = 39
  /// The pose landmarks (MediaPipe-33).
  static let poseLandmarkCount = 33
  /// Side of the landmark model's input crop.
  static let inputSize = 256
  /// Side of the heatmap output.
  static let heatmapSize = 64
  /// Heatmap refinement window; mediapipe 0.10.14 behaves as 9 although the graph says 7.
  static let refinementKernel = 9
  /// `min_confidence_to_refine`.
  static let refinementMinConfidence = 0.5

  /// Decodes `Identity` ([1, 195]: 39 × x, y, z, visibility logit, presence logit in crop
  /// pixels) into normalised crop coordinates.
  static func decode(_ raw: [Float]) -> [EstimatedLandmark] {
    let size = Double(inputSize)
    return (0..<modelLandmarkCount).map { i in
      let base = i * 5
      guard base + 4 < raw.count else {
        return EstimatedLandmark(x: 0, y: 0, z: 0, visibility: 0, presence: 0)
      }
      return EstimatedLandmark(
        x: Double(raw[base]) / size, y: Double(raw[base + 1]) / size,
        z: Double(raw[base + 2]) / size, visibility: sigmoid(Double(raw[base + 3])),
        presence: sigmoid(Double(raw[base + 4])))
    }
  }

  /// Moves each landmark to the confidence-weighted centre of the heatmap window around it
  /// (`RefineLandmarksFromHeatmapCalculator`, spec §d.9). `heatmap` is `Identity_3`
  /// ([1, 64, 64, 39] logits).
  static func refine<Heatmap: RandomAccessCollection<Float>>(
    _ landmarks: [EstimatedLandmark], heatmap: Heatmap
  ) -> [EstimatedLandmark] where Heatmap.Index == Int {
    let size = heatmapSize
    let channels = modelLandmarkCount
    guard heatmap.count == size * size * channels else { return landmarks }
    let start = heatmap.startIndex
    return refine(landmarks) { channel, rows, columns, values in
      var target = values
      for r in rows {
        for c in columns {
          target.pointee = heatmap[start + (r * size + c) * channels + channel]
          target += 1
        }
      }
    }
  }

  /// ``refine(_:heatmap:)`` with the heatmap computed only where the refinement reads it
  /// (the landmark executor's deferred `Identity_3`): the same landmarks, bit for bit.
  static func refine(_ landmarks: [EstimatedLandmark], heatmap: DeferredPointwiseOutput)
    -> [EstimatedLandmark]
  {
    guard heatmap.width == heatmapSize, heatmap.height == heatmapSize,
      heatmap.channels == modelLandmarkCount
    else { return landmarks }
    return refine(landmarks) { channel, rows, columns, values in
      heatmap.window(channel: channel, rows: rows, columns: columns, into: values)
    }
  }

  /// The refinement, reading each landmark's window of heatmap logits through `window`
  /// (channel, rows, columns, and where to put them row by row).
  private static func refine(
    _ landmarks: [EstimatedLandmark],
    window: (Int, Range<Int>, Range<Int>, UnsafeMutablePointer<Float>) -> Void
  ) -> [EstimatedLandmark] {
    let size = heatmapSize
    let channels = modelLandmarkCount
    let offset = (refinementKernel - 1) / 2
    var refined = landmarks
    withUnsafeTemporaryAllocation(of: Float.self, capacity: refinementKernel * refinementKernel) {
      buffer in
      guard let values = buffer.baseAddress else { return }
      for i in landmarks.indices where i < channels {
        let scaledX = landmarks[i].x * Double(size)
        let scaledY = landmarks[i].y * Double(size)
        // C++ float → int truncates toward zero, so (-1, 0) maps to column 0.
        guard scaledX > -1, scaledX < Double(size), scaledY > -1, scaledY < Double(size) else {
          continue
        }
        let column = Int(scaledX)
        let row = Int(scaledY)
        let rows = max(0, row - offset)..<min(size, row + offset + 1)
        let columns = max(0, column - offset)..<min(size, column + offset + 1)
        window(i, rows, columns, values)
        var sum = 0.0
        var maxConfidence = 0.0
        var weightedX = 0.0
        var weightedY = 0.0
        var index = 0
        for r in rows {
          for c in columns {
            let confidence = sigmoid(Double(values[index]))
            index += 1
            sum += confidence
            maxConfidence = max(maxConfidence, confidence)
            weightedX += Double(c) * confidence
            weightedY += Double(r) * confidence
          }
        }
        if maxConfidence >= refinementMinConfidence && sum > 0 {
          refined[i].x = weightedX / Double(size) / sum
          refined[i].y = weightedY / Double(size) / sum
        }
      }
    }
    return refined
  }

  /// Maps landmarks from the crop of `rect` to the image (`LandmarkProjectionCalculator`,
  /// spec §d.10).
  static func project(_ landmarks: [EstimatedLandmark], from rect: NormalizedRect)
    -> [EstimatedLandmark]
  {
    let cosine = cos(rect.rotation)
    let sine = sin(rect.rotation)
    return landmarks.map { landmark in
      let dx = landmark.x - 0.5
      let dy = landmark.y - 0.5
      var projected = landmark
      projected.x = (cosine * dx - sine * dy) * rect.width + rect.xCenter
      projected.y = (sine * dx + cosine * dy) * rect.height + rect.yCenter
      projected.z = landmark.z * rect.width
      return projected
    }
  }

  static func sigmoid(_ value: Double) -> Double {
    1 / (1 + exp(-value))
  }
}
