internal import Foundation
import WorkoutStore

extension ExportRecord {
  /// Why an export line cannot be read (the caller adds the file and line).
  public struct LineError: Error, CustomStringConvertible, Sendable {
    public var description: String
  }

  private static let members: Set<String> = [
    "format", "id", "exercise_type", "reps_count", "duration_seconds", "calories_burned",
    "created_at", "kind", "source_digest", "details",
  ]

  /// Reads one line of an export file: a JSON object with exactly the members ``jsonLine(in:)``
  /// writes (`id`, `calories_burned`, `source_digest` and `details` may be null or absent).
  /// Every value is checked for its type and range; `details` is kept as the exact text.
  public init(line: String) throws(LineError) {
    let object: JSONMembers
    do {
      object = try JSONMembers(line)
    } catch {
      throw LineError(description: error.reason)
    }
    if let unknown = object.names.first(where: { !Self.members.contains($0) }) {
      throw LineError(description: "unknown member \"\(unknown)\"")
    }
    func raw(_ name: String) -> String? {
      guard let value = object.values[name], value != "null" else { return nil }
      return value
    }
    func required(_ name: String) throws(LineError) -> String {
      guard let value = raw(name) else { throw LineError(description: "\(name) is missing") }
      return value
    }
    func string(_ name: String) throws(LineError) -> String {
      guard let text = JSONMembers.string(try required(name)) else {
        throw LineError(description: "\(name) must be a string")
      }
      return text
    }
    func integer(_ name: String, _ range: ClosedRange<Int>) throws(LineError) -> Int {
      let text = try required(name)
      guard let value = Int(text), range.contains(value) else {
        throw LineError(
          description:
            "\(name) must be a whole number \(range.lowerBound) to \(range.upperBound) (got \(text))"
        )
      }
      return value
    }

    let format = try string("format")
    guard format == Self.format else {
      throw LineError(
        description: format.hasPrefix("buddy-workout/")
          ? "format \"\(format)\" is newer than this buddy reads (\(Self.format))"
          : "format must be \"\(Self.format)\" (got \"\(format)\")")
    }
    if raw("id") != nil {
      guard let id = UUID(uuidString: try string("id")) else {
        throw LineError(description: "id must be a UUID")
      }
      self.id = id
    } else {
      id = nil
    }
    exerciseType = try string("exercise_type")
    reps = try integer("reps_count", 0...NewWorkout.maximumReps)
    durationSeconds = try integer("duration_seconds", 0...NewWorkout.maximumDurationSeconds)
    if let text = raw("calories_burned") {
      guard let calories = Double(text), calories.isFinite, calories >= 0, calories <= 1_000_000
      else {
        throw LineError(description: "calories_burned must be a number 0 to 1000000 (got \(text))")
      }
      caloriesBurned = calories
    } else {
      caloriesBurned = nil
    }
    let time = try string("created_at")
    guard let micros = ExportTimestamp.parse(time) else {
      throw LineError(
        description: "created_at must be ISO 8601 with an offset, e.g. 2026-11-20T07:30:00+01:00, "
          + "in the years 1900 to 9999 (got \"\(time)\")")
    }
    createdAtMicroseconds = micros
    let kindName = try string("kind")
    guard let kind = Kind(rawValue: kindName) else {
      throw LineError(description: "kind must be \"counted\" or \"manual\" (got \"\(kindName)\")")
    }
    self.kind = kind
    if raw("source_digest") != nil {
      let hex = try string("source_digest")
      guard let digest = Self.digest(hex: hex) else {
        throw LineError(description: "source_digest must be 64 hex digits (SHA-256)")
      }
      sourceDigest = digest
    } else {
      sourceDigest = nil
    }
    if let details = raw("details") {
      guard details.first == "{" else { throw LineError(description: "details must be an object") }
      self.details = details
    } else {
      details = nil
    }
    guard Self.kind(ofDetails: details) == kind else {
      throw LineError(
        description: kind == .manual
          ? "kind is \"manual\" but details describe a counted session"
          : "kind is \"counted\" but details are those of a manual entry")
    }
  }

  private static func digest(hex: String) -> [UInt8]? {
    let digits = Array(hex.utf8)
    guard digits.count == 64, hex.allSatisfy(\.isHexDigit) else { return nil }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(32)
    for pair in stride(from: 0, to: 64, by: 2) {
      guard let byte = UInt8(String(decoding: digits[pair..<pair + 2], as: UTF8.self), radix: 16)
      else { return nil }
      bytes.append(byte)
    }
    return bytes
  }
}
