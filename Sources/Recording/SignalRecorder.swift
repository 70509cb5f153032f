import RepCounting

/// Downsamples the counting signal of a session as it is counted, for
/// ``WorkoutDetails/signal``: feed it every frame's time, traced exercise and gauge, then ask
/// for the ``WorkoutDetails/Signal`` of the exercise counted.
///
/// Frames fall into buckets of `1 / rate` seconds from the first frame's time; a bucket keeps
/// the mean gauge and the last lines shown. Memory and the stored text stay bounded: when a
/// frame would need more than `capacity` buckets, neighbouring buckets merge and the rate halves
/// (10 samples a second covers an hour in 36,000 samples; two hours store 5 a second).
public struct SignalRecorder: Sendable {
  /// Samples per second to start with.
  public static let defaultRate = 10.0
  /// The most samples kept.
  public static let defaultCapacity = 36_000

  /// Samples per second now.
  public private(set) var rate: Double
  private let capacity: Int
  private var start: Double?
  private var buckets: [Bucket] = []

  /// The frames that fell into one sample.
  private struct Bucket: Sendable {
    var sum = 0.0
    var frames = 0
    var low: Double?
    var high: Double?
    var exercise: Exercise?

    /// `self` followed by `later`, as one bucket.
    func merged(with later: Bucket) -> Bucket {
      Bucket(
        sum: sum + later.sum, frames: frames + later.frames, low: later.low ?? low,
        high: later.high ?? high, exercise: later.exercise ?? exercise)
    }
  }

  /// A recorder starting at `rate` samples per second that keeps at most `capacity` (at
  /// least 2) samples.
  public init(rate: Double = defaultRate, capacity: Int = defaultCapacity) {
    self.rate = rate.isFinite && rate > 0 ? rate : Self.defaultRate
    self.capacity = max(2, capacity)
  }

  /// Records one counted frame at `time` (seconds of input): the gauge `exercise`'s counter
  /// showed after it, if any. Frames before the first frame's time, or at a non-finite time,
  /// are ignored.
  public mutating func record(time: Double, exercise: Exercise?, gauge: RepTrace.Gauge?) {
    guard time.isFinite else { return }
    let start = self.start ?? time
    self.start = start
    let offset = time - start
    guard offset >= 0, offset.isFinite else { return }
    while offset * rate >= Double(capacity) { halve() }
    // In 0..<capacity by the loop above: the conversion cannot trap.
    let index = Int(offset * rate)
    if buckets.count <= index {
      buckets.append(contentsOf: repeatElement(Bucket(), count: index + 1 - buckets.count))
    }
    guard let gauge, gauge.value.isFinite else { return }
    buckets[index].sum += gauge.value
    buckets[index].frames += 1
    if let low = gauge.low { buckets[index].low = low }
    if let high = gauge.high { buckets[index].high = high }
    buckets[index].exercise = exercise
  }

  /// The signal of `exercise` as recorded (samples showing another exercise are gaps); nil
  /// when no frame showed its gauge.
  public func signal(for exercise: Exercise?) -> WorkoutDetails.Signal? {
    guard let exercise, let start,
      buckets.contains(where: { $0.frames > 0 && $0.exercise == exercise })
    else { return nil }
    var value: [Int?] = []
    var low: [Int?] = []
    var high: [Int?] = []
    value.reserveCapacity(buckets.count)
    low.reserveCapacity(buckets.count)
    high.reserveCapacity(buckets.count)
    for bucket in buckets {
      guard bucket.frames > 0, bucket.exercise == exercise else {
        value.append(nil)
        low.append(nil)
        high.append(nil)
        continue
      }
      value.append(Self.level(bucket.sum / Double(bucket.frames)))
      low.append(bucket.low.flatMap(Self.level))
      high.append(bucket.high.flatMap(Self.level))
    }
    return WorkoutDetails.Signal(
      rate: rate, start: (start * 1000).rounded() / 1000, value: value, low: low, high: high)
  }

  /// Merges neighbouring buckets: half the samples at half the rate.
  private mutating func halve() {
    var merged: [Bucket] = []
    merged.reserveCapacity(capacity)
    var index = 0
    while index < buckets.count {
      let first = buckets[index]
      merged.append(index + 1 < buckets.count ? first.merged(with: buckets[index + 1]) : first)
      index += 2
    }
    buckets = merged
    rate /= 2
  }

  /// A gauge in `0...1` as a level `0...100` (nil when not finite).
  private static func level(_ gauge: Double) -> Int? {
    guard gauge.isFinite else { return nil }
    // Clamped to 0...100 first: the conversion cannot trap.
    return Int((min(1, max(0, gauge)) * Double(WorkoutDetails.Signal.topLevel)).rounded())
  }
}
