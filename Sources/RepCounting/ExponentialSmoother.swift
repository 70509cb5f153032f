/// A first-order low-pass filter with a time constant in seconds, so it behaves the same at 10,
/// 15, 30 or 60 frames per second.
struct ExponentialSmoother: Equatable {
  /// The time constant in seconds.
  var timeConstant: Double
  /// A gap longer than this (seconds) restarts the filter at the new value.
  var maximumGap: Double
  private(set) var value: Double?
  private var lastTime: Double = 0

  init(timeConstant: Double, maximumGap: Double) {
    self.timeConstant = timeConstant
    self.maximumGap = maximumGap
  }

  /// Feeds `sample` taken at `time` and returns the filtered value.
  mutating func update(_ sample: Double, at time: Double) -> Double {
    guard let previous = value, time - lastTime <= maximumGap else {
      value = sample
      lastTime = time
      return sample
    }
    let elapsed = max(0, time - lastTime)
    // alpha = 1 - exp(-elapsed / timeConstant), with exp from its 4th-order Taylor polynomial
    // (within 0.2 % for the ratios that matter here), which keeps this module free of libm.
    let r = elapsed / timeConstant
    let alpha = 1 - 1 / (1 + r + r * r / 2 + r * r * r / 6 + r * r * r * r / 24)
    let smoothed = previous + min(1, alpha) * (sample - previous)
    value = smoothed
    lastTime = time
    return smoothed
  }

  /// Forgets the history.
  mutating func reset() {
    value = nil
  }
}
