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

      When older workouts follow the page shown, the table ends with the command that shows \
      them (`more workouts: buddy history --limit 20 --before ID`, your filters kept); with \
      another format that line goes to stderr, and `--format json --with-next` prints \
      {"workouts": [...], "next": {"before": ID, "command": "..."}} (next is null on the \
      last page) instead of the bare array.

      Examples:
        buddy history
        buddy history --exercise push-up --since 2026-11-01 --format csv > p.csv
        buddy history --limit 50 --page 2
        buddy history --before 3f2c1a9e --format jsonl
        buddy history --limit 100 --format json --with-next
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
  @Flag(help: "With --format json: an object with the workouts and the next page's command.")
  var withNext = false
  @OptionGroup var database: DatabaseOptions

  func validate() throws {
    guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be 1 to 10000") }
    guard (1...1_000_000).contains(page) else {
      throw ValidationError("--page must be 1 to 1000000")
    }
    if withNext && output.format != .json {
      throw ValidationError("--with-next goes with --format json")
    }
  }

  func run() throws {
    let current = try CurrentUser.require(database, outbox: .upload, access: .read)
    let settings = try ProfileStore(connection: current.connection, userID: current.user.id)
      .settings()
    let repository = WorkoutRepository(connection: current.connection, userID: current.user.id)
    let beforeID = try before.map { try repository.workout($0).id }
    let workouts = try repository.history(
      HistoryFilter(
        exerciseType: filter.exercise, since: since, until: until,
        timeZone: settings.timeZone, limit: limit, page: page, beforeID: beforeID))
    let next = try nextPage(after: workouts, repository: repository, timeZone: settings.timeZone)
    let presentation = WorkoutPresentation(time: LocalTime(settings.timeZone))
    if let next, output.format != .table, !withNext {
      Terminal.note("more workouts: \(next.command)")
    }
    switch output.format {
    case .table:
      if workouts.isEmpty {
        print("No workouts\(page > 1 || before != nil ? " on this page" : " yet").")
        return
      }
      print(WorkoutPresentation.tableHeader)
      for workout in workouts { print(presentation.tableRow(workout)) }
      if let next { print("more workouts: \(next.command)") }
    case .json:
      let array = "[" + workouts.map(presentation.json).joined(separator: ",") + "]"
      guard withNext else {
        print(array)
        return
      }
      print(JSON.text(.object([("workouts", .raw(array)), ("next", next?.json ?? .null)])))
    case .jsonl:
      for workout in workouts { print(presentation.json(workout)) }
    case .csv:
      print(CSV.record(WorkoutPresentation.columns), terminator: "")
      for workout in workouts { print(presentation.csv(workout), terminator: "") }
    }
  }
}
