import ArgumentParser
import Foundation
import WorkoutStore

#if canImport(Glibc)
import Glibc
#endif

/// `buddy stats`: totals, records, recent days, weeks, months and streaks.
struct StatsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "stats",
    abstract: "Your totals, personal records, last 7 days, 8 weeks, 12 months and streaks.",
    discussion: """
      Days, weeks (from your profile's week start) and months are counted in your profile's \
      time zone, or --tz for this call. A streak counts consecutive local days with a workout; \
      the current one is still alive when your last workout was yesterday.

      JSON keys: time_zone, week_start, exercise, totals {workouts, reps, duration_seconds, \
      calories}, exercises [{exercise_type, workouts, total_reps, average_reps, personal_record, \
      personal_record_at}], last_7_days [{date, workouts, reps, duration_seconds}], weeks \
      [{week_start, …}], months [{month, …}], streaks {current_days, longest_days}.

      Examples:
        buddy stats
        buddy stats --exercise jump-rope
        buddy stats --tz America/Los_Angeles --format json
      """
  )

  @OptionGroup var filter: ExerciseFilter
  @Option(help: "IANA time zone for this call (overrides the profile).") var tz: String?
  @OptionGroup var output: FormatOption<OutputFormat>
  @Flag(
    help: ArgumentHelp(
      "Print EXPLAIN (ANALYZE, BUFFERS) of every stats query.", visibility: .hidden))
  var explain = false
  @OptionGroup var database: DatabaseOptions

  func run() throws {
    let current = try CurrentUser.require(database, outbox: .upload, access: .read)
    let profile = ProfileStore(connection: current.connection, userID: current.user.id)
    var settings = try profile.settings()
    if let tz {
      try profile.validateTimeZone(tz)
      settings.timeZone = tz
    }
    let queries = StatsQueries(
      connection: current.connection, userID: current.user.id, exerciseType: filter.exercise,
      timeZone: settings.timeZone, weekStart: settings.weekStart)
    if explain {
      for figure in StatsQueries.Figure.allCases {
        print("-- \(figure.rawValue)")
        print(try queries.explain(figure, analyze: true))
      }
      return
    }
    let report = StatsReport(
      settings: settings, exercise: filter.exercise?.name, totals: try queries.totals(),
      exercises: try queries.perExercise(), days: try queries.lastDays(),
      weeks: try queries.lastWeeks(),
      months: try queries.lastMonths(), streaks: try queries.streaks())
    switch output.format {
    case .json: print(report.json)
    case .text:
      let bars = BarStyle(
        unicode: isatty(1) != 0, colour: isatty(1) != 0 && Paths.environment("NO_COLOR") == nil)
      print(report.text(bars: bars), terminator: "")
    }
  }
}

/// How bar charts are drawn.
struct BarStyle {
  var unicode: Bool
  var colour: Bool

  /// A bar `value / maximum` of `width` cells.
  func bar(_ value: Int, of maximum: Int, width: Int = 24) -> String {
    guard maximum > 0, value > 0 else { return "" }
    let cells = Double(value) / Double(maximum) * Double(width)
    var text: String
    if unicode {
      let eighths = max(1, Int((cells * 8).rounded()))
      let partials = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
      text = String(repeating: "█", count: eighths / 8) + partials[eighths % 8]
    } else {
      text = String(repeating: "#", count: max(1, Int(cells.rounded())))
    }
    if colour { text = "\u{1B}[32m" + text + "\u{1B}[0m" }
    return text
  }
}
