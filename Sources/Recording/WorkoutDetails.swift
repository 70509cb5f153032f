internal import Foundation
import RepCounting

/// The `details` object stored with a counted workout: where it came from, what the counter
/// found and every repetition's timing.
///
/// Its own type, so that what is stored never follows a change to what `buddy count` prints.
/// ``jsonText`` is the text stored (members in the order declared here, numbers as rows stored
/// by earlier versions hold them); `Codable` reads those rows back and round-trips.
public struct WorkoutDetails: Codable, Sendable, Equatable {
  /// The input the session was counted from.
  public struct Source: Codable, Sendable, Equatable {
    /// The input's name as the user gave it (`<stdin>` for standard input).
    public var name: String
    /// What the input was: `document`, `jsonl`, `array`, `jpeg`, `jpeg-directory`, `mjpeg`,
    /// `video`.
    public var format: String

    /// Makes a source description.
    public init(name: String, format: String) {
      self.name = name
      self.format = format
    }
  }

  /// What exercise detection concluded.
  public struct Detected: Codable, Sendable, Equatable {
    /// An exercise's name, or `none`.
    public var exercise: String
    /// 0–1, two decimals.
    public var confidence: Double

    /// Makes a detection result.
    public init(exercise: String, confidence: Double) {
      self.exercise = exercise
      self.confidence = confidence
    }
  }

  /// Another exercise counted in the same (mixed) session.
  public struct OtherExercise: Codable, Sendable, Equatable {
    public var exercise: String
    public var reps: Int

    /// Makes an entry.
    public init(exercise: String, reps: Int) {
      self.exercise = exercise
      self.reps = reps
    }
  }

  /// One repetition: the fields its exercise reports (``Exercise/repFields``: push-ups start,
  /// bottom, end, depth angle; jump rope landing, take-off, apex; squats also the depth), in
  /// seconds of input (three decimals) or degrees (one decimal).
  public struct RepetitionDetail: Codable, Sendable, Equatable {
    /// The values by field; a field the counter did not measure is absent.
    public var values: [RepField: Double]

    /// The detail of `repetition` for `exercise`, rounded as stored.
    public init(_ repetition: Repetition, exercise: Exercise?) {
      var values: [RepField: Double] = [:]
      for field in exercise?.repFields ?? [.start, .bottom, .end] {
        if let value = field.value(of: repetition) {
          values[field] = rounded(value, places: field.places)
        }
      }
      self.values = values
    }

    /// Makes a detail from its values.
    public init(values: [RepField: Double]) {
      self.values = values
    }

    fileprivate struct FieldKey: CodingKey {
      var field: RepField
      var stringValue: String { field.key }
      var intValue: Int? { nil }
      init(_ field: RepField) { self.field = field }
      init?(stringValue: String) {
        guard let field = RepField(rawValue: stringValue) else { return nil }
        self.field = field
      }
      init?(intValue: Int) { nil }
    }

