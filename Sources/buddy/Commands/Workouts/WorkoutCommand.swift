import ArgumentParser
import Foundation
import Recording
import WorkoutStore

#if canImport(Glibc)
import Glibc
#endif

/// `buddy workout show|edit|delete|landmarks ID`.
struct WorkoutCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "workout",
    abstract:
      "Show, edit or delete a workout, or write its kept landmarks, by id (or a unique 8+ character prefix).",
    discussion: """
      Examples:
        buddy workout show 3f2c1a9e
        buddy workout edit 3f2c1a9e --reps 21
        buddy workout delete 3f2c1a9e --yes
        buddy workout landmarks 3f2c1a9e > session.jsonl
      """,
    subcommands: [
      WorkoutShowCommand.self, WorkoutEditCommand.self, WorkoutDeleteCommand.self,
      WorkoutLandmarksCommand.self,
    ]
  )
}

/// `buddy workout show ID`.
struct WorkoutShowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show", abstract: "Show one workout with its per-rep breakdown.",
    discussion: """
      --plot charts the counting signal over time after the details: the counter's gauge, its \
      thresholds as dashes, a marker under each rep and the time from the first frame. Braille \
      dots in a UTF-8 locale, ASCII otherwise; colour only on a terminal without NO_COLOR. \
      Workouts recorded before signals were stored, and manual entries, have no chart.

      Examples:
        buddy workout show 3f2c1a9e
        buddy workout show 3f2c1a9e --plot --width 100
        buddy workout show 3f2c1a9e --format json
      """)

  @Argument(help: "Workout id or a unique prefix of at least 8 hex digits.") var id: String
  @Flag(help: "Chart the counting signal with its thresholds and rep markers (text output).")
  var plot = false
  @Option(
    help: ArgumentHelp(
      "The chart's width in columns, 16-1000 (default: the terminal's, else 80).",
      valueName: "columns"))
  var width: Int?
  @OptionGroup var output: FormatOption<OutputFormat>
  @OptionGroup var database: DatabaseOptions

  func validate() throws {
    if let width, !(16...1000).contains(width) {
      throw ValidationError("--width must be 16 to 1000 columns")
    }
    if width != nil && !plot { throw ValidationError("--width goes with --plot") }
    if plot && output.format != .text { throw ValidationError("--plot is for text output") }
  }

  func run() throws {
    let current = try CurrentUser.require(database, outbox: .upload, access: .read)
    let settings = try ProfileStore(connection: current.connection, userID: current.user.id)
      .settings()
    let workout = try WorkoutRepository(connection: current.connection, userID: current.user.id)
      .workout(id)
    let presentation = WorkoutPresentation(time: LocalTime(settings.timeZone))
    switch output.format {
    case .json:
      var fields = presentation.fields(workout)
      let record = workout.editRecord
      fields.append(
        ("edited_at", record.map { .string(presentation.time.iso($0.editedAt)) } ?? .null))
      fields.append(
        ("original", record.map { .object(presentation.originalFields($0.original)) } ?? .null))
      fields.append(("details", workout.details.map { .raw($0) } ?? .null))
      print(JSON.text(.object(fields)))
    case .text:
      print("workout   \(workout.id.uuidString.lowercased())")
      print("exercise  \(workout.exerciseType)")
      print("reps      \(workout.reps)")
      print("duration  \(DurationText.clock(workout.durationSeconds))")
      print("calories  \(workout.caloriesBurned.map { String(format: "%.1f kcal", $0) } ?? "-")")
      print("when      \(presentation.time.minute(workout.createdAt)) (\(settings.timeZone))")
      if let record = workout.editRecord {
        print("edited    \(presentation.time.minute(record.editedAt))")
        print("original  \(presentation.summary(record.original))")
      }
      if let counted = Self.countedExercise(workout.details), counted != workout.exerciseType {
        print("")
        print(
          "The per-rep breakdown and signal stored with this workout belong to the original "
            + "\(counted) count; they are not shown.")
        return
      }
      if let details = workout.details { printBreakdown(details) }
      if plot { printPlot(workout.details) }
    }
  }
}

