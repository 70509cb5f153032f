import RepCounting

/// Why a workout operation was refused.
public enum WorkoutError: Error, Equatable, CustomStringConvertible, Sendable {
  /// No workout with that id (or prefix) belongs to this user.
  case notFound(String)
  /// The prefix matches several of the user's workouts (their full ids).
  case ambiguous(String, candidates: [String])
  /// An id prefix must have at least 8 hex digits.
  case prefixTooShort(String)
  /// The exercise is not one the schema accepts.
  case unknownExercise(String)
  /// A value is out of range (negative reps, …).
  case invalidValue(String)

  public var description: String {
    switch self {
    case .notFound(let id): return "no workout \(id) (see `buddy history`)"
    case .ambiguous(let prefix, let candidates):
      return "\(prefix) matches \(candidates.count) workouts: \(candidates.joined(separator: ", "))"
    case .prefixTooShort(let prefix):
      return "\(prefix) is too short: give the full id or at least its first 8 hex digits"
    case .unknownExercise(let name):
      return "unknown exercise \"\(name)\" (known: \(Exercise.names))"
    case .invalidValue(let reason): return reason
    }
  }
}
