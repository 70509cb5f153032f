import Foundation
import WorkoutStore

/// The page after the one `history` shows, when there is one.
struct HistoryNextPage {
  /// The last workout shown: the next page holds those older than it.
  var before: UUID
  /// The `buddy history` command line that shows the next page, filters and format kept.
  var command: String

  /// `{"before": ID, "command": "…"}`.
  var json: JSON.Value {
    .object([("before", .string(before.uuidString.lowercased())), ("command", .string(command))])
  }
}

extension HistoryCommand {
  /// The next page after `shown` when the page is full and an older workout matches the same
  /// filters (one indexed look-up of a single row), else nil.
  func nextPage(after shown: [Workout], repository: WorkoutRepository, timeZone: String) throws
    -> HistoryNextPage?
  {
    guard shown.count == limit, let last = shown.last else { return nil }
    let older = try repository.history(
      HistoryFilter(
        exerciseType: filter.exercise, since: since, until: until, timeZone: timeZone, limit: 1,
        beforeID: last.id))
    guard !older.isEmpty else { return nil }
    var words = ["buddy", "history"]
    if let exercise = filter.exercise { words += ["--exercise", exercise.name] }
    if let since { words += ["--since", since.description] }
    if let until { words += ["--until", until.description] }
    words += ["--limit", String(limit), "--before", last.id.uuidString.lowercased()]
    if output.format != .table { words += ["--format", output.format.rawValue] }
    if withNext { words.append("--with-next") }
    return HistoryNextPage(before: last.id, command: words.joined(separator: " "))
  }
}
