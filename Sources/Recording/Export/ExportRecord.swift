public import Foundation
import PoseInput
import RepCounting
public import WorkoutStore

/// One workout in an export file: everything stored about it, as one line of JSON Lines.
///
/// ```
/// {"format":"buddy-workout/1","id":"…","exercise_type":"push-up","reps_count":12,
///  "duration_seconds":40,"calories_burned":4.2,"created_at":"2026-11-20T07:30:00+01:00",
///  "kind":"counted","source_digest":"9f…","details":{…}}
/// ```
///
/// `id` names the workout in the database it came from and is ignored on import (ids belong to
/// a database). `created_at` has microseconds when they are not zero. `kind` is `manual` for
/// entries typed in (`details` null or `{"source": "manual"}`), `counted` otherwise.
/// `details` is the stored object as the database printed it.
public struct ExportRecord: Sendable, Equatable {
  /// The value of every line's `format` member.
  public static let format = "buddy-workout/1"
  /// What every export line starts with (the sniffing rule of `import`).
  public static let linePrefix = JSONFileContent.workoutExportPrefix

  /// How the workout was made.
  public enum Kind: String, Sendable {
    case counted, manual
  }

  public var id: UUID?
  public var exerciseType: String
  public var reps: Int
  public var durationSeconds: Int
  public var caloriesBurned: Double?
  /// Microseconds since 1970-01-01 UTC.
  public var createdAtMicroseconds: Int64
  public var kind: Kind
  public var sourceDigest: [UInt8]?
  /// The `details` object's JSON text, if any.
  public var details: String?

  /// The record of a stored workout; nil when its date is outside the years 1900–9999 (which
  /// the database refuses to store in the first place).
  public init?(_ workout: StoredWorkout) {
    guard let micros = ExportTimestamp.microseconds(workout.createdAt) else { return nil }
    id = workout.id
    exerciseType = workout.exerciseType
    reps = workout.reps
    durationSeconds = workout.durationSeconds
    caloriesBurned = workout.caloriesBurned
    createdAtMicroseconds = micros
    kind = Self.kind(ofDetails: workout.details)
    sourceDigest = workout.sourceDigest
    details = workout.details
  }

  /// `manual` when `details` is absent or its `source` is the string `manual`.
  static func kind(ofDetails details: String?) -> Kind {
    guard let details else { return .manual }
    let source = (try? JSONMembers(details))?.values["source"]
    return source.flatMap { JSONMembers.string($0) } == "manual" ? .manual : .counted
  }

  /// The one line (without its newline) for this workout, the time in `zone`.
  public func jsonLine(in zone: TimeZone) -> String {
    OrderedJSON.text(
      .object(
        members(
          time: ExportTimestamp.text(
            microseconds: createdAtMicroseconds, in: zone), id: true, digest: true)))
  }

  /// The time in `zone`, as in the JSON line.
  public func createdAtText(in zone: TimeZone) -> String {
    ExportTimestamp.text(microseconds: createdAtMicroseconds, in: zone)
  }

  /// SHA-256 of the record's canonical form: the JSON line without `id` and `source_digest`,
  /// the time in UTC with six fraction digits and `Z`. What a restored manual entry is known by,
  /// so importing the same record twice stores it once.
  public var canonicalDigest: [UInt8] {
    let time = ExportTimestamp.canonicalText(microseconds: createdAtMicroseconds)
    return SHA256.hash(
      Array(OrderedJSON.text(.object(members(time: time, id: false, digest: false))).utf8))
  }

  private func members(time: String, id includeID: Bool, digest includeDigest: Bool)
    -> [(String, OrderedJSON.Value)]
  {
    var members: [(String, OrderedJSON.Value)] = [("format", .string(Self.format))]
    if includeID { members.append(("id", id.map { .string($0.uuidString.lowercased()) } ?? .null)) }
    members += [
      ("exercise_type", .string(exerciseType)), ("reps_count", .integer(reps)),
      ("duration_seconds", .integer(durationSeconds)),
      ("calories_burned", caloriesBurned.map { .number($0) } ?? .null),
      ("created_at", .string(time)), ("kind", .string(kind.rawValue)),
    ]
    if includeDigest {
      members.append(("source_digest", sourceDigest.map { .string(SHA256.hex($0)) } ?? .null))
    }
    members.append(("details", details.map { .raw($0) } ?? .null))
    return members
  }

  /// The workout to store: new id, the exported digest or else ``canonicalDigest``.
  /// Throws `WorkoutError.unknownExercise` for an exercise this binary does not know and
  /// `WorkoutError.invalidValue` for values no workout can have.
  public func restoredWorkout() throws -> NewWorkout {
    guard let exercise = Exercise(name: exerciseType) else {
      throw WorkoutError.unknownExercise(exerciseType)
    }
    let workout = NewWorkout(
      exerciseType: exercise, reps: reps, durationSeconds: durationSeconds,
      caloriesBurned: caloriesBurned,
      createdAt: ExportTimestamp.date(microseconds: createdAtMicroseconds), details: details,
      sourceDigest: sourceDigest ?? canonicalDigest)
    try workout.validate()
    return workout
  }
}
