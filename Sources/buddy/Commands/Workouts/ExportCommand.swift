import ArgumentParser
import Foundation
import Recording
import WorkoutStore

/// `buddy export`: every workout of the signed-in user, with everything stored about it.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write all your workouts, with everything stored about them, to a file or stdout.",
    discussion: """
      JSON Lines (the default) is one workout per line and nothing else, oldest first, e.g.
        {"format":"buddy-workout/1","id":"…","exercise_type":"push-up",
         "reps_count":12,"duration_seconds":40,"calories_burned":4.2,
         "created_at":"2026-11-20T07:30:00+01:00","kind":"counted",
         "source_digest":"9f…","details":{…}}
      (one line in the file). created_at is in your profile's time zone with its offset \
      (microseconds when not zero); kind is manual (typed in) or counted; source_digest is \
      the SHA-256 of the counted input; details is the stored object (per-rep breakdown, \
      signal). `buddy import FILE` restores such a file into any account or database, with \
      new ids and without duplicates: a workout is known by its source digest, a manual entry \
      without one by the SHA-256 of its record (then stored as its digest), so importing \
      twice stores nothing the second time.

      CSV (RFC 4180, CRLF, a header row) is for spreadsheets; `import` does not read it back. \
      Columns: \(Self.csvColumns.joined(separator: ", ")); details is JSON text in one field, \
      a null value an empty field.

      --since/--until are local days in your profile's time zone, as for `history`. With -o \
      the file (mode 0600) is replaced atomically once everything is written, so a failed \
      export leaves no partial file. An account without workouts gives an empty file (CSV: \
      the header only).

      Examples:
        buddy export -o workouts.jsonl
        buddy export --exercise push-up --since 2026-11-01 --format csv -o p.csv
        buddy export | gzip > backup.jsonl.gz
        buddy import workouts.jsonl     (on another account or database)
      """
  )

  /// The CSV columns, in order.
  static let csvColumns = [
    "id", "exercise_type", "reps_count", "duration_seconds", "calories_burned", "created_at",
    "kind", "source_digest", "details",
  ]

  @OptionGroup var filter: ExerciseFilter
  @Option(help: "First local day to include (YYYY-MM-DD).", transform: LocalDay.parse)
  var since: LocalDay?
  @Option(help: "Last local day to include (YYYY-MM-DD).", transform: LocalDay.parse)
  var until: LocalDay?
  @OptionGroup var output: FormatOption<ExportFormat>
  @Option(
    name: [.customShort("o"), .customLong("output")],
    help: ArgumentHelp("Write to this file (mode 0600) instead of stdout.", valueName: "file"))
  var file: String?
  @OptionGroup var database: DatabaseOptions

  func validate() throws {
    if let since, let until, until < since {
      throw ValidationError("--until must not be before --since")
    }
    if file?.isEmpty == true { throw ValidationError("-o needs a file name") }
  }

  func run() throws {
    let current = try CurrentUser.require(database, outbox: .upload, access: .read)
    let settings = try ProfileStore(connection: current.connection, userID: current.user.id)
      .settings()
    let zone = LocalTime.zone(named: settings.timeZone)
    let repository = WorkoutRepository(connection: current.connection, userID: current.user.id)
    let writer = try file.map { path in
      do {
        return try PrivateFileWriter(path: path, mode: 0o600)
      } catch {
        throw CLIError(.config, "\(error)")
      }
    }
    func emit(_ text: String) throws {
      guard let writer else {
        print(text, terminator: "")
        return
      }
      do {
        try writer.write(text)
      } catch {
        throw CLIError(.config, "\(error)")
      }
    }
    if output.format == .csv { try emit(CSV.record(Self.csvColumns)) }
    try repository.export(
      HistoryFilter(
        exerciseType: filter.exercise, since: since, until: until, timeZone: settings.timeZone)
    ) { workout in
      guard let record = ExportRecord(workout) else {
        throw CLIError(
          .dataError, "workout \(workout.id.uuidString.lowercased()) has a date outside 1900-9999")
      }
      switch output.format {
      case .jsonl: try emit(record.jsonLine(in: zone) + "\n")
      case .csv: try emit(CSV.record(csvFields(record, zone: zone)))
      }
    }
    if let writer {
      do {
        try writer.commit()
      } catch {
        throw CLIError(.config, "\(error)")
      }
    }
  }

  private func csvFields(_ record: ExportRecord, zone: TimeZone) -> [String] {
    [
      record.id.map { $0.uuidString.lowercased() } ?? "", record.exerciseType, String(record.reps),
      String(record.durationSeconds),
      record.caloriesBurned.map { JSON.text(.number($0)) } ?? "",
      record.createdAtText(in: zone), record.kind.rawValue,
      record.sourceDigest.map(SHA256.hex) ?? "", record.details ?? "",
    ]
  }
}
