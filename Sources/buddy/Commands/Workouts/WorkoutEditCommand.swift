import ArgumentParser
import Foundation
import RepCounting
import WorkoutStore

/// `buddy workout edit ID [--reps N] [--duration D] [--at T] [--exercise E]`.
struct WorkoutEditCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "edit",
    abstract: "Correct a workout's reps, duration, time or exercise.",
    discussion: """
      Each option given replaces the stored value; the others stay. Calories are computed \
      again (your current body mass from `buddy profile`, else 70 kg) when the reps, the \
      duration or the exercise change. The first edit keeps the workout's values as they were \
      (counted or typed in) in its details under "original", shown by `buddy workout show`; \
      later edits keep those. A counted workout stays tied to its input: recording the same \
      file again saves nothing and leaves the edited values. --exercise is allowed for counted \
      workouts too (a misdetected session): the stored per-rep breakdown and signal then \
      belong to the original exercise, and `workout show` leaves them out.

      Examples:
        buddy workout edit 3f2c1a9e --reps 21
        buddy workout edit 3f2c1a9e --duration 2m30s --at "2026-11-20 07:30"
        buddy workout edit 3f2c1a9e --exercise squat --format json
      """)

  @Argument(help: "Workout id or a unique prefix of at least 8 hex digits.") var id: String
  @Option(help: "The number of repetitions (0 to \(NewWorkout.maximumReps)).") var reps: Int?
  @Option(
    help: "How long it took, e.g. 90s, 2m30s, 1h, 1:30 (at most 168h).",
    transform: WorkoutDuration.parse)
  var duration: WorkoutDuration?
  @Option(
    help: "When it happened, in your profile's time zone: \"YYYY-MM-DD HH:MM\".",
    transform: WallClockTime.parse)
  var at: WallClockTime?
  @Option(help: "The exercise.")
  var exercise: Exercise?
  @OptionGroup var output: FormatOption<OutputFormat>
  @OptionGroup var database: DatabaseOptions

  func validate() throws {
    if reps == nil && duration == nil && at == nil && exercise == nil {
      throw ValidationError("give at least one of --reps, --duration, --at, --exercise")
    }
    if let reps, !(0...NewWorkout.maximumReps).contains(reps) {
      throw ValidationError("--reps must be 0 to \(NewWorkout.maximumReps)")
    }
  }

  func run() throws {
    let current = try CurrentUser.require(database, outbox: .upload)
    let settings = try ProfileStore(connection: current.connection, userID: current.user.id)
      .settings()
    let time = LocalTime(settings.timeZone)
    let when = try at.map { wallClock in
      guard let date = wallClock.date(in: time.zone) else {
        throw CLIError(.usage, "--at \(wallClock) cannot be placed in \(settings.timeZone)")
      }
      return date
    }
    let repository = WorkoutRepository(connection: current.connection, userID: current.user.id)
    let workout = try repository.workout(id)
    let edit = WorkoutEdit(
      exercise: exercise, reps: reps, durationSeconds: duration?.seconds, createdAt: when)
    let edited: Workout
    do {
      edited = try repository.edit(
        workout.id, edit, bodyMassKg: settings.weightKg ?? CalorieModel.defaultBodyMassKg)
    } catch WorkoutError.invalidValue(let reason) {
      throw CLIError(.usage, reason)  // the values come from options
    }
    let presentation = WorkoutPresentation(time: time)
    switch output.format {
    case .json:
      var fields: [(String, JSON.Value)] = [("status", .string("edited"))]
      fields.append(("workout", .object(presentation.fields(edited))))
      if let record = edited.editRecord {
        fields.append(("original", .object(presentation.originalFields(record.original))))
      }
      print(JSON.text(.object(fields)))
    case .text:
      let short = edited.id.uuidString.lowercased().prefix(8)
      print("Edited workout \(short): \(presentation.summary(edited))")
      if let record = edited.editRecord {
        print("Originally: \(presentation.summary(record.original))")
      }
      if edit.changesCalories && settings.weightKg == nil {
        Terminal.note("calories assume 70 kg; set yours with `buddy profile set weight-kg N`")
      }
    }
  }
}
