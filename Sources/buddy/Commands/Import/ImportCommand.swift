import ArgumentParser
import Foundation
import PoseEstimation
import PoseInput
import RepCounting
import WorkoutStore

#if canImport(Glibc)
import Glibc
#endif

/// `buddy import`: count and store many recorded sessions at once.
struct ImportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract:
      "Count every session (landmark file, frame directory, video) below the given paths and store them.",
    discussion: """
      Directories are read recursively for *.json, *.jsonl and *.ndjson, and for videos \
      (.mp4 .mov .mkv .webm .avi; counting them needs ffmpeg); hidden files and directories are \
      skipped. A directory that holds JPEG frames and no landmark files is one session of frames \
      (its SHA-256 is over the frames' bytes in order); a JPEG next to landmark files is ignored. \
      Each file is one session, counted as `buddy record` does and
      stored in batches, each in one transaction: a file is either fully recorded or not at all,
      so an interrupted import loses nothing and a rerun imports the rest. Files recorded before
      (same bytes), or twice in one run, are skipped. A session with 0 reps is reported as empty
      and not stored. One bad file never stops the others: each failure is one line on stderr.
      Exits 0 when nothing failed, 65 when some file failed.

      Examples:
        buddy import ~/recordings/
        buddy import --jobs 1 --exercise push-up a.json b.jsonl
        buddy import --dry-run --format json ~/recordings/
        buddy import --fps 15 ~/sessions-as-frames/
      """
  )

  @Argument(help: "Landmark files, videos and directories.") var paths: [String]
  @Option(help: "How many files to count at once (default: all cores).")
  var jobs = ComputeThreads.availableCores
  @Option(help: "auto (detect per file), push-up or jump-rope (forced for every file).")
  var exercise: ExerciseChoice = .auto
  @Option(help: ArgumentHelp(FrameRate.help)) var fps: Double?
  @Flag(help: "Count and report what would be imported; store nothing.") var dryRun = false
  @Option(help: "Output format: text or json.") var format: OutputFormat = .text
  @OptionGroup var database: DatabaseOptions

  /// Rows per INSERT (and per transaction).
  static let batchSize = 250

  func validate() throws {
    guard (1...256).contains(jobs) else { throw ValidationError("--jobs must be 1 to 256") }
    if paths.isEmpty { throw ValidationError("name at least one file or directory") }
    try FrameRate.validate(fps)
  }

  /// What happened to one file.
  enum FileStatus: String {
    case imported, skipped, empty, failed
  }

  func run() throws {
    let files = try SessionDiscovery.sessions(in: paths)
    guard !files.isEmpty else {
      throw PoseInputError(
        .missingInput, file: paths.joined(separator: " "),
        reason: "nothing to import: no .json, .jsonl or .ndjson file, frame directory or video")
    }
    let current = try CurrentUser.require(database)
    let settings = try ProfileStore(connection: current.connection, userID: current.user.id)
      .settings()
    let bodyMass = settings.weightKg ?? CalorieModel.defaultBodyMassKg
    let repository = WorkoutRepository(connection: current.connection, userID: current.user.id)
    let pool = CountingPool(
      files: files,
      runner: CountRunner(
        mode: exercise.mode, fps: fps, size: nil, threads: jobs > 1 ? 1 : PoseThreads.defaultCount),
      jobs: jobs)
    var progress = ImportProgress(total: files.count, enabled: isatty(2) != 0)
    var statuses = [FileStatus?](repeating: nil, count: files.count)
    var details: [Int: (String, Int)] = [:]  // index → (exercise, reps)
    var failures: [Int: String] = [:]
    var batch: [(index: Int, workout: NewWorkout)] = []
    let now = Date()

    func flush() throws {
      guard !batch.isEmpty else { return }
      let stored: [Bool]
      if dryRun {
        let known = try repository.recordedDigests(batch.compactMap(\.workout.sourceDigest))
        var seen = Set<[UInt8]>()
        stored = batch.map { entry in
          guard let digest = entry.workout.sourceDigest else { return true }
          return !known.contains(digest) && seen.insert(digest).inserted
        }
      } else {
        stored = try repository.importBatch(batch.map(\.workout))
      }
      for (entry, inserted) in zip(batch, stored) {
        statuses[entry.index] = inserted ? .imported : .skipped
      }
      batch.removeAll(keepingCapacity: true)
    }

    func fail(_ index: Int, _ error: any Error) {
      statuses[index] = .failed
      let message = error is PoseInputError ? "\(error)" : "\(files[index]): \(error)"
      failures[index] = message
      progress.finish()
      Terminal.note("failed: \(message)")
    }

    var seenDigests = Set<[UInt8]>()
    for done in 1...files.count {
      let result = pool.next()
      switch result.outcome {
      case .success(let counted):
        let summary = counted.summary
        details[result.index] = (summary.exercise, summary.reps)
        if summary.reps == 0 || !ExerciseTypes.all.contains(summary.exercise) {
          statuses[result.index] = .empty
        } else if !seenDigests.insert(counted.digest).inserted {
          statuses[result.index] = .skipped  // the same content twice in this run
        } else {
          do {
            // Checked per file, so one file's absurd values fail it alone, not its batch.
            let workout = try counted.workout(bodyMassKg: bodyMass, fallbackTime: now)
            try workout.validate()
            batch.append((result.index, workout))
          } catch {
            fail(result.index, error)
          }
          if batch.count >= Self.batchSize { try flush() }
        }
      case .failure(let error):
        fail(result.index, error)
      }
      progress.update(done: done)
    }
    try flush()
    progress.finish()
    report(files: files, statuses: statuses, details: details, failures: failures)
    if !failures.isEmpty { throw ExitCode(ExitStatus.dataError.rawValue) }
  }

  private func report(
    files: [String], statuses: [FileStatus?], details: [Int: (String, Int)], failures: [Int: String]
  ) {
    func count(_ status: FileStatus) -> Int { statuses.filter { $0 == status }.count }
    switch format {
    case .text:
      let verb = dryRun ? "would import" : "imported"
      print(
        "\(verb) \(count(.imported)), skipped \(count(.skipped)) (already recorded), "
          + "empty \(count(.empty)), failed \(count(.failed))")
    case .json:
      let entries: [JSON.Value] = files.indices.map { index in
        var fields: [(String, JSON.Value)] = [
          ("path", .string(files[index])),
          ("status", .string((statuses[index] ?? .failed).rawValue)),
        ]
        if let (exercise, reps) = details[index] {
          fields += [("exercise", .string(exercise)), ("reps", .integer(reps))]
        }
        if let failure = failures[index] { fields.append(("error", .string(failure))) }
        return .object(fields)
      }
      print(
        JSON.text(
          .object([
            ("dry_run", .bool(dryRun)), ("imported", .integer(count(.imported))),
            ("skipped", .integer(count(.skipped))), ("empty", .integer(count(.empty))),
            ("failed", .integer(count(.failed))), ("files", .array(entries)),
          ])))
    }
  }
}
