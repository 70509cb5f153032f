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
    /// `push-up`, `jump-rope` or `none`.
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

  /// One repetition's timing, in seconds of input (three decimals), shaped per exercise.
  public enum RepetitionDetail: Codable, Sendable, Equatable {
    /// A push-up: descent start, lowest point, back up, and the smallest elbow angle (degrees,
    /// one decimal).
    case pushUp(start: Double, bottom: Double, end: Double, depthAngle: Double)
    /// A jump: the landing (the rep's time), the take-off and the highest point.
    case jumpRope(landing: Double, takeoff: Double, apex: Double)

    /// The detail of `repetition` for `exercise`: the one place that knows each exercise's
    /// per-rep shape (anything but jump rope, `none` included, has the push-up shape).
    public init(_ repetition: Repetition, exercise: String) {
      switch exercise {
      case Exercise.jumpRope.rawValue:
        self = .jumpRope(
          landing: rounded(repetition.end), takeoff: rounded(repetition.start),
          apex: rounded(repetition.bottom))
      default:
        self = .pushUp(
          start: rounded(repetition.start), bottom: rounded(repetition.bottom),
          end: rounded(repetition.end), depthAngle: rounded(repetition.depthAngle, places: 1))
      }
    }

    fileprivate enum CodingKeys: String, CodingKey {
      case start, bottom, end
      case depthAngle = "depth_angle"
      case landing, takeoff, apex
    }

    /// Reads either shape: an object with `landing` is a jump, any other a push-up.
    public init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      if container.contains(.landing) {
        self = .jumpRope(
          landing: try container.decodeNumber(.landing),
          takeoff: try container.decodeNumber(.takeoff), apex: try container.decodeNumber(.apex))
      } else {
        self = .pushUp(
          start: try container.decodeNumber(.start), bottom: try container.decodeNumber(.bottom),
          end: try container.decodeNumber(.end),
          depthAngle: try container.decodeNumber(.depthAngle))
      }
    }

    public func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      for (key, value) in members { try container.encodeNumber(value, forKey: key) }
    }

    /// The members in stored order.
    fileprivate var members: [(CodingKeys, Double)] {
      switch self {
      case .pushUp(let start, let bottom, let end, let depthAngle):
        return [(.start, start), (.bottom, bottom), (.end, end), (.depthAngle, depthAngle)]
      case .jumpRope(let landing, let takeoff, let apex):
        return [(.landing, landing), (.takeoff, takeoff), (.apex, apex)]
      }
    }

    fileprivate var json: DetailsJSON.Value {
      .object(members.map { ($0.0.stringValue, .number($0.1)) })
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

  /// The details of a session counted from the input `sourceName` of kind `sourceKind`
  /// (`document`, `jsonl`, `jpeg-directory`, …), rounded as they are stored.
  public init(summary: SessionSummary, sourceName: String, sourceKind: String) {
    source = Source(name: sourceName, format: sourceKind)
    exercise = summary.exercise
    detected = summary.detected.map {
      Detected(exercise: $0.exercise, confidence: rounded($0.confidence, places: 2))
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
      OtherExercise(exercise: $0.exercise, reps: $0.reps)
    }
    notes = summary.notes
  }

  /// Reads details stored as JSON text (a row's `details`).
  public init(jsonText: String) throws {
    self = try JSONDecoder().decode(Self.self, from: Data(jsonText.utf8))
  }

  /// The compact JSON text stored in the `details` column.
  public var jsonText: String {
    var members: [(String, DetailsJSON.Value)] = [
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
    return DetailsJSON.text(.object(members))
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
    case notes
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
