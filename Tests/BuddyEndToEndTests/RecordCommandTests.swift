import Foundation
import Postgres
import TestSupport
import Testing

/// `buddy record` end to end: fixtures counted and saved, manual entries, idempotence.
@Suite("Recording workouts end to end", .enabled(if: TestDatabase.isAvailable))
struct RecordCommandTests {
  private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Fixtures").standardized.path

  /// Ann, signed in on a fresh database, in UTC.
  private func signedInAnn() throws -> SignedInUser {
    try SignedInUser("ann", environment: ["TZ": "UTC"])
  }

  @Test func recordsAFixtureOnceWithDetailsAndADigest() throws {
    let world = try signedInAnn()
    defer { world.close() }
    let file = Self.fixtures + "/mp33-side-15fps-fast-no-lockout.json"
    let first = try world.buddy.run(["record", "--exercise", "push-up", file])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.hasPrefix("push-up: 12 reps"))
    #expect(first.stdout.contains("Saved push-up: 12 reps"))
    #expect(first.stdout.contains("new personal record!"))
    #expect(first.stderr.contains("calories assume 70 kg"))
    let again = try world.buddy.run(["record", "--exercise", "push-up", file])
    #expect(again.status == 0)
    #expect(again.stdout.contains("Already recorded on"))
    #expect(try world.count() == 1)
    // The same bytes through standard input are the same session.
    let bytes = try String(contentsOfFile: file, encoding: .utf8)
    let piped = try world.buddy.run(["record", "--exercise", "push-up", "-"], stdin: bytes)
    #expect(piped.stdout.contains("Already recorded on"))
    let connection = try world.database.connect()
    let row = try connection.query(
      "SELECT encode(source_digest, 'hex'), details->>'engine_version', "
        + "jsonb_array_length(details->'reps_detail'), details->'source'->>'format', reps_count "
        + "FROM workouts")[0]
    let digest = try row.decode(0, as: String.self)
    let expected = try BuddyProcess.execute(
      "/usr/bin/sha256sum", [file], environment: ProcessInfo.processInfo.environment
    ).stdout.prefix(64)
    #expect(digest == String(expected))
    #expect(try row.decode(1, as: String.self).hasPrefix("push-up/"))
    #expect(try row.decode(2, as: Int.self) == 12)
    #expect(try row.decode(3, as: String.self) == "document")
    #expect(try row.decode(4, as: Int.self) == 12)
  }

  @Test func dryRunsAndEmptySessionsWriteNothing() throws {
    let world = try signedInAnn()
    defer { world.close() }
    let file = Self.fixtures + "/mp33-side-15fps-steady.json"
    let dry = try world.buddy.run([
      "record", "--exercise", "push-up", "--dry-run", "--format", "json", file,
    ])
    #expect(dry.status == 0)
    #expect(dry.stdout.hasPrefix(#"{"status":"dry_run","exercise_type":"push-up","reps_count":6"#))
    let empty = #"{"fps": 30, "frames": [{"landmarks": null}, {"landmarks": null}]}"#
    let refused = try world.buddy.run(["record", "--exercise", "push-up", "-"], stdin: empty)
    #expect(refused.status == 65)
    #expect(refused.stderr.contains("counted 0 reps in <stdin>; nothing saved"))
    #expect(try world.count() == 0)
    let allowed = try world.buddy.run(
      ["record", "--exercise", "push-up", "--allow-empty", "-"], stdin: empty)
    #expect(allowed.status == 0, "\(allowed.stderr)")
    #expect(try world.count() == 1)
  }

  @Test func badInputSavesNothingAndNamesThePlace() throws {
    let world = try signedInAnn()
    defer { world.close() }
    let truncated = try world.buddy.run(
      ["record", "--exercise", "push-up", "-"],
      stdin: #"{"fps": 30, "frames": [{"landmarks": [[0.1, "#)
    #expect(truncated.status == 65)
    #expect(truncated.stderr.hasPrefix("buddy: <stdin>:1:"))
    let missing = try world.buddy.run(["record", "--exercise", "push-up", "/nonexistent/file.json"])
    #expect(missing.status == 66)
    #expect(try world.count() == 0)
  }

  @Test func manualEntriesUseTheProfileZoneAndWeight() throws {
    let world = try signedInAnn()
    defer { world.close() }
    _ = try world.buddy.run(["profile", "set", "weight-kg", "80", "time-zone", "Europe/Paris"])
    let manual = try world.buddy.run([
      "record", "--exercise", "jump-rope", "--reps", "300", "--duration", "3m", "--at",
      "2026-11-20 07:30",
      "--format", "json",
    ])
    #expect(manual.status == 0, "\(manual.stderr)")
    // 100 skips a minute is moderate pace: MET 11.8 x 80 kg x 0.05 h = 47.2 kcal.
    #expect(manual.stdout.contains(#""calories_burned":47.2"#))
    #expect(manual.stdout.contains(#""created_at":"2026-11-20T07:30:00+01:00""#))
    // A time with its own offset is that instant, shown in the profile's zone.
    let offset = try world.buddy.run([
      "record", "--exercise", "jump-rope", "--reps", "100", "--duration", "1m", "--at",
      "2026-11-21T06:00:15Z", "--format", "json",
    ])
    #expect(
      offset.stdout.contains(#""created_at":"2026-11-21T07:00:15+01:00""#), "\(offset.stderr)")
    #expect(manual.stdout.contains(#""status":"saved","personal_record":true"#))
    let text = try world.buddy.run([
      "record", "--exercise", "push-up", "--reps", "20", "--duration", "2m30s",
    ])
    #expect(text.stdout.hasPrefix("Saved push-up: 20 reps, 2:30, 26.7 kcal — new personal record!"))
    #expect(try world.buddy.run(["record", "--reps", "5", "--duration", "1m"]).status == 64)
    #expect(
      try world.buddy.run(["record", "--exercise", "push-up", "--reps", "5", "--duration", "soon"])
        .status == 64)
    #expect(
      try world.buddy.run([
        "record", "--exercise", "push-up", "--reps", "5", "--duration", "1m", "--at", "noon",
      ]).status == 64)
    #expect(try world.count() == 3)
  }
}

