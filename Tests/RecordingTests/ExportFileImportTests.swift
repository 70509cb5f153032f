import Foundation
import Postgres
import Recording
import TestSupport
import Testing
import WorkoutStore

#if canImport(Glibc)
import Glibc
#endif

@Suite("Restoring an export file", .enabled(if: TestDatabase.isAvailable))
struct ExportFileImportTests {
  private static func line(reps: Int, minute: Int) -> String {
    #"{"format":"buddy-workout/1","id":null,"exercise_type":"push-up","reps_count":\#(reps),"#
      + #""duration_seconds":60,"calories_burned":null,"created_at":"2026-11-20T07:\#(minute):00Z","#
      + #""kind":"manual","source_digest":null,"details":{"source": "manual"}}"#
  }

  private func write(_ text: String, _ name: String = "w.jsonl") throws -> String {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("export-\(UUID().uuidString)-\(name)").path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  private func repository(_ world: SignedInDatabase) throws -> WorkoutRepository {
    let member = try world.member("ann")
    let connection = try world.client()
    try AccountStore(connection: connection).use(member.token)
    return WorkoutRepository(connection: connection, userID: member.id)
  }

  @Test func crlfBlankLinesAndNoFinalNewlineAreFineAndADryRunStoresNothing() throws {
    let world = try SignedInDatabase()
    defer { world.database.drop() }
    let repository = try repository(world)
    let path = try write(
      Self.line(reps: 1, minute: 10) + "\r\n\n  \n" + Self.line(reps: 2, minute: 11) + "\n"
        + Self.line(reps: 2, minute: 11) + "\n" + Self.line(reps: 3, minute: 12))
    defer { unlink(path) }
    let dryRun = try ExportFileImport.run(path: path, repository: repository, dryRun: true)
    #expect(dryRun.workouts == 4 && dryRun.imported == 3 && dryRun.skipped == 1)
    #expect(try world.count("SELECT count(*) FROM workouts") == 0)
    let real = try ExportFileImport.run(path: path, repository: repository, dryRun: false)
    #expect(real == dryRun)
    #expect(try world.count("SELECT count(*) FROM workouts WHERE source_digest IS NOT NULL") == 3)
    let again = try ExportFileImport.run(path: path, repository: repository, dryRun: false)
    #expect(again.imported == 0 && again.skipped == 4)
  }

  @Test(arguments: [
    (Array("\n\n".utf8) + [0xFF, 0xFE] + Array("\n".utf8), ":3: not UTF-8 text"),
    (Array("{\"format\":\"buddy-workout/1\",\n".utf8), ":1: not valid JSON"),
  ])
  func aBadLineIsNamedAndNothingOfTheFileIsStored(_ tail: [UInt8], _ reason: String) throws {
    let world = try SignedInDatabase()
    defer { world.database.drop() }
    let repository = try repository(world)
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("export-\(UUID().uuidString).jsonl").path
    defer { unlink(path) }
    let good = Array((Self.line(reps: 1, minute: 10)).utf8)
    try Data(tail.starts(with: Array("{".utf8)) ? tail : good + tail).write(
      to: URL(fileURLWithPath: path))
    do {
      _ = try ExportFileImport.run(path: path, repository: repository, dryRun: false)
      Issue.record("imported a bad file")
    } catch {
      #expect(error.description == path + reason)
    }
    #expect(try world.count("SELECT count(*) FROM workouts") == 0)
  }

  @Test func exportFilesAreRecognisedByTheirFirstLineOnly() throws {
    let export = try write("  \n" + Self.line(reps: 1, minute: 10) + "\n")
    let empty = try write("")
    let landmarks = try write(#"{"fps": 30, "frames": []}"#)
    let lookalike = try write(#"{"format" : "buddy-workout/1"}"#)
    defer { for path in [export, empty, landmarks, lookalike] { unlink(path) } }
    #expect(ExportFileImport.isExportFile(export))
    #expect(ExportFileImport.isExportFile(empty), "the export of an account without workouts")
    #expect(!ExportFileImport.isExportFile(landmarks))
    #expect(!ExportFileImport.isExportFile(lookalike), "the rule is the exact prefix we write")
    #expect(!ExportFileImport.isExportFile("/nonexistent/w.jsonl"))
    let fifo = FileManager.default.temporaryDirectory.appendingPathComponent(
      "export-\(UUID().uuidString).fifo"
    ).path
    #expect(mkfifo(fifo, 0o600) == 0)
    defer { unlink(fifo) }
    #expect(!ExportFileImport.isExportFile(fifo), "a stream is never sniffed")
  }
}
