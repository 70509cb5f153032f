/// An exponential low-pass filter (MediaPipe's `LowPassFilter`): the first value passes
/// through, later values are blended as `alpha · value + (1 − alpha) · previous output`.
struct LowPassFilter: Sendable, Equatable {
  /// Whether a value has been filtered since the last reset.
  private(set) var isInitialized = false
  /// The last raw input.
  private(set) var lastRaw = 0.0
  /// The last output.
  private(set) var lastOutput = 0.0

  /// Filters `value` with weight `alpha` for the new value.
  mutating func filter(_ value: Double, alpha: Double) -> Double {
    let output = isInitialized ? alpha * value + (1 - alpha) * lastOutput : value
    isInitialized = true
    lastRaw = value
    lastOutput = output
    return output
  }
}

/// The one-euro filter of MediaPipe's `OneEuroFilter` (spec §d.13): a low-pass filter whose
/// cutoff rises with the (scaled) speed of the value, so slow motion is smoothed hard and
/// fast motion follows with little lag.
struct OneEuroFilter: Sendable, Equatable {
  /// Parameters of one filter.
  struct Parameters: Sendable, Equatable {
    /// Cutoff frequency in Hz at zero speed.
    var minCutoff: Double
    /// How fast the cutoff rises with speed.
    var beta: Double
    /// Cutoff frequency in Hz of the speed estimate.
    var derivativeCutoff: Double
  }

  let parameters: Parameters
  /// The sampling rate; 30 Hz until two timestamps are known.
  private(set) var frequency = 30.0
  private var value = LowPassFilter()
  private var derivative = LowPassFilter()
  private var lastTime: Double?

  /// A filter with no history.
  init(_ parameters: Parameters) {
    self.parameters = parameters
  }

  /// Filters `input` taken at `time` seconds; `valueScale` converts the value's speed to
  /// the unit the parameters expect (1 / object size in pixels). A timestamp not after the
  /// previous one returns the input unfiltered.
  mutating func filter(_ input: Double, at time: Double, valueScale: Double) -> Double {
    if let lastTime {
      guard time > lastTime else { return input }
      frequency = 1 / (time - lastTime)
    }
    lastTime = time
    let speed = value.isInitialized ? (input - value.lastRaw) * valueScale * frequency : 0
    let smoothedSpeed = derivative.filter(speed, alpha: alpha(cutoff: parameters.derivativeCutoff))
    let cutoff = parameters.minCutoff + parameters.beta * abs(smoothedSpeed)
    return value.filter(input, alpha: alpha(cutoff: cutoff))
  }

  private func alpha(cutoff: Double) -> Double {
    let period = 1 / frequency
    let timeConstant = 1 / (2 * Double.pi * cutoff)
    return 1 / (1 + timeConstant / period)
  }
}

/// Smooths a fixed number of landmarks frame by frame (spec §d.13): visibility with a
/// low-pass filter (α 0.1), x, y and z in pixels with one one-euro filter each.
struct LandmarkSmoother: Sendable, Equatable {
  /// The pose landmarks' parameters (`pose_landmark_filtering.pbtxt`).
  static let pose = OneEuroFilter.Parameters(minCutoff: 0.05, beta: 80, derivativeCutoff: 1)
  /// The auxiliary (ROI) landmarks' parameters.
  static let auxiliary = OneEuroFilter.Parameters(minCutoff: 0.01, beta: 10, derivativeCutoff: 1)
  /// The visibility filter's α.
  static let visibilityAlpha = 0.1

  let parameters: OneEuroFilter.Parameters
  let count: Int
  private var visibility: [LowPassFilter]
  private var coordinates: [OneEuroFilter]

  /// Filters for `count` landmarks with the given one-euro parameters.
  init(count: Int, parameters: OneEuroFilter.Parameters) {
    self.count = count
    self.parameters = parameters
    visibility = Array(repeating: LowPassFilter(), count: count)
    coordinates = Array(repeating: OneEuroFilter(parameters), count: count * 3)
  }

  /// Forgets all history (a frame without a pose).
  mutating func reset() {
    self = LandmarkSmoother(count: count, parameters: parameters)
  }

  /// Smooths `landmarks` (normalised; the first `count` are used) taken at `time` seconds in
  /// an image of `imageWidth × imageHeight` pixels; `objectScale` is the person's size in
  /// pixels.
  mutating func smooth(
    _ landmarks: ArraySlice<EstimatedLandmark>, at time: Double, imageWidth: Double,
    imageHeight: Double, objectScale: Double
  ) -> [EstimatedLandmark] {
    let valueScale = objectScale > 0 ? 1 / objectScale : 1
    var output: [EstimatedLandmark] = []
    output.reserveCapacity(count)
    for (i, landmark) in zip(0..<count, landmarks) {
      var smoothed = landmark
      smoothed.visibility = visibility[i].filter(
        landmark.visibility, alpha: Self.visibilityAlpha)
      smoothed.x =
        coordinates[3 * i].filter(landmark.x * imageWidth, at: time, valueScale: valueScale)
        / imageWidth
      smoothed.y =
        coordinates[3 * i + 1].filter(landmark.y * imageHeight, at: time, valueScale: valueScale)
        / imageHeight
      smoothed.z =
        coordinates[3 * i + 2].filter(landmark.z * imageWidth, at: time, valueScale: valueScale)
        / imageWidth
      output.append(smoothed)
    }
    return output
  }
}
