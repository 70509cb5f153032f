internal import Foundation
import PoseInput
public import WorkoutStore

/// Restores the workouts of one `buddy export` file (JSON Lines) into the signed-in user's
/// account: all of the file in one transaction, so a bad line stores nothing from the file.
///
/// Each workout gets a new id; one whose source digest (kept from the export, or for a record
/// without one the SHA-256 of its canonical form, ``ExportRecord/canonicalDigest``) the user
/// already holds is skipped, so importing a file twice stores nothing the second time.
public enum ExportFileImport {
  /// What importing one file did (or, in a dry run, would do).
  public struct Outcome: Sendable, Equatable {
    public var path: String
    /// Workouts in the file.
    public var workouts: Int
    public var imported: Int
    /// Workouts stored before (same digest, or the very row the export was made from).
    public var skipped: Int
  }

  /// Why a file was not imported: names the file and, for a bad line, the line.
  public struct Failure: Error, CustomStringConvertible, Sendable {
    public var description: String
  }

  /// Workouts per INSERT.
  public static let batchSize = 250

  /// How many of the first bytes ``isExportFile(_:)`` reads.
  private static let sniffBytes = 64

  /// Whether `path` is a regular file whose first line starts with ``ExportRecord/linePrefix``
  /// (leading whitespace aside), or is empty (the export of an account without workouts): an
  /// export file rather than landmarks. A stream is never read here (its bytes would be gone).
  public static func isExportFile(_ path: String) -> Bool {
    guard PathKind(path) == .regularFile, let handle = FileHandle(forReadingAtPath: path) else {
      return false
    }
    defer { try? handle.close() }
    let head = (try? handle.read(upToCount: sniffBytes)) ?? Data()
    if head.isEmpty { return true }
    let text = String(decoding: head.drop { [0x20, 0x09, 0x0A, 0x0D].contains($0) }, as: UTF8.self)
    return text.hasPrefix(ExportRecord.linePrefix)
  }

  /// Imports the file at `path` through `repository`; with `dryRun` everything is done and
  /// then rolled back, so the counts are exact and nothing is stored.
  public static func run(path: String, repository: WorkoutRepository, dryRun: Bool) throws(Failure)
    -> Outcome
  {
    var outcome = Outcome(path: path, workouts: 0, imported: 0, skipped: 0)
    do {
      try repository.inTransaction {
        var reader = try LineReader(path: path)
        defer { reader.close() }
        var batch: [NewWorkout] = []
        func store() throws {
          let inserted = try repository.restore(batch)
          let count = inserted.filter { $0 }.count
          outcome.imported += count
          outcome.skipped += batch.count - count
          batch.removeAll(keepingCapacity: true)
        }
        while let line = try reader.next() {
          if line.allSatisfy(\.isWhitespace) { continue }
          do {
            batch.append(try ExportRecord(line: line).restoredWorkout())
          } catch {
            throw Failure(description: "\(path):\(reader.lineNumber): \(error)")
          }
          outcome.workouts += 1
          if batch.count >= batchSize { try store() }
        }
        try store()
        if dryRun { throw DryRunRollback() }
      }
    } catch is DryRunRollback {
      return outcome
    } catch let failure as Failure {
      throw failure
    } catch let failure as LineReader.Failure {
      throw Failure(
        description: failure.line > 0
          ? "\(path):\(failure.line): \(failure.reason)" : "\(path): \(failure.reason)")
    } catch {
      throw Failure(description: "\(path): \(error)")
    }
    return outcome
  }

  /// Thrown to roll a dry run back.
  private struct DryRunRollback: Error {}
}
