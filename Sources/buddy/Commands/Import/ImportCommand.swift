import ArgumentParser
import Foundation
import PoseEstimation
import PoseInput
import Recording
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
      A `frames/` directory beside a `landmarks.json` is not read: that file describes the same \
      clip (and its frame rate), so the clip is counted once, from it. A .json file that is not \
      landmark data (a `manifest.json`) is skipped with one line. \
      Each file is one session, counted as `buddy record` does and \
      stored in batches, each in one transaction: a file is either fully recorded or not at all, \
      so an interrupted import loses nothing and a rerun imports the rest. Files recorded before \
      (same bytes), or twice in one run, are skipped. A session with 0 reps is reported as empty \
      and not stored. One bad file never stops the others: each failure is one line on stderr. \
      Exits 0 when nothing failed, 65 when some file failed.

      Failover: on a database URL that names several hosts, a batch whose primary dies (or is \
      demoted) is stored again on the new primary, which libpq finds through the same URL \
      ("primary lost, reconnecting…" on stderr); each workout carries an id chosen here, so \
      the batch is stored exactly once whether or not its commit got through. When no primary \
      takes writes within BUDDY_FAILOVER_WAIT_MS (default 30000 ms; 0 to 600000), import stops \
      with exit 69: the batches committed before stay, nothing of the interrupted one is kept, \
      and running the same import again stores the rest.

      A file written by `buddy export` (JSON Lines whose first line starts with \
      {"format":"buddy-workout/, or an empty file) is restored instead of counted: every \
      workout in it, with a new id, in one transaction, so a bad line (reported as FILE:LINE) \
      stores nothing from that file. A workout stored before (the same source digest, or a \
      manual entry equal to it) is skipped, so importing an export twice stores nothing the \
      second time. The counts include each restored workout; --exercise and --fps do not \
      apply. CSV exports are for spreadsheets and not read back.

      Examples:
        buddy import ~/recordings/
        buddy import --jobs 1 --exercise push-up a.json b.jsonl
        buddy import --dry-run --format json ~/recordings/
        buddy import --fps 15 ~/sessions-as-frames/
        buddy import workouts.jsonl            (a file from `buddy export`)
      """
  )

  @Argument(help: "Landmark files, videos, directories and `buddy export` files.")
  var paths: [String]
  @Option(help: "How many files to count at once (default: all cores).")
  var jobs = ComputeThreads.availableCores
  @Option(
    help: ArgumentHelp(
      "auto (detect per file), or one of \(Exercise.names) (forced for every file)."))
  var exercise: ExerciseChoice = .auto
  @Option(help: ArgumentHelp(FrameRate.help), transform: FrameRate.parse)
  var fps: FrameRate?
  @Flag(help: "Count and report what would be imported; store nothing.") var dryRun = false
  @OptionGroup var output: FormatOption<OutputFormat>
  @OptionGroup var database: DatabaseOptions

  func validate() throws {
    guard (1...256).contains(jobs) else { throw ValidationError("--jobs must be 1 to 256") }
    if paths.isEmpty { throw ValidationError("name at least one file or directory") }
  }

  func run() throws {
    let found = try SessionDiscovery.sessions(in: paths) { Terminal.note($0.description) }
    guard !found.isEmpty else {
      throw PoseInputError(
        .missingInput, file: paths.joined(separator: " "),
        reason: "nothing to import: no .json, .jsonl or .ndjson file, frame directory or video")
    }
    let writer = try FailoverWriter.connect(database, outbox: .upload)
    let settings = try ProfileStore(connection: writer.user.connection, userID: writer.user.user.id)
      .settings()
    let exportFiles = found.filter(ExportFileImport.isExportFile)
    let exportSet = Set(exportFiles)
    let files = found.filter { !exportSet.contains($0) }
    let restored = try restoreExports(exportFiles, writer: writer)
    guard !files.isEmpty else {
      let report = ImportRun(files: [], bodyMassKg: 0, now: Date(), dryRun: dryRun).report
      printReport(report, restored: restored, order: found)
      if restored.contains(where: { $0.failure != nil }) {
        throw ExitCode(ExitStatus.dataError.rawValue)
      }
      return
    }
    let pool = CountingPool(
      files: files,
      runner: CountRunner(
        mode: exercise.mode, fps: fps, size: nil, threads: jobs > 1 ? 1 : PoseThreads.defaultCount),
      jobs: jobs)
    var progress = ImportProgress(total: files.count, enabled: isatty(2) != 0)
    writer.beforeNote = { [progress] in progress.finish() }
    var run = ImportRun(
      files: files, bodyMassKg: settings.weightKg ?? CalorieModel.defaultBodyMassKg, now: Date(),
      dryRun: dryRun)

    /// Performs `action` and what follows from it, until the run wants the next file.
    func perform(_ action: ImportRun.Action) throws -> ImportRun.Report? {
      var action = action
      while true {
        switch action {
        case .next:
          return nil
        case .reportFailure(_, let message):
          progress.finish()
          Terminal.note("failed: \(message)")
          return nil
        case .store(let batch):
          action = run.stored(try ImportBatchStore.store(batch, through: writer))
        case .checkKnown(let digests):
          let user = writer.user
          action = run.known(
            try WorkoutRepository(connection: user.connection, userID: user.user.id)
              .recordedDigests(digests))
        case .finished(let report):
          return report
        }
      }
    }

    for done in 1...files.count {
      let result = pool.next()
      switch result.outcome {
      case .success(let counted):
        _ = try perform(run.counted(counted, file: result.index))
      case .failure(let error):
        let message = error is PoseInputError ? "\(error)" : "\(files[result.index]): \(error)"
        _ = try perform(run.failed(file: result.index, message: message))
      }
      progress.update(done: done)
    }
    let report = try perform(run.finish()) ?? run.report
    progress.finish()
    printReport(report, restored: restored, order: found)
    if report.count(.failed) > 0 || restored.contains(where: { $0.failure != nil }) {
      throw ExitCode(ExitStatus.dataError.rawValue)
    }
  }

  private func printReport(
    _ report: ImportRun.Report, restored: [RestoredExport], order: [String]
  ) {
    let imported = report.count(.imported) + restored.reduce(0) { $0 + ($1.outcome?.imported ?? 0) }
    let skipped = report.count(.skipped) + restored.reduce(0) { $0 + ($1.outcome?.skipped ?? 0) }
    let failed = report.count(.failed) + restored.filter { $0.failure != nil }.count
    switch output.format {
    case .text:
      let verb = dryRun ? "would import" : "imported"
      print(
        "\(verb) \(imported), skipped \(skipped) (already recorded), "
          + "empty \(report.count(.empty)), failed \(failed)")
    case .json:
      var byPath: [String: JSON.Value] = [:]
      for export in restored { byPath[export.path] = export.json }
      for file in report.files {
        byPath[file.path] = sessionEntry(file)
      }
      let entries = order.compactMap { byPath[$0] }
      print(
        JSON.text(
          .object([
            ("dry_run", .bool(report.dryRun)), ("imported", .integer(imported)),
            ("skipped", .integer(skipped)), ("empty", .integer(report.count(.empty))),
            ("failed", .integer(failed)), ("files", .array(entries)),
          ])))
    }
  }

  private func sessionEntry(_ file: ImportRun.FileReport) -> JSON.Value {
    var fields: [(String, JSON.Value)] = [
      ("path", .string(file.path)), ("status", .string(file.status.rawValue)),
    ]
    if let counted = file.counted {
      fields += [("exercise", .string(counted.exerciseName)), ("reps", .integer(counted.reps))]
    }
    if let error = file.error { fields.append(("error", .string(error))) }
    return .object(fields)
  }
}