/// The whole flow of the workouts issue with exact expected figures.
@Suite("Record, history and stats together", .enabled(if: TestDatabase.isAvailable))
struct WorkoutFlowTests {
  private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Fixtures").standardized.path

  @Test func threeFixturesAndAManualEntryGiveExactStats() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    try BuddyProcess.migrate(database.url)
    let buddy = try BuddyProcess.loggedIn("flow", databaseURL: database.url)
    defer { buddy.cleanUp() }
    #expect(try buddy.run(["profile", "set", "weight-kg", "70", "time-zone", "UTC"]).status == 0)

    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd"
    let day = { (offset: Int) in
      formatter.string(from: Date().addingTimeInterval(Double(offset) * 86_400))
    }
    let sessions: [(String, Int)] = [
      ("mp33-side-15fps-fast-no-lockout.json", -3), ("coco17-side-30fps-jitter-drops.json", -1),
      ("mp33-side-15fps-steady.json", 0),
    ]
    for (file, offset) in sessions {
      let result = try buddy.run(
        [
          "record", "--exercise", "push-up", "--at", "\(day(offset)) 06:00",
          Self.fixtures + "/" + file,
        ])
      #expect(result.status == 0, "\(file): \(result.stderr)")
    }
    let manual = try buddy.run([
      "record", "--exercise", "jump-rope", "--reps", "240", "--duration", "2m", "--at",
      "\(day(0)) 07:00",
    ])
    #expect(manual.status == 0)

    let history = try buddy.run(["history", "--format", "jsonl"]).stdout.split(separator: "\n")
    #expect(history.count == 4)
    #expect(
      history.map { $0.contains(#""exercise_type":"jump-rope""#) } == [true, false, false, false])
    #expect(history[1].contains(#""reps_count":6"#) && history[3].contains(#""reps_count":12"#))
    let csv = try buddy.run(["history", "--format", "csv"]).stdout
    #expect(csv.components(separatedBy: "\r\n").count == 6)
    #expect(try buddy.run(["history", "--format", "json"]).stdout.hasPrefix("[{"))

    let stats = try buddy.run(["stats", "--format", "json"]).stdout
    #expect(stats.contains(#""totals":{"workouts":4,"reps":268"#))
    #expect(
      stats.contains(
        #"{"exercise_type":"jump-rope","workouts":1,"total_reps":240,"average_reps":240,"personal_record":240"#
      ))
    #expect(
      stats.contains(
        #"{"exercise_type":"push-up","workouts":3,"total_reps":28,"average_reps":9.3,"personal_record":12"#
      ))
    #expect(stats.contains(#""streaks":{"current_days":2,"longest_days":2}"#))
    #expect(stats.contains(#"{"date":"\#(day(-3))","workouts":1,"reps":12"#))
    #expect(stats.contains(#"{"date":"\#(day(-2))","workouts":0,"reps":0"#))
    #expect(stats.contains(#"{"date":"\#(day(0))","workouts":2,"reps":246"#))
    #expect(stats.contains(#""month":"\#(day(0).prefix(7))","workouts":"#))
  }
}

@Suite("Live recording", .enabled(if: TestDatabase.isAvailable))
struct LiveRecordTests {
  @Test func followPrintsEachRepThenSavesWithAutoDetection() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    try BuddyProcess.migrate(database.url)
    let buddy = try BuddyProcess.loggedIn("live", databaseURL: database.url)
    defer { buddy.cleanUp() }
    let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../Fixtures/mp33-side-15fps-steady.json").standardized.path
    let result = try buddy.run(
      ["record", "--follow", "-"], stdin: try String(contentsOfFile: fixture, encoding: .utf8))
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.filter { $0.hasPrefix("rep ") }.count == 6)
    #expect(lines.first?.hasPrefix("rep   1 ") == true)
    #expect(lines.last?.hasPrefix("Saved push-up: 6 reps") == true)
  }
}
