public import Foundation
import WorkoutStore

#if canImport(Glibc)
internal import Glibc
#endif

/// Workouts recorded while the database was unreachable: one JSON file per workout in one
/// directory (the command-line tool's is `$XDG_STATE_HOME/exercise-buddy/outbox`), written
/// atomically with mode 0600 in a 0700 directory, uploaded by ``OutboxUpload``.
public struct Outbox: Sendable {
  /// One pending workout (the file format: its keys are kept so older entries still load).
  public struct Entry: Codable, Sendable, Equatable {
    /// The workout, with a client-generated id so that uploading twice stores one row.
    public var workout: NewWorkout
    /// The session token (hex) that recorded it: the entry is uploaded with it, so only under
    /// the user that session belongs to and only while the database accepts the session. The
    /// file is mode 0600, like the session file.
    public var token: String?
    /// SHA-256 (hex) of that token, as entries written before schema v2 kept it: such an entry
    /// is uploaded only with the current session's token when that token has this digest (a
    /// hash is never a credential).
    public var tokenSHA256: String?
    /// Calories are computed at upload, from the profile's body mass, when this is set.
    public var caloriesPending: Bool
    /// When the entry was written.
    public var savedAt: Date

    /// Makes an entry.
    public init(
      workout: NewWorkout, token: String?, tokenSHA256: String? = nil, caloriesPending: Bool,
      savedAt: Date
    ) {
      self.workout = workout
      self.token = token
      self.tokenSHA256 = tokenSHA256
      self.caloriesPending = caloriesPending
      self.savedAt = savedAt
    }
  }

  /// The directory holding the entry files.
  public let directory: String

  /// An outbox in `directory` (created, mode 0700, by the first ``save(_:)``).
  public init(directory: String) {
    self.directory = directory
  }

  /// Where entries the database refused are moved, each with a `.reason` file.
  public var rejectedDirectory: String { directory + "/rejected" }

  /// Writes `entry` (named by its workout's id, given one if it has none) and returns how many
  /// entries are now pending. Throws ``RecordingError/Kind/outboxNotWritable``.
  @discardableResult
  public func save(_ entry: Entry) throws -> Int {
    try PrivateFiles.makeDirectory(directory)
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.sortedKeys]
    let data: Data
    do {
      data = try encoder.encode(entry)
    } catch {
      throw RecordingError(.outboxNotWritable, "cannot encode an outbox entry: \(error)")
    }
    let id = (entry.workout.id ?? UUID()).uuidString.lowercased()
    try PrivateFiles.writeAtomically(
      String(decoding: data, as: UTF8.self) + "\n", to: "\(directory)/\(id).json")
    return pendingFiles().count
  }

  /// The pending entry files (full paths), oldest name first.
  public func pendingFiles() -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
      .map { "\(directory)/\($0)" }
  }

  /// Reads one entry; nil when the file vanished (another upload took it) or is unreadable.
  public func load(_ path: String) -> Entry? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return try? decoder.decode(Entry.self, from: data)
  }

  /// Deletes an uploaded entry's file.
  func remove(_ path: String) {
    unlink(path)
  }

  /// Moves a refused entry to ``rejectedDirectory`` with a `.reason` file holding `reason` on
  /// one line; returns the new path.
  func setAside(_ path: String, reason: String) throws -> String {
    try PrivateFiles.makeDirectory(rejectedDirectory)
    let name = (path as NSString).lastPathComponent
    let target = rejectedDirectory + "/" + name
    guard rename(path, target) == 0 else {
      throw RecordingError(
        .outboxEntryNotMovable,
        "cannot move \(path) to \(rejectedDirectory): \(String(cString: strerror(errno)))")
    }
    try PrivateFiles.writeAtomically(
      reason.split(whereSeparator: \.isNewline).joined(separator: " ") + "\n",
      to: target + ".reason")
    return target
  }
}
