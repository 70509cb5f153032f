import Postgres
import Recording
import WorkoutStore

/// What `import` did with one file written by `buddy export`.
struct RestoredExport {
  var path: String
  /// The counts, when the file was imported (or, in a dry run, would be).
  var outcome: ExportFileImport.Outcome?
  /// Why nothing of the file was imported (names the file and the line).
  var failure: String?

  /// The file's entry in `import --format json`: `path`, `status` (`imported` when some
  /// workout was new, `skipped` when none was, `failed`), `format`, `workouts`, `imported`,
  /// `skipped` and, on failure, `error`.
  var json: JSON.Value {
    var fields: [(String, JSON.Value)] = [("path", .string(path))]
    if let outcome {
      fields += [
        ("status", .string(outcome.imported > 0 ? "imported" : "skipped")),
        ("format", .string(ExportRecord.format)), ("workouts", .integer(outcome.workouts)),
        ("imported", .integer(outcome.imported)), ("skipped", .integer(outcome.skipped)),
      ]
    } else {
      fields += [("status", .string("failed")), ("format", .string(ExportRecord.format))]
    }
    if let failure { fields.append(("error", .string(failure))) }
    return .object(fields)
  }
}

extension ImportCommand {
  /// Restores each export file in its own transaction; a failure is one line on stderr and
  /// stops only its file. A file whose primary is lost is restored again on the new one (it
  /// skips what it finds stored); no primary within the bound stops the import (exit 69).
  func restoreExports(_ paths: [String], writer: FailoverWriter) throws -> [RestoredExport] {
    try paths.map { path in
      do {
        let outcome = try writer.perform { user, _ in
          try ExportFileImport.run(
            path: path,
            repository: WorkoutRepository(connection: user.connection, userID: user.user.id),
            dryRun: dryRun)
        }
        return RestoredExport(path: path, outcome: outcome)
      } catch let error as PostgresError where error.kind == .connectionFailure {
        throw ImportBatchStore.stopped(error)
      } catch {
        Terminal.note("failed: \(error)")
        return RestoredExport(path: path, failure: "\(error)")
      }
    }
  }
}
