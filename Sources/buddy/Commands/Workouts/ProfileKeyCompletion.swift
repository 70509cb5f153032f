import Foundation
import WorkoutStore

/// The keys of `buddy profile set` and their shell completion: a key where a key goes, and
/// after a key the values it takes (week days, time zone names).
enum ProfileKeyCompletion {
  /// Every key `profile set` accepts, in the order help lists them.
  static let keys = ["weight-kg", "time-zone", "week-start", "keep-landmarks"]

  /// The keys as prose: `weight-kg, time-zone, week-start`.
  static var listed: String { keys.joined(separator: ", ") }

  /// Candidates for the word at `index` of `words` (the shell's words of the command line):
  /// the values of the key before it, else the keys. The shell keeps those starting with
  /// `prefix`.
  static func candidates(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
    let previous = index > 0 && index <= words.count ? words[index - 1] : ""
    let found: [String]
    switch previous {
    case "week-start": found = UserSettings.WeekStart.allCases.map(\.rawValue)
    case "time-zone": found = TimeZone.knownTimeZoneIdentifiers.sorted()
    case "weight-kg": found = []
    case "keep-landmarks": found = ["true", "false"]
    default: found = keys
    }
    return found.filter { $0.hasPrefix(prefix) }
  }
}