    /// Reads every known field present (unknown keys are ignored).
    public init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: FieldKey.self)
      var values: [RepField: Double] = [:]
      for field in RepField.allCases where container.contains(FieldKey(field)) {
        values[field] = try container.decodeNumber(FieldKey(field))
      }
      self.values = values
    }

    public func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: FieldKey.self)
      for (field, value) in members { try container.encodeNumber(value, forKey: FieldKey(field)) }
    }

    /// The members in stored order: ``RepField`` order, which is every exercise's own order.
    fileprivate var members: [(RepField, Double)] {
      RepField.allCases.compactMap { field in values[field].map { (field, $0) } }
    }

    fileprivate var json: OrderedJSON.Value {
      .object(members.map { ($0.0.key, .number($0.1)) })
    }
  }

  public var source: Source
  /// The exercise counted (`none` when detection found neither).
  public var exercise: String
  /// What exercise detection concluded (absent when the exercise was named).
  public var detected: Detected?
  public var reps: Int
  public var partialReps: Int
  /// Seconds from the first rep's start to the last rep's end (three decimals).
  public var durationSeconds: Double
  /// Seconds from the first frame to the last (three decimals).
  public var clipSeconds: Double
  /// Reps per minute over the active duration (one decimal).
  public var cadencePerMinute: Double
  /// 0–1 (two decimals): how much to trust the count.
  public var confidence: Double
  public var frames: Int
  public var framesWithPose: Int
  /// The counter's engine version, e.g. `push-up/3`.
  public var engineVersion: String
  public var repsDetail: [RepetitionDetail]
  public var partialRepsDetail: [RepetitionDetail]
  public var otherExercises: [OtherExercise]
  /// Warnings about the input, e.g. a frame rate too low for the exercise.
  public var notes: [String]
  /// The counting signal over time (``Signal``); nil for workouts recorded before it was
  /// stored, and absent from their text.
  public var signal: Signal?

  /// The details of a session counted from the input `sourceName` of kind `sourceKind`
  /// (`document`, `jsonl`, `jpeg-directory`, …), rounded as they are stored.
  public init(summary: SessionSummary, sourceName: String, sourceKind: String) {
    source = Source(name: sourceName, format: sourceKind)
    exercise = summary.exerciseName
    detected = summary.detected.map {
      Detected(exercise: $0.exercise?.name ?? "none", confidence: rounded($0.confidence, places: 2))
    }
    reps = summary.reps
    partialReps = summary.partialReps
    durationSeconds = rounded(summary.activeDuration)
    clipSeconds = rounded(summary.statistics.duration)
    cadencePerMinute = rounded(summary.cadence, places: 1)
    confidence = rounded(summary.confidence, places: 2)
    frames = summary.statistics.frames
    framesWithPose = summary.statistics.framesWithPose
    engineVersion = summary.engineVersion
    repsDetail = summary.repetitions.map { RepetitionDetail($0, exercise: summary.exercise) }
    partialRepsDetail = summary.partials.map { RepetitionDetail($0, exercise: summary.exercise) }
    otherExercises = summary.otherExercises.map {
      OtherExercise(exercise: $0.exercise.name, reps: $0.reps)
    }
    notes = summary.notes
  }

  /// Reads details stored as JSON text (a row's `details`).
  public init(jsonText: String) throws {
    self = try JSONDecoder().decode(Self.self, from: Data(jsonText.utf8))
  }

  /// The compact JSON text stored in the `details` column.
  public var jsonText: String {
    var members: [(String, OrderedJSON.Value)] = [
      (
        CodingKeys.source.rawValue,
        .object([("name", .string(source.name)), ("format", .string(source.format))])
      ),
      (CodingKeys.exercise.rawValue, .string(exercise)),
    ]
    if let detected {
      members.append(
        (
          CodingKeys.detected.rawValue,
          .object([
            ("exercise", .string(detected.exercise)), ("confidence", .number(detected.confidence)),
          ])
        ))
    }
    members += [
      (CodingKeys.reps.rawValue, .integer(reps)),
      (CodingKeys.partialReps.rawValue, .integer(partialReps)),
      (CodingKeys.durationSeconds.rawValue, .number(durationSeconds)),
      (CodingKeys.clipSeconds.rawValue, .number(clipSeconds)),
      (CodingKeys.cadencePerMinute.rawValue, .number(cadencePerMinute)),
      (CodingKeys.confidence.rawValue, .number(confidence)),
      (CodingKeys.frames.rawValue, .integer(frames)),
      (CodingKeys.framesWithPose.rawValue, .integer(framesWithPose)),
      (CodingKeys.engineVersion.rawValue, .string(engineVersion)),
      (CodingKeys.repsDetail.rawValue, .array(repsDetail.map(\.json))),
      (CodingKeys.partialRepsDetail.rawValue, .array(partialRepsDetail.map(\.json))),
      (
        CodingKeys.otherExercises.rawValue,
        .array(
          otherExercises.map {
            .object([("exercise", .string($0.exercise)), ("reps", .integer($0.reps))])
          })
      ),
      (CodingKeys.notes.rawValue, .array(notes.map { .string($0) })),
    ]
    if let signal { members.append((CodingKeys.signal.rawValue, signal.json)) }
    return OrderedJSON.text(.object(members))
  }

  private enum CodingKeys: String, CodingKey {
    case source, exercise, detected, reps
    case partialReps = "partial_reps"
    case durationSeconds = "duration_seconds"
    case clipSeconds = "clip_seconds"
    case cadencePerMinute = "cadence_per_minute"
    case confidence, frames
    case framesWithPose = "frames_with_pose"
    case engineVersion = "engine_version"
    case repsDetail = "reps_detail"
    case partialRepsDetail = "partial_reps_detail"
    case otherExercises = "other_exercises"
    case notes, signal
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    source = try container.decode(Source.self, forKey: .source)
    exercise = try container.decode(String.self, forKey: .exercise)
    detected = try container.decodeIfPresent(Detected.self, forKey: .detected)
    reps = try container.decode(Int.self, forKey: .reps)
    partialReps = try container.decode(Int.self, forKey: .partialReps)
    durationSeconds = try container.decodeNumber(.durationSeconds)
    clipSeconds = try container.decodeNumber(.clipSeconds)
    cadencePerMinute = try container.decodeNumber(.cadencePerMinute)
    confidence = try container.decodeNumber(.confidence)
    frames = try container.decode(Int.self, forKey: .frames)
    framesWithPose = try container.decode(Int.self, forKey: .framesWithPose)
    engineVersion = try container.decode(String.self, forKey: .engineVersion)
    repsDetail = try container.decode([RepetitionDetail].self, forKey: .repsDetail)
    partialRepsDetail = try container.decode([RepetitionDetail].self, forKey: .partialRepsDetail)
    otherExercises = try container.decode([OtherExercise].self, forKey: .otherExercises)
    notes = try container.decode([String].self, forKey: .notes)
    signal = try container.decodeIfPresent(Signal.self, forKey: .signal)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(source, forKey: .source)
    try container.encode(exercise, forKey: .exercise)
    try container.encodeIfPresent(detected, forKey: .detected)
    try container.encode(reps, forKey: .reps)
    try container.encode(partialReps, forKey: .partialReps)
    try container.encodeNumber(durationSeconds, forKey: .durationSeconds)
    try container.encodeNumber(clipSeconds, forKey: .clipSeconds)
    try container.encodeNumber(cadencePerMinute, forKey: .cadencePerMinute)
    try container.encodeNumber(confidence, forKey: .confidence)
    try container.encode(frames, forKey: .frames)
    try container.encode(framesWithPose, forKey: .framesWithPose)
    try container.encode(engineVersion, forKey: .engineVersion)
    try container.encode(repsDetail, forKey: .repsDetail)
    try container.encode(partialRepsDetail, forKey: .partialRepsDetail)
    try container.encode(otherExercises, forKey: .otherExercises)
    try container.encode(notes, forKey: .notes)
    try container.encodeIfPresent(signal, forKey: .signal)
  }
}

extension KeyedEncodingContainer {
  /// Encodes `value`, or `null` when it is not finite (as the stored text has it).
  fileprivate mutating func encodeNumber(_ value: Double, forKey key: Key) throws {
    if value.isFinite { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
  }
}

extension KeyedDecodingContainer {
  /// Decodes a number; `null` (a non-finite value when it was stored) reads as NaN.
  fileprivate func decodeNumber(_ key: Key) throws -> Double {
    try decodeNil(forKey: key) ? .nan : decode(Double.self, forKey: key)
  }
}

/// `value` rounded to `places` decimals, as stored.
private func rounded(_ value: Double, places: Int = 3) -> Double {
  var scale = 1.0
  for _ in 0..<places { scale *= 10 }
  return (value * scale).rounded() / scale
}
