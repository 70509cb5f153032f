import ArgumentParser
import RepCounting

/// An exercise named on the command line (`--exercise push-up`): parsed once, from the
/// catalogue's names.
extension Exercise: ExpressibleByArgument {
  public init?(argument: String) { self.init(name: argument) }

  public static var allValueStrings: [String] { allCases.map(\.name) }
}

/// The value of a counting command's `--exercise`: `auto` (detect it) or one exercise.
enum ExerciseChoice: ExpressibleByArgument, Equatable {
  case auto
  case exercise(Exercise)

  init?(argument: String) {
    if argument == "auto" {
      self = .auto
    } else if let exercise = Exercise(name: argument) {
      self = .exercise(exercise)
    } else {
      return nil
    }
  }

  static var allValueStrings: [String] { ["auto"] + Exercise.allValueStrings }

  /// The help text: `auto (detect it), push-up or jump-rope`.
  static var help: String {
    let names = Exercise.allValueStrings
    let listed =
      names.count > 1
      ? names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "") : names.joined()
    return "The exercise to count: auto (detect it), \(listed)."
  }

  /// The counting mode.
  var mode: CountSession.Mode {
    switch self {
    case .auto: return .auto
    case .exercise(let exercise): return .fixed(exercise)
    }
  }

  /// The exercise named, if one is.
  var exercise: Exercise? {
    if case .exercise(let exercise) = self { return exercise }
    return nil
  }
}
