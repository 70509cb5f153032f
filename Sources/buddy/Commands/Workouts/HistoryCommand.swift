import ArgumentParser
import Foundation
import WorkoutStore

/// `buddy history`: your workouts, newest first.
struct HistoryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "history",
    abstract: "List your workouts, newest first.",
    discussion: """
      Dates are local days in your profile's time zone. CSV follows RFC 4180 with a header row; \
      CSV and JSON use the columns id, exercise_type, reps_count, duration_seconds, \
      calories_burned and created_at (ISO 8601 with your zone's offset).

      Examples:
        buddy history
        buddy history --exercise push-up --since 2026-11-01 --format csv > p.csv
        buddy history --limit 50 --page 2
        buddy history --before 3f2c1a9e --format jsonl
      """
  )

  @OptionGroup var filter: ExerciseFilter
  @Option(help: "First local day to include (YYYY-MM-DD).", transform: LocalDay.parse)
  var since: LocalDay?
  @Option(help: "Last local day to include (YYYY-MM-DD).", transform: LocalDay.parse)
  var until: LocalDay?
  @Option(help: "How many workouts to show.") var limit = 20
  @Option(help: "Page number (of --limit workouts each), 1 to 1000000.") var page = 1
  @Option(help: "Only workouts older than this one (id or 8+ character prefix).") var before:
    String?
  @OptionGroup var output: FormatOption<HistoryFormat>
  @OptionGroup var database: DatabaseOptions

  func validate() throws {
    guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be 1 to 10000") }
    guard (1...1_000_000).contains(page) else {
      throw ValidationError("--page must be 1 to 1000000")
    }
  }

  func run() throws {
    let current = try CurrentUser.require(database, outbox: .upload)
    let settings = try ProfileStore(connection: current.connection, userID: current.user.id)
      .settings()
    let repository = WorkoutRepository(connection: current.connection, userID: current.user.id)
    let beforeID = try before.map { try repository.workout($0).id }
    let workouts = try repository.history(
      HistoryFilter(
        exerciseType: filter.exercise, since: since, until: until,
        timeZone: settings.timeZone, limit: limit, page: page, beforeID: beforeID))
    let presentation = WorkoutPresentation(time: LocalTime(settings.timeZone))
    switch output.format {
    case .table:
      if workouts.isEmpty {
        print("No workouts\(page > 1 || before != nil ? " on this page" : " yet").")
        return
      }
      print(WorkoutPresentation.tableHeader)
      for workout in workouts { print(presentation.tableRow(workout)) }
    case .json:
      print("[" + workouts.map(presentation.json).joined(separator: ",") + "]")
    case .jsonl:
      for workout in workouts { print(presentation.json(workout)) }
    case .csv:
      print(CSV.record(WorkoutPresentation.columns), terminator: "")
      for workout in workouts { print(presentation.csv(workout), terminator: "") }
    }
  }
}
