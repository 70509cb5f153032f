extension WorkoutDetails {
  /// The counted exercise's counting signal over time, downsampled for storage: the gauge a
  /// counter thresholds (``RepTrace/Gauge``) and the lines it must cross, as levels `0...100`
  /// (`0` the bottom of the gauge, `100` the top) at ``rate`` samples per second.
  ///
  /// Sample `i` covers the seconds of input `start + i / rate ..< start + (i + 1) / rate`: its
  /// value is the mean of the gauge over the frames in it, each line the last one shown in it.
  /// A sample is `null` where the counter showed no gauge (no pose, another exercise) and a line
  /// is `null` where crossing it changed nothing. Stored as
  /// `{"rate":10,"start":0,"value":[…],"low":[[n,level],…],"high":[[n,level],…]}`: the lines,
  /// which hold still for many samples, as runs of `n` samples at one level (or `null`).
  /// Absent from workouts recorded before signals were stored and from manual entries.
  public struct Signal: Codable, Sendable, Equatable {
    /// The top level: a gauge of 1.
    public static let topLevel = 100

    /// Samples per second (10, halved for each doubling past ``SignalRecorder``'s capacity).
    public var rate: Double
    /// Seconds of input at the start of the first sample (three decimals).
    public var start: Double
    /// The gauge per sample, `0...100`.
    public var value: [Int?]
    /// The line falling below which changes the phase, per sample, `0...100`.
    public var low: [Int?]
    /// The line climbing above which changes the phase, per sample, `0...100`.
    public var high: [Int?]

    /// Makes a signal; `value`, `low` and `high` have one entry per sample.
    public init(rate: Double, start: Double, value: [Int?], low: [Int?], high: [Int?]) {
      self.rate = rate
      self.start = start
      self.value = value
      self.low = low
      self.high = high
    }

    /// The number of samples.
    public var count: Int { value.count }

    /// Seconds of input the samples cover.
    public var duration: Double { Double(count) / rate }

    private enum CodingKeys: String, CodingKey {
      case rate, start, value, low, high
    }

    /// Reads a stored signal, checking what a chart relies on: a positive finite rate, a finite
    /// start, at least one sample, three series of one length and levels in `0...100`.
    public init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      rate = try container.decode(Double.self, forKey: .rate)
      start = try container.decode(Double.self, forKey: .start)
      value = try container.decode([Int?].self, forKey: .value)
      low = try Self.expand(container.decode([Run].self, forKey: .low), in: container)
      high = try Self.expand(container.decode([Run].self, forKey: .high), in: container)
      guard rate.isFinite, rate > 0, start.isFinite else {
        throw DecodingError.dataCorruptedError(
          forKey: .rate, in: container, debugDescription: "rate and start must be finite")
      }
      guard !value.isEmpty, low.count == value.count, high.count == value.count else {
        throw DecodingError.dataCorruptedError(
          forKey: .value, in: container,
          debugDescription: "value, low and high must hold the same samples")
      }
      let levels = 0...Self.topLevel
      for series in [value, low, high]
      where series.contains(where: { $0.map(levels.contains) == false }) {
        throw DecodingError.dataCorruptedError(
          forKey: .value, in: container, debugDescription: "levels must be 0...100")
      }
    }

    public func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(rate, forKey: .rate)
      try container.encode(start, forKey: .start)
      try container.encode(value, forKey: .value)
      try container.encode(Self.runs(low), forKey: .low)
      try container.encode(Self.runs(high), forKey: .high)
    }

    /// `n` samples at one level: `[n, level]` in the stored text.
    private struct Run: Codable {
      var samples: Int
      var level: Int?

      init(samples: Int, level: Int?) {
        self.samples = samples
        self.level = level
      }

      init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        samples = try container.decode(Int.self)
        level = try container.decodeNil() ? nil : container.decode(Int.self)
        guard container.isAtEnd else {
          throw DecodingError.dataCorruptedError(
            in: container, debugDescription: "a run is [samples, level]")
        }
      }

      func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(samples)
        if let level { try container.encode(level) } else { try container.encodeNil() }
      }
    }

    /// `levels` as runs of equal levels.
    private static func runs(_ levels: [Int?]) -> [Run] {
      var runs: [Run] = []
      for level in levels {
        if let last = runs.last, last.level == level {
          runs[runs.count - 1].samples += 1
        } else {
          runs.append(Run(samples: 1, level: level))
        }
      }
      return runs
    }

    /// The levels of `runs`, each run at least one sample and all of them at most 10⁷.
    private static func expand(
      _ runs: [Run], in container: KeyedDecodingContainer<CodingKeys>
    ) throws -> [Int?] {
      var levels: [Int?] = []
      for run in runs {
        guard run.samples > 0, run.samples <= 10_000_000 - levels.count else {
          throw DecodingError.dataCorruptedError(
            forKey: .low, in: container, debugDescription: "a run's samples are out of range")
        }
        levels.append(contentsOf: repeatElement(run.level, count: run.samples))
      }
      return levels
    }

    /// The stored text's object, members in declared order.
    var json: OrderedJSON.Value {
      func level(_ level: Int?) -> OrderedJSON.Value { level.map { .integer($0) } ?? .null }
      func runs(_ levels: [Int?]) -> OrderedJSON.Value {
        .array(Self.runs(levels).map { .array([.integer($0.samples), level($0.level)]) })
      }
      return .object([
        (CodingKeys.rate.rawValue, .number(rate)), (CodingKeys.start.rawValue, .number(start)),
        (CodingKeys.value.rawValue, .array(value.map(level))),
        (CodingKeys.low.rawValue, runs(low)), (CodingKeys.high.rawValue, runs(high)),
      ])
    }
  }
}
