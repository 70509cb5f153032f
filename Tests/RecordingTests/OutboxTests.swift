import Foundation
import Postgres
import Recording
import RepCounting
import TestSupport
import Testing
import WorkoutStore

/// A temporary outbox directory, removed by `remove()`.
private struct TemporaryOutbox {
  let base: String
  let outbox: Outbox

  init() throws {
    base =
      FileManager.default.temporaryDirectory.appendingPathComponent(
        "buddy-outbox-\(UUID().uuidString.prefix(8))"
      ).path
    outbox = Outbox(directory: base + "/state/exercise-buddy/outbox")
  }

  func remove() { try? FileManager.default.removeItem(atPath: base) }
}

private func manualWorkout(reps: Int, id: UUID = UUID()) -> NewWorkout {
  NewWorkout(
    exerciseType: .pushUp, reps: reps, durationSeconds: 60, caloriesBurned: nil,
    createdAt: Date(timeIntervalSince1970: 1_800_000_000), details: StoredDetails.manual.jsonText,
    id: id)
}

private func permissions(_ path: String) throws -> Int {
  let attributes = try FileManager.default.attributesOfItem(atPath: path)
  return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

@Suite("The offline outbox on disk")
struct OutboxFileTests {
  @Test func savedEntriesAreListedAndLoadBackPrivately() throws {
    let temporary = try TemporaryOutbox()
    defer { temporary.remove() }
    let outbox = temporary.outbox
    #expect(outbox.pendingFiles().isEmpty)
    let first = Outbox.Entry(
      workout: manualWorkout(reps: 11), token: String(repeating: "ab", count: 32),
      caloriesPending: true, savedAt: Date(timeIntervalSince1970: 1_800_000_100))
    let second = Outbox.Entry(
      workout: manualWorkout(reps: 12), token: nil, tokenSHA256: String(repeating: "cd", count: 32),
      caloriesPending: false, savedAt: Date(timeIntervalSince1970: 1_800_000_200))
    #expect(try outbox.save(first) == 1)
    #expect(try outbox.save(second) == 2)
    let files = outbox.pendingFiles()
    let expected = [first, second].compactMap { $0.workout.id?.uuidString.lowercased() }.sorted()
      .map { "\(outbox.directory)/\($0).json" }
    #expect(files == expected)
    #expect(try permissions(outbox.directory) == 0o700)
    for path in files { #expect(try permissions(path) == 0o600) }
    let loaded = files.compactMap(outbox.load).sorted { $0.workout.reps < $1.workout.reps }
    #expect(loaded == [first, second])
    // No temporary file is left beside the entries.
    #expect(try FileManager.default.contentsOfDirectory(atPath: outbox.directory).count == 2)
  }

  @Test func anEntryWrittenByEarlierVersionsStillLoads() throws {
    let temporary = try TemporaryOutbox()
    defer { temporary.remove() }
    let outbox = temporary.outbox
    try FileManager.default.createDirectory(
      atPath: outbox.directory, withIntermediateDirectories: true)
    // As `buddy record` wrote it before the outbox moved to the Recording module.
    let text = """
      {"caloriesPending":true,"savedAt":"2026-11-20T07:31:02Z","tokenSHA256":"\(String(repeating: "0f", count: 32))",\
      "workout":{"createdAt":"2026-11-20T07:30:00Z","details":"{\\"source\\": \\"manual\\"}",\
      "durationSeconds":90,"exerciseType":"jump-rope","id":"5E0C1B7A-1D2F-4C3B-9A8E-0123456789AB",\
      "reps":150}}

      """
    let path = outbox.directory + "/5e0c1b7a-1d2f-4c3b-9a8e-0123456789ab.json"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    let entry = try #require(outbox.load(path))
    #expect(entry.token == nil)
    #expect(entry.tokenSHA256 == String(repeating: "0f", count: 32))
    #expect(entry.caloriesPending)
    #expect(entry.savedAt == Date(timeIntervalSince1970: 1_795_159_862))
    #expect(entry.workout.exerciseType == .jumpRope && entry.workout.reps == 150)
    #expect(entry.workout.durationSeconds == 90 && entry.workout.caloriesBurned == nil)
    #expect(entry.workout.id == UUID(uuidString: "5E0C1B7A-1D2F-4C3B-9A8E-0123456789AB"))
    #expect(try StoredDetails(jsonText: entry.workout.details ?? "") == .manual)
  }

  @Test func unreadableAndHiddenFilesAreNotEntries() throws {
    let temporary = try TemporaryOutbox()
    defer { temporary.remove() }
    let outbox = temporary.outbox
    try outbox.save(
      Outbox.Entry(
        workout: manualWorkout(reps: 1), token: nil, caloriesPending: true, savedAt: Date()))
    try "{".write(toFile: outbox.directory + "/broken.json", atomically: true, encoding: .utf8)
    try "{}".write(toFile: outbox.directory + "/.hidden.json", atomically: true, encoding: .utf8)
    try "{}".write(toFile: outbox.directory + "/notes.txt", atomically: true, encoding: .utf8)
    let files = outbox.pendingFiles()
    #expect(files.count == 2)
    #expect(files.compactMap(outbox.load).count == 1)
    #expect(outbox.load(outbox.directory + "/gone.json") == nil)
  }

  @Test func aDirectoryThatIsAFileCannotHoldEntries() throws {
    let temporary = try TemporaryOutbox()
    defer { temporary.remove() }
    try FileManager.default.createDirectory(
      atPath: temporary.base, withIntermediateDirectories: true)
    try "".write(toFile: temporary.base + "/file", atomically: true, encoding: .utf8)
    let outbox = Outbox(directory: temporary.base + "/file")
    let error = try #require(throws: RecordingError.self) {
      try outbox.save(
        Outbox.Entry(
          workout: manualWorkout(reps: 1), token: nil, caloriesPending: true, savedAt: Date()))
    }
    #expect(error.kind == .outboxNotWritable)
    #expect(error.description.contains("is not a directory"))
  }
}

@Suite("Uploading the offline outbox", .enabled(if: TestDatabase.isAvailable))
struct OutboxUploadTests {
  @Test func entriesUploadUnderTheirOwnSessionOnce() throws {
    let world = try SignedInDatabase()
    defer { world.close() }
    let temporary = try TemporaryOutbox()
    defer { temporary.remove() }
    let ann = try world.member("ann")
    let bob = try world.member("bob")
    let connection = try world.client()
    let accounts = AccountStore(connection: connection)
    try accounts.use(ann.token)
    try ProfileStore(connection: connection, userID: ann.id).save(
      UserSettings(weightKg: 60, timeZone: "UTC", weekStart: .monday))
    try accounts.use(nil)
    let outbox = temporary.outbox
    // A counted session, saved offline with calories pending.
    let counted = CountedSession(
      summary: try StoredFixtures.summary(of: StoredFixtures.pushUpFile),
      digest: SHA256.hash(Array("partials".utf8)), startTime: nil,
      sourceName: StoredFixtures.recordedName(StoredFixtures.pushUpFile), sourceKind: "document")
    var fromFile = try counted.workout(
      bodyMassKg: 70, fallbackTime: Date(timeIntervalSince1970: 1_800_000_000))
    fromFile.id = UUID()
    try outbox.save(
      Outbox.Entry(workout: fromFile, token: ann.token.hex, caloriesPending: true, savedAt: Date()))
    try outbox.save(
      Outbox.Entry(
        workout: manualWorkout(reps: 9), token: bob.token.hex, caloriesPending: false,
        savedAt: Date()))

    let report = try OutboxUpload(outbox: outbox, currentToken: nil).run(connection)
    var expected = OutboxUpload.Report()
    expected.uploaded = 2
    #expect(report == expected)
    #expect(outbox.pendingFiles().isEmpty)
    // The connection acts for nobody afterwards.
    #expect(try AccountStore(connection: connection).currentUserID() == nil)
    #expect(try world.count("SELECT count(*) FROM workouts WHERE user_id = $1", [ann.id]) == 1)
    #expect(
      try world.count(
        "SELECT count(*) FROM workouts WHERE user_id = $1 AND reps_count = 9", [bob.id]) == 1)
    // Stored as the code before the Recording module stored it, and read back.
    #expect(
      try world.count(
        "SELECT count(*) FROM workouts WHERE details = $1::jsonb AND user_id = $2",
        [StoredFixtures.pushUpText, ann.id]) == 1)
    let row = try world.admin.query(
      "SELECT details::text, calories_burned FROM workouts WHERE user_id = $1", [ann.id])[0]
    let storedText = try row.decode(0, as: String.self)
    #expect(storedText != StoredFixtures.pushUpText)  // jsonb's own layout …
    #expect(try StoredDetails(jsonText: storedText) == .counted(counted.details))  // … same values
    // Calories computed at upload from ann's 60 kg over the stored 13 s: MET 8.0 × 60 kg × 13 s.
    #expect(fromFile.durationSeconds == 13)
    #expect(abs(try row.decode(1, as: Double.self) - 8.0 * 60 * 13 / 3600) < 1e-9)

    // Uploading the same entry again stores nothing more.
    try outbox.save(
      Outbox.Entry(workout: fromFile, token: ann.token.hex, caloriesPending: true, savedAt: Date()))
    let again = try OutboxUpload(outbox: outbox, currentToken: nil).run(connection)
    #expect(again.alreadyStored == 1 && again.uploaded == 0)
    #expect(outbox.pendingFiles().isEmpty)
    #expect(try world.count("SELECT count(*) FROM workouts") == 2)
  }

  @Test func refusedEntriesAreSetAsideWithTheirReason() throws {
    let world = try SignedInDatabase()
    defer { world.close() }
    let temporary = try TemporaryOutbox()
    defer { temporary.remove() }
    let ann = try world.member("ann")
    let outbox = temporary.outbox
    var tooMany = manualWorkout(reps: 3_000_000_000)
    tooMany.id = UUID(uuidString: "00000000-0000-4000-8000-000000000001")
    var notJSON = manualWorkout(reps: 5)
    notJSON.id = UUID(uuidString: "00000000-0000-4000-8000-000000000002")
    notJSON.details = "{not json"
    var good = manualWorkout(reps: 6)
    good.id = UUID(uuidString: "00000000-0000-4000-8000-000000000003")
    for workout in [tooMany, notJSON, good] {
      try outbox.save(
        Outbox.Entry(workout: workout, token: ann.token.hex, caloriesPending: true, savedAt: Date())
      )
    }
    try "{".write(toFile: outbox.directory + "/broken.json", atomically: true, encoding: .utf8)

    let report = try OutboxUpload(outbox: outbox, currentToken: nil).run(try world.client())
    #expect(report.uploaded == 1)
    #expect(report.unreadable == 1)
    #expect(
      report.rejected.map(\.file) == [
        outbox.rejectedDirectory + "/00000000-0000-4000-8000-000000000001.json",
        outbox.rejectedDirectory + "/00000000-0000-4000-8000-000000000002.json",
      ])
    #expect(report.rejected[0].reason == "reps must be 0 to 10000000 (got 3000000000)")
    #expect(report.rejected[1].reason.contains("json"))
    #expect(outbox.pendingFiles() == [outbox.directory + "/broken.json"])
    let reason = try String(contentsOfFile: report.rejected[0].file + ".reason", encoding: .utf8)
    #expect(reason == "reps must be 0 to 10000000 (got 3000000000)\n")
    #expect(try permissions(report.rejected[0].file + ".reason") == 0o600)
    #expect(try permissions(outbox.rejectedDirectory) == 0o700)
    #expect(try world.count("SELECT count(*) FROM workouts") == 1)
  }

  @Test func anEntryWaitsForASessionTheDatabaseConfirms() throws {
    let world = try SignedInDatabase()
    defer { world.close() }
    let temporary = try TemporaryOutbox()
    defer { temporary.remove() }
    let ann = try world.member("ann")
    let outbox = temporary.outbox
    let unknown = SessionToken.random()
    try outbox.save(
      Outbox.Entry(
        workout: manualWorkout(reps: 7), token: unknown.hex, caloriesPending: true, savedAt: Date())
    )
    // Written before entries kept their token: only the token with that digest uploads it.
    try outbox.save(
      Outbox.Entry(
        workout: manualWorkout(reps: 8), token: nil, tokenSHA256: SHA256.hex(ann.token.digest),
        caloriesPending: true, savedAt: Date()))

    let connection = try world.client()
    let withoutLogin = try OutboxUpload(outbox: outbox, currentToken: nil).run(connection)
    #expect(withoutLogin.waiting == 2 && withoutLogin.uploaded == 0)
    let otherLogin = try OutboxUpload(outbox: outbox, currentToken: unknown).run(connection)
    #expect(otherLogin.waiting == 2)
    #expect(outbox.pendingFiles().count == 2)
    #expect(try world.count("SELECT count(*) FROM workouts") == 0)

    let annLoggedIn = try OutboxUpload(outbox: outbox, currentToken: ann.token).run(connection)
    #expect(annLoggedIn.uploaded == 1 && annLoggedIn.waiting == 1)
    #expect(
      try world.count(
        "SELECT count(*) FROM workouts WHERE user_id = $1 AND reps_count = 8", [ann.id]) == 1)
    #expect(outbox.pendingFiles().count == 1)
  }

  @Test func aLostConnectionLeavesEveryEntryPending() throws {
    let world = try SignedInDatabase()
    defer { world.close() }
    let temporary = try TemporaryOutbox()
    defer { temporary.remove() }
    let ann = try world.member("ann")
    let outbox = temporary.outbox
    try outbox.save(
      Outbox.Entry(
        workout: manualWorkout(reps: 7), token: ann.token.hex, caloriesPending: true,
        savedAt: Date()))
    let connection = try world.client()
    let pid = try connection.query("SELECT pg_backend_pid()")[0].decode(0, as: Int.self)
    try world.admin.query("SELECT pg_terminate_backend($1::int)", [pid])
    #expect(throws: PostgresError.self) {
      try OutboxUpload(outbox: outbox, currentToken: nil).run(connection)
    }
    #expect(outbox.pendingFiles().count == 1)
  }
}
