import Foundation
import WorkoutStore

/// Every figure of `buddy stats`, rendered as text or JSON.
struct StatsReport {
  var settings: UserSettings
  var exercise: String?
  var totals: Totals
  var exercises: [ExerciseStats]
  var days: [PeriodTotals]
  var weeks: [PeriodTotals]
  var months: [PeriodTotals]
  var streaks: Streaks

  private var localTime: LocalTime { LocalTime(settings.timeZone) }

  var json: String {
    let time = localTime
    func periods(_ list: [PeriodTotals], key: String, month: Bool = false) -> JSON.Value {
      .array(
        list.map { period in
          let label = month ? String(period.start.description.prefix(7)) : period.start.description
          return .object([
            (key, .string(label)), ("workouts", .integer(period.workouts)),
            ("reps", .integer(period.reps)),
            ("duration_seconds", .integer(period.durationSeconds)),
          ])
        })
    }
    return JSON.text(
      .object([
        ("time_zone", .string(settings.timeZone)),
        ("week_start", .string(settings.weekStart.rawValue)),
        ("exercise", exercise.map { .string($0) } ?? .null),
        (
          "totals",
          .object([
            ("workouts", .integer(totals.workouts)), ("reps", .integer(totals.reps)),
            ("duration_seconds", .integer(totals.durationSeconds)),
            ("calories", .number((totals.calories * 10).rounded() / 10)),
          ])
        ),
        (
          "exercises",
          .array(
            exercises.map { stats in
              .object([
                ("exercise_type", .string(stats.exerciseType)),
                ("workouts", .integer(stats.workouts)),
                ("total_reps", .integer(stats.totalReps)),
                ("average_reps", .number((stats.averageReps * 10).rounded() / 10)),
                ("personal_record", .integer(stats.personalRecord)),
                ("personal_record_at", .string(time.iso(stats.personalRecordAt))),
              ])
            })
        ),
        ("last_7_days", periods(days, key: "date")), ("weeks", periods(weeks, key: "week_start")),
        ("months", periods(months, key: "month", month: true)),
        (
          "streaks",
          .object([
            ("current_days", .integer(streaks.current)),
            ("longest_days", .integer(streaks.longest)),
          ])
        ),
      ]))
  }

  func text(bars: BarStyle) -> String {
    let time = localTime
    var out = ""
    func line(_ text: String = "") {
      out += String(text.reversed().drop { $0 == " " }.reversed()) + "\n"
    }
    let scope = exercise.map { " (\($0))" } ?? ""
    line(
      "Totals\(scope): \(totals.workouts) workout\(totals.workouts == 1 ? "" : "s"), \(totals.reps) reps, "
        + "\(DurationText.clock(totals.durationSeconds)) active, \(String(format: "%.1f", totals.calories)) kcal"
    )
    if !exercises.isEmpty {
      line()
      line("EXERCISE    WORKOUTS   REPS    AVG  RECORD")
      for stats in exercises {
        line(
          pad(stats.exerciseType, 10) + "  " + pad("\(stats.workouts)", 8, right: true) + "  "
            + pad("\(stats.totalReps)", 5, right: true) + "  "
            + pad(String(format: "%.1f", stats.averageReps), 5, right: true) + "  "
            + "\(stats.personalRecord) on \(time.day(stats.personalRecordAt))")
      }
    }
    func chart(_ title: String, _ periods: [PeriodTotals], label: (PeriodTotals) -> String) {
      line()
      line(title)
      let maximum = periods.map(\.reps).max() ?? 0
      for period in periods {
        line(
          "\(label(period))  \(pad("\(period.reps)", 6, right: true))  "
            + bars.bar(period.reps, of: maximum))
      }
    }
    chart("Last 7 days (reps, \(settings.timeZone))", days) {
      "\(weekday($0.start)) \($0.start.description.suffix(5))"
    }
    chart("Weeks from \(settings.weekStart.rawValue) (reps)", weeks) { $0.start.description }
    chart("Months (reps)", months) { String($0.start.description.prefix(7)) }
    line()
    line(
      "Streak: \(streaks.current) day\(streaks.current == 1 ? "" : "s") (longest \(streaks.longest))"
    )
    return out
  }

  private func weekday(_ day: LocalDay) -> String {
    var components = DateComponents()
    components.year = day.year
    components.month = day.month
    components.day = day.day
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
    guard let date = calendar.date(from: components) else { return "   " }
    let names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    return names[(calendar.component(.weekday, from: date) - 1) % 7]
  }

  private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let padding = String(repeating: " ", count: max(0, width - text.count))
    return right ? padding + text : text + padding
  }
}
