import ArgumentParser
import Foundation
import PoseInput
import Postgres
import Recording
import RepCounting
import WorkoutStore

/// `buddy record`: count a session and save it, or save a manual entry.
struct RecordCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "record",
    abstract: "Count a session from landmarks and save it as a workout, or save a manual entry.",
    discussion: """
      With an INPUT the session is counted as `buddy count` does (the exercise is detected \
      unless --exercise names it): a landmark file, - for standard input (landmarks or an MJPEG \
      stream), a directory of JPEG frames, several JPEG files (one frame sequence, in the order \
      given), or a video file (with ffmpeg installed). It is \
      saved with its per-rep details. The workout's time is the document's start_time, else \
      --at, else now. Recording the same input again saves nothing (it is recognised by the \
      SHA-256 of its bytes). A session with 0 reps is not saved unless --allow-empty.

      --keep-landmarks also stores the session's landmark stream with the workout (compact \
      binary, about 260 KB a minute at 30 fps, see docs/kept-landmarks.md); \
      `buddy workout landmarks ID` gives it back as JSON Lines that `buddy count` counts to the \
      same result. `buddy profile set keep-landmarks true` makes it the default; \
      --no-keep-landmarks overrides that. Landmarks are not kept in the offline outbox.

      \(AnnotateOptions.discussion)

      With --reps and --duration (and --exercise), a manual entry is saved instead.

      When the database cannot be reached the workout is kept in the offline outbox and \
      uploaded by the next command (`buddy sync`). On a URL that names several hosts, a \
      primary that dies or is demoted mid-write is replaced: buddy reconnects through the same \
      URL to the new primary ("primary lost, reconnecting…" on stderr) and writes again; the \
      workout carries an id chosen here, so it is stored once whether or not the lost commit \
      got through. With no primary within BUDDY_FAILOVER_WAIT_MS (default 30000 ms; 0 to \
      600000), it goes to the outbox.

      Calories: MET x body mass x hours, with MET \(Exercise.allCases.map(\.metText).joined(separator: "; ")) \
      (Compendium of Physical Activities); body mass from `buddy profile`, else 70 kg.

      Examples:
        buddy record session.json
        buddy record --fps 15 frames/
        buddy record --fps 15 frames/*.jpg
        pose-tool | buddy record --follow -
        buddy record --exercise jump-rope --dry-run session.json
        buddy record --annotate counted.mp4 pushups.mp4
        buddy record --keep-landmarks pushups.mp4
        buddy record --exercise push-up --reps 20 --duration 2m30s \\
          --at "2026-11-20 07:30"
        buddy record --exercise jump-rope --reps 300 --duration 3m
      """
  )

  @Option(help: ArgumentHelp(ExerciseChoice.help))
  var exercise: ExerciseChoice = .auto
  @Flag(help: "Print each repetition the moment it completes (for - and FIFOs), then save.")
  var follow = false
  @Option(help: "Manual entry: the number of repetitions.") var reps: Int?
  @Option(
    help: "Manual entry: how long it took, e.g. 90s, 2m30s, 1h, 1:30 (at most 168h).",
    transform: WorkoutDuration.parse)
  var duration: WorkoutDuration?
  @Option(
    help: "When it happened, in your profile's time zone: \"YYYY-MM-DD HH:MM\" (default now).",
    transform: WallClockTime.parse)
  var at: WallClockTime?
  @Option(help: ArgumentHelp(FrameRate.help), transform: FrameRate.parse) var fps: FrameRate?
  @Option(help: ArgumentHelp(PoseThreads.help))
  var threads = PoseThreads.defaultCount
  @Option(help: "Image size in pixels as WIDTHxHEIGHT.") var size: ImageSize?
  @Flag(help: "Count and report, but save nothing.") var dryRun = false
  @Flag(help: "Save a session even when it counted 0 reps.") var allowEmpty = false
  @Flag(
    inversion: .prefixedNo,
    help: "Keep the session's landmarks with the workout (default: your profile's keep-landmarks)."
  )
  var keepLandmarks: Bool?
  @OptionGroup var output: FormatOption<OutputFormat>
  @OptionGroup var annotate: AnnotateOptions
  @Argument(
    help:
      "A landmark file, JPEG frames (a directory or several files), a video, or - for standard input (omit for a manual entry)."
  )
  var inputs: [String] = []
  @OptionGroup var database: DatabaseOptions

  func validate() throws {
    try PoseThreads.validate(threads)
    if reps != nil || duration != nil {
      guard inputs.isEmpty else {
        throw ValidationError("give either an INPUT or --reps/--duration")
      }
      guard annotate.output == nil else {
        throw ValidationError("--annotate draws a counted INPUT, not a manual entry")
      }
      guard keepLandmarks != true else {
        throw ValidationError(
          "--keep-landmarks keeps a counted INPUT's landmarks, not a manual entry's")
      }
      guard let reps, (0...NewWorkout.maximumReps).contains(reps) else {
        throw ValidationError("--reps must be 0 to \(NewWorkout.maximumReps)")
      }
      guard duration != nil else {
        throw ValidationError("--duration is needed, like 90s, 2m30s, 1h or 1:30, at most 168h")
      }
      guard exercise != .auto else { throw ValidationError("a manual entry needs --exercise") }
    } else if inputs.isEmpty {
      throw ValidationError(
        "give a landmark FILE (or - for standard input), or --reps and --duration")
    } else if CountInput.group(inputs).count > 1 {
      throw ValidationError(
        "record saves one session: give one input (several JPEG files count as one sequence)")
    }
  }

  func run() throws {
    guard let token = SessionFile.load() else { throw AccountError.notLoggedIn }
    // Offline (database unreachable, or no primary within BUDDY_FAILOVER_WAIT_MS on a
    // multi-host URL): count anyway and keep the workout in the outbox.
    var writer: FailoverWriter?
    do {
      writer = try FailoverWriter.connect(database, outbox: .upload)
    } catch let error as CLIError where error.status == .unavailable {
      Terminal.note("\(error.description)")
    }
    let current = writer?.user
    let settings =
      try current.map { try ProfileStore(connection: $0.connection, userID: $0.user.id).settings() }
      ?? UserSettings(weightKg: nil, timeZone: TimeZone.current.identifier, weekStart: .monday)
    let time = LocalTime(settings.timeZone)
    let explicitTime = try at.map { wallClock in
      guard let date = wallClock.date(in: time.zone) else {
        throw CLIError(.usage, "--at \(wallClock) cannot be placed in \(settings.timeZone)")
      }
      return date
    }
    let bodyMass = settings.weightKg ?? CalorieModel.defaultBodyMassKg
    var new: NewWorkout
    var summary: SessionSummary?
    var landmarks: KeptLandmarks?
    if let input = CountInput.group(inputs).first {
      let counted = try countSession(input, keepLandmarks: keepLandmarks ?? settings.keepLandmarks)
      summary = counted.summary
      landmarks = counted.landmarks
      new = try counted.workout(bodyMassKg: bodyMass, fallbackTime: explicitTime ?? Date())
      if output.format == .text { print(CountReport.text(counted.summary)) }
      if new.reps == 0 && !allowEmpty && !dryRun {
        throw CLIError(
          .dataError,
          "counted 0 reps in \(input.name); nothing saved "
            + "(use --allow-empty to save it anyway)")
      }
    } else {
      guard let manual = exercise.exercise else {
        throw CLIError(.usage, "a manual entry needs --exercise")
      }
      let seconds = duration?.seconds ?? 0
      let count = reps ?? 0
      new = NewWorkout(
        exerciseType: manual, reps: count, durationSeconds: seconds,
        caloriesBurned: CalorieModel.kilocalories(
          exercise: manual, reps: count, seconds: Double(seconds), bodyMassKg: bodyMass),
        createdAt: explicitTime ?? Date(), details: StoredDetails.manual.jsonText)
    }
    do {
      try new.validate()  // before anything is saved, online or offline
    } catch let error as WorkoutError {
      // A manual entry's values come from flags (64); a counted one's from the input (65).
      throw CLIError(summary == nil ? .usage : .dataError, "\(error)")
    }
    if dryRun {
      report(
        saved: nil, new: new, summary: summary, landmarks: landmarks, time: time,
        note: "dry run: nothing saved")
      return
    }
    // One id for every attempt (a re-run after a failover, the outbox): stored at most once.
    if new.id == nil { new.id = UUID() }
    guard let writer else {
      try saveOffline(new, token: token, landmarks: landmarks)
      return
    }
    let outcome: RecordOutcome
    do {
      outcome = try writer.perform { user, rerun in
        try Self.store(new, landmarks: landmarks, for: user, rerun: rerun)
      }
    } catch let error as PostgresError where error.kind == .connectionFailure {
      Terminal.note("cannot reach the database: \(error.message)")
      try saveOffline(new, token: token, landmarks: landmarks)
      return
    }
    let user = writer.user  // after a failover, the new primary's connection
    if case .alreadyRecorded(let workout) = outcome, landmarks != nil,
      try !LandmarkRepository(connection: user.connection, userID: user.user.id)
        .hasLandmarks(workout.id)
    {
      Terminal.note(
        "the landmarks were not kept: this input was recorded before without them (delete "
          + "workout \(workout.id.uuidString.lowercased().prefix(8)) and record it again to keep them)"
      )
    }
    report(
      saved: outcome, new: new, summary: summary, landmarks: landmarks, time: time,
      note: settings.weightKg == nil
        ? "calories assume 70 kg; set yours with `buddy profile set weight-kg N`" : nil)
  }

  /// Records `new` for `user`. In a re-run after a failover, finding the workout with this
  /// run's own id means the lost attempt committed it: that is reported as saved.
  private static func store(
    _ new: NewWorkout, landmarks: KeptLandmarks?, for user: CurrentUser, rerun: Bool
  ) throws -> RecordOutcome {
    let repository = WorkoutRepository(connection: user.connection, userID: user.user.id)
    let outcome = try repository.record(new, landmarks: landmarks)
    if rerun, case .alreadyRecorded(let workout) = outcome, workout.id == new.id {
      return .saved(workout, isPersonalRecord: try repository.isPersonalRecord(workout))
    }
    return outcome
  }

  /// Keeps `new` in the offline outbox (under its id, so an attempt that did commit is not
  /// stored twice when the outbox is uploaded) and says so.
  private func saveOffline(_ new: NewWorkout, token: SessionToken, landmarks: KeptLandmarks?)
    throws
  {
    if landmarks != nil {
      Terminal.note("the landmarks are not kept offline: the outbox holds the workout only")
    }
    let pending = try OutboxSync.outbox.save(
      Outbox.Entry(workout: new, token: token.hex, caloriesPending: true, savedAt: Date()))
    switch output.format {
    case .text:
      print("Saved offline (\(pending) pending); will upload when the database is back")
    case .json:
      print(
        JSON.text(
          .object([
            ("status", .string("saved_offline")), ("pending", .integer(pending)),
            ("id", .string(new.id?.uuidString.lowercased() ?? "")),
          ])))
    }
  }

  private func countSession(_ input: CountInput, keepLandmarks: Bool) throws -> CountedSession {
    var runner = CountRunner(mode: exercise.mode, fps: fps, size: size, threads: threads)
    runner.annotate = annotate
    runner.keepLandmarks = keepLandmarks
    let counted = try runner.session(input) { event in
      guard follow else { return }
      switch output.format {
      case .text: print(CountReport.followLine(event))
      case .json: print(JSON.text(CountReport.followEvent(event)))
      }
      fflush(nil)
    }
    let name = input.name
    for note in counted.summary.notes { Terminal.note("\(name): \(note)") }
    guard counted.summary.exercise != nil else {
      throw CLIError(
        .dataError,
        "no \(Exercise.pluralList) found in \(name); nothing saved "
          + "(name the exercise with --exercise to save it anyway)")
    }
    return counted
  }

  private func report(
    saved outcome: RecordOutcome?, new: NewWorkout, summary: SessionSummary?,
    landmarks: KeptLandmarks?, time: LocalTime, note: String?
  ) {
    var keptLandmarks: KeptLandmarks?
    switch outcome {
    case .saved?, nil: keptLandmarks = landmarks
    case .alreadyRecorded?: keptLandmarks = nil
    }
    let kcal = String(format: "%.1f", new.caloriesBurned ?? 0)
    let what =
      "\(new.exerciseType.name): \(new.reps) rep\(new.reps == 1 ? "" : "s"), "
      + "\(DurationText.clock(new.durationSeconds)), \(kcal) kcal"
    switch output.format {
    case .text:
      switch outcome {
      case .saved(let workout, let isRecord)?:
        print(
          "Saved \(what)\(isRecord ? " — new personal record!" : "") (workout \(workout.id.uuidString.lowercased().prefix(8)))"
        )
        if let keptLandmarks {
          print(
            "Kept the landmarks of \(keptLandmarks.frameCount) frames "
              + "(\(keptLandmarks.payload.count) bytes before compression)")
        }
        if let note { Terminal.note(note) }
      case .alreadyRecorded(let workout)?:
        print(
          "Already recorded on \(time.minute(workout.createdAt)) (workout "
            + "\(workout.id.uuidString.lowercased().prefix(8))); nothing saved.")
      case nil:
        print("Would save \(what) (dry run: nothing saved)")
        if let keptLandmarks {
          print(
            "Would keep the landmarks of \(keptLandmarks.frameCount) frames "
              + "(\(keptLandmarks.payload.count) bytes before compression)")
        }
      }
    case .json:
      var fields: [(String, JSON.Value)] = []
      switch outcome {
      case .saved(let workout, let isRecord)?:
        fields = [
          ("status", .string("saved")), ("personal_record", .bool(isRecord)),
          ("workout", .object(WorkoutPresentation(time: time).fields(workout))),
        ]
      case .alreadyRecorded(let workout)?:
        fields = [
          ("status", .string("already_recorded")),
          ("workout", .object(WorkoutPresentation(time: time).fields(workout))),
        ]
      case nil:
        fields = [
          ("status", .string("dry_run")), ("exercise_type", .string(new.exerciseType.name)),
          ("reps_count", .integer(new.reps)), ("duration_seconds", .integer(new.durationSeconds)),
          ("calories_burned", .number(((new.caloriesBurned ?? 0) * 10).rounded() / 10)),
        ]
      }
      if let details = new.details, summary != nil { fields.append(("details", .raw(details))) }
      if let keptLandmarks {
        fields.append(
          (
            "kept_landmarks",
            .object([
              ("frames", .integer(keptLandmarks.frameCount)),
              ("bytes", .integer(keptLandmarks.payload.count)),
            ])
          ))
      }
      print(JSON.text(.object(fields)))
    }
  }
}
