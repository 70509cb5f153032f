import Foundation
import WorkoutStore

/// Workouts recorded while the database was unreachable: one JSON file per workout in
/// `$XDG_STATE_HOME/exercise-buddy/outbox/` (default `~/.local/state/…`), written atomically
/// (mode 0600), uploaded by `buddy sync` or quietly by the next command that reaches the database.
enum Outbox {
  /// One pending workout.
  struct Entry: Codable {
    /// The workout, with a client-generated id so that uploading twice stores one row.
    var workout: NewWorkout
    /// The session token (hex) that recorded it: the entry is uploaded with it, so only under
    /// the user that session belongs to and only while the database accepts the session. The
    /// file is mode 0600, like the session file.
    var token: String?
    /// SHA-256 (hex) of that token, as entries written before schema v2 kept it: such an entry
    /// is uploaded only with the session file's token when that token has this digest (a hash is
    /// never a credential).
    var tokenSHA256: String?
    /// Calories are computed at upload, from the profile's body mass, when this is set.
    var caloriesPending: Bool
    var savedAt: Date
  }

  static var directory: String {
    let state = Paths.environment("XDG_STATE_HOME").flatMap { $0.hasPrefix("/") ? $0 : nil }
    return (state ?? Paths.home + "/.local/state") + "/exercise-buddy/outbox"
  }

  /// Writes `entry` and returns how many entries are now pending.
  @discardableResult
  static func save(_ entry: Entry) throws -> Int {
    try FileSystem.makeDirectory(directory, mode: 0o700)
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.sortedKeys]
    let data = try encoder.encode(entry)
    let id = (entry.workout.id ?? UUID()).uuidString.lowercased()
    try FileSystem.writeAtomically(
      String(decoding: data, as: UTF8.self) + "\n", to: "\(directory)/\(id).json", mode: 0o600)
    return pendingFiles().count
  }

  /// The pending entry files, oldest name first.
  static func pendingFiles() -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
      .map { "\(directory)/\($0)" }
  }

  /// Reads one entry; nil when the file vanished (another sync took it) or is unreadable.
  static func load(_ path: String) -> Entry? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return try? decoder.decode(Entry.self, from: data)
  }
}