extension WorkoutShowCommand {
  /// The exercise a counted workout's details were counted as; nil for manual entries.
  fileprivate static func countedExercise(_ text: String?) -> String? {
    guard let text, case .counted(let details) = try? StoredDetails(jsonText: text) else {
      return nil
    }
    return details.exercise
  }

  /// Prints the chart of the stored counting signal, or one line saying there is none.
  fileprivate func printPlot(_ text: String?) {
    guard let text, case .counted(let details) = try? StoredDetails(jsonText: text),
      let signal = details.signal
    else {
      print("")
      print(
        "plot      no counting signal is stored with this workout (manual entries and "
          + "workouts recorded before signals were stored have none)")
      return
    }
    let chart = SignalChart(
      width: width ?? Terminal.stdoutColumns ?? 80,
      glyphs: Terminal.localeIsUTF8 ? .braille : .ascii,
      colour: Terminal.stdoutColour)
    let reps = details.repsDetail.compactMap { $0.values[.end] ?? $0.values[.landing] }
    let marker = Terminal.localeIsUTF8 ? "▲" : "^"
    print("")
    print(
      "plot      \(details.exercise) signal, \(Self.rate(signal.rate)) samples/s; "
        + "dashes: thresholds; \(marker): reps")
    for line in chart.lines(signal, reps: reps) { print(line) }
  }

  /// A rate as stored: whole numbers without a fraction.
  private static func rate(_ rate: Double) -> String {
    // A whole number below 10⁶ (a stored rate is positive): the conversion cannot trap.
    rate == rate.rounded() && rate < 1e6 ? String(Int(rate)) : String(rate)
  }
}

extension WorkoutShowCommand {
  /// Prints the per-rep table of a counted workout's details (manual entries have none).
  fileprivate func printBreakdown(_ details: String) {
    guard
      let object = try? JSONSerialization.jsonObject(with: Data(details.utf8)) as? [String: Any]
    else { return }
    if let source = object["source"] as? [String: Any], let name = source["name"] as? String {
      print(
        "source    \(name) (\(source["format"] as? String ?? "?"), \(object["frames"] ?? "?") frames)"
      )
    } else if let source = object["source"] as? String {
      print("source    \(source)")
    }
    if let engine = object["engine_version"] as? String { print("engine    \(engine)") }
    for (title, key) in [("rep", "reps_detail"), ("partial", "partial_reps_detail")] {
      guard let reps = object[key] as? [[String: Any]], !reps.isEmpty else { continue }
      print("")
      for line in RepTable.lines(title: title, reps: reps) { print(line) }
    }
  }
}

/// `buddy workout delete ID`.
struct WorkoutDeleteCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "delete",
    abstract: "Delete one workout (asks first when standard input is a terminal).",
    discussion: "Examples:\n  buddy workout delete 3f2c1a9e\n  buddy workout delete 3f2c1a9e --yes")

  @Argument(help: "Workout id or a unique prefix of at least 8 hex digits.") var id: String
  @Flag(name: [.short, .long], help: "Do not ask for confirmation.") var yes = false
  @OptionGroup var database: DatabaseOptions

  func run() throws {
    let current = try CurrentUser.require(database, outbox: .upload)
    let repository = WorkoutRepository(connection: current.connection, userID: current.user.id)
    let workout = try repository.workout(id)
    let short = String(workout.id.uuidString.lowercased().prefix(8))
    if !yes && isatty(0) != 0 {
      Terminal.writeStderr(
        "Delete \(workout.exerciseType) workout \(short) (\(workout.reps) reps)? [y/N] ")
      let answer = readLine()?.lowercased() ?? ""
      guard answer == "y" || answer == "yes" else {
        print("Kept workout \(short).")
        return
      }
    }
    try repository.delete(workout.id)
    print("Deleted workout \(short).")
  }
}
