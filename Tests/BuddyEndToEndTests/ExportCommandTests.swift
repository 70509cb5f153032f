import Foundation
import Postgres
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `buddy export` and the import of its files, and `history`'s next-page hint, end to end.
@Suite("Export, restore and history pages", .enabled(if: TestDatabase.isAvailable))
struct ExportCommandTests {
  private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Fixtures").standardized.path

  /// Records two counted sessions (push-ups; push-ups then rope) and two manual entries.
  private func recordSomeWorkouts(_ buddy: BuddyProcess) throws {
    for arguments in [
      ["record", Self.fixtures + "/mp33-side-10fps-slow.json"],
      ["record", Self.fixtures + "/mixed-coco17-side-30fps-pushups-then-rope.jsonl"],
      [
        "record", "--exercise", "push-up", "--reps", "20", "--duration", "2m30s", "--at",
        "2026-11-20 07:30",
      ],
      ["record", "--exercise", "squat", "--reps", "15", "--duration", "2m"],
    ] {
      let result = try buddy.run(arguments)
      try #require(result.status == 0, "\(arguments): \(result.stderr)")
    }
    // One manual and one counted workout edited: their original values travel in details.
    let history = try buddy.run(["history", "--format", "json"]).stdout
    let rows = try #require(
      try JSONSerialization.jsonObject(with: Data(history.utf8)) as? [[String: Any]])
    let squat = try #require(
      rows.first { $0["exercise_type"] as? String == "squat" }?["id"] as? String)
    let counted = try #require(rows.first { $0["exercise_type"] as? String == "jump-rope" }?["id"])
    for (id, reps) in [(squat, "16"), ("\(counted)", "9")] {
      let edit = try buddy.run(["workout", "edit", id, "--reps", reps])
      try #require(edit.status == 0, "\(edit.stderr)")
    }
  }

  /// `text` without any `"id":"…"` member (ids belong to a database).
  private func withoutIDs(_ text: String) -> String {
    text.replacingOccurrences(of: #""id":"[0-9a-f-]{36}","#, with: "", options: .regularExpression)
  }

  private func ids(_ text: String) -> Set<String> {
    let pattern = try? NSRegularExpression(pattern: #""id":"([0-9a-f-]{36})""#)
    let range = NSRange(text.startIndex..., in: text)
    return Set(
      (pattern?.matches(in: text, range: range) ?? []).compactMap {
        Range($0.range(at: 1), in: text).map { String(text[$0]) }
      })
  }

  @Test func anExportRestoresIntoAnotherDatabaseWithTheSameHistoryAndStats() throws {
    let ann = try SignedInUser("ann")
    defer { ann.close() }
    #expect(try ann.buddy.run(["profile", "set", "time-zone", "Europe/Berlin"]).status == 0)
    try recordSomeWorkouts(ann.buddy)
    let file = ann.buddy.home + "/workouts.jsonl"
    let export = try ann.buddy.run(["export", "-o", file])
    #expect(export.status == 0, "\(export.stderr)")
    #expect(export.stdout.isEmpty)
    var info = stat()
    #expect(stat(file, &info) == 0 && info.st_mode & 0o777 == 0o600)
    let text = try String(contentsOfFile: file, encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 5 && lines.last == "", "one workout per line and nothing else")
    #expect(lines.dropLast().allSatisfy { $0.hasPrefix(#"{"format":"buddy-workout/1","id":""#) })
    #expect(lines.filter { $0.contains(#""kind":"manual""#) }.count == 2)
    #expect(lines.filter { $0.contains(#""reps_detail""#) }.count == 2)
    #expect(lines.filter { $0.contains(#""edited_at""#) }.count == 2)
    #expect(try ann.buddy.run(["export"]).stdout == text)

    // Another database, another user with the same time zone.
    let bob = try SignedInUser("bob")
    defer { bob.close() }
    #expect(try bob.buddy.run(["profile", "set", "time-zone", "Europe/Berlin"]).status == 0)
    let dryRun = try bob.buddy.run(["import", "--dry-run", "--format", "json", file])
    #expect(dryRun.status == 0, "\(dryRun.stderr)")
    #expect(
      dryRun.stdout
        == #"{"dry_run":true,"imported":4,"skipped":0,"empty":0,"failed":0,"files":[{"path":""#
        + file
        + #"","status":"imported","format":"buddy-workout/1","workouts":4,"imported":4,"skipped":0}]}"#
        + "\n")
    #expect(try bob.count() == 0)
    let restore = try bob.buddy.run(["import", file])
    #expect(restore.status == 0, "\(restore.stderr)")
    #expect(restore.stdout == "imported 4, skipped 0 (already recorded), empty 0, failed 0\n")

    let annHistory = try ann.buddy.run(["history", "--format", "json"]).stdout
    let bobHistory = try bob.buddy.run(["history", "--format", "json"]).stdout
    #expect(ids(annHistory).count == 4)
    #expect(ids(annHistory).isDisjoint(with: ids(bobHistory)), "new ids in the new database")
    #expect(withoutIDs(bobHistory) == withoutIDs(annHistory))
    #expect(
      try bob.buddy.run(["stats", "--format", "json"]).stdout
        == (try ann.buddy.run(["stats", "--format", "json"]).stdout))
    // Everything stored comes back: details byte for byte, times to the microsecond, counted
    // digests kept; manual entries now carry the digest of their record.
    let bobExport = try bob.buddy.run(["export"]).stdout
    func comparable(_ export: String) -> [String] {
      export.split(separator: "\n").map {
        withoutIDs(String($0)).replacingOccurrences(
          of: #""kind":"manual","source_digest":"[0-9a-f]{64}""#,
          with: #""kind":"manual","source_digest":null"#, options: .regularExpression)
      }
    }
    #expect(comparable(bobExport) == comparable(text))
    #expect(bobExport.components(separatedBy: #""source_digest":null"#).count == 1)

    // A second import, and importing the restored copy back where it came from: nothing new.
    let again = try bob.buddy.run(["import", file])
    #expect(again.stdout == "imported 0, skipped 4 (already recorded), empty 0, failed 0\n")
    #expect(try bob.count() == 4)
    let back = ann.buddy.home + "/back.jsonl"
    try bobExport.write(toFile: back, atomically: true, encoding: .utf8)
    let home = try ann.buddy.run(["import", back, file])
    #expect(home.stdout == "imported 0, skipped 8 (already recorded), empty 0, failed 0\n")
    #expect(try ann.count() == 4)

    // Found in a directory walk, an export is restored too (not skipped as non-landmark JSON).
    let carol = try SignedInUser("carol")
    defer { carol.close() }
    let folder = carol.buddy.home + "/exports"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try text.write(toFile: folder + "/ann.jsonl", atomically: true, encoding: .utf8)
    let walked = try carol.buddy.run(["import", folder])
    #expect(walked.status == 0, "\(walked.stderr)")
    #expect(walked.stdout == "imported 4, skipped 0 (already recorded), empty 0, failed 0\n")
    #expect(try carol.count() == 4)
  }

  @Test func csvQuotesEveryFieldThatNeedsIt() throws {
    let world = try SignedInUser("csv")
    defer { world.close() }
    let odd = world.buddy.home + "/we,ird \"name\".json"
    try FileManager.default.copyItem(
      atPath: Self.fixtures + "/mp33-side-10fps-slow.json", toPath: odd)
    #expect(try world.buddy.run(["record", odd]).status == 0)
    #expect(
      try world.buddy.run([
        "record", "--exercise", "squat", "--reps", "3", "--duration", "1m", "--at",
        "2026-11-20 07:30",
      ]).status == 0)
    let result = try world.buddy.run(["export", "--format", "csv"])
    #expect(result.status == 0, "\(result.stderr)")
    let records = try Self.parseCSV(result.stdout)
    #expect(
      records.first
        == [
          "id", "exercise_type", "reps_count", "duration_seconds", "calories_burned", "created_at",
          "kind", "source_digest", "details",
        ])
    #expect(records.count == 3)
    #expect(records.allSatisfy { $0.count == 9 })
    let manual = records[1]
    #expect(
      manual[1...7] == [
        "squat", "3", "60", "5.833333333333333", "2026-11-20T07:30:00+00:00", "manual", "",
      ])
    #expect(manual[8] == #"{"source": "manual"}"#)
    #expect(result.stdout.contains(#","{""source"": ""manual""}""#))
    let counted = records[2]
    #expect(counted[6] == "counted" && counted[7].count == 64)
    #expect(counted[8].contains(#""name": "\#(odd.replacingOccurrences(of: "\"", with: "\\\""))""#))
    // The CSV fields are the JSON Lines values.
    let jsonl = try world.buddy.run(["export"]).stdout.split(separator: "\n")
    #expect(jsonl.count == 2)
    #expect(jsonl[1].contains(#""details":\#(counted[8])}"#))
    #expect(result.stdout.hasSuffix("\r\n"))
  }

  /// RFC 4180: CRLF records, fields quoted when they hold a comma, quote or line break.
  private static func parseCSV(_ text: String) throws -> [[String]] {
    var records: [[String]] = []
    var record: [String] = []
    var field = ""
    var quoted = false
    var characters = Array(text)[...]
    while let character = characters.popFirst() {
      if quoted {
        if character == "\"" {
          if characters.first == "\"" {
            field.append("\"")
            characters = characters.dropFirst()
          } else {
            quoted = false
          }
        } else {
          field.append(character)
        }
      } else if character == "\"" {
        try #require(field.isEmpty, "a quote inside an unquoted field")
        quoted = true
      } else if character == "," {
        record.append(field)
        field = ""
      } else if character == "\r\n" {
        record.append(field)
        records.append(record)
        record = []
        field = ""
      } else {
        try #require(character != "\n" && character != "\r", "a bare line break")
        field.append(character)
      }
    }
    try #require(!quoted && field.isEmpty && record.isEmpty, "the last record ends with CRLF")
    return records
  }

  @Test func aBadLineNamesFileAndLineAndStoresNothingFromThatFile() throws {
    let world = try SignedInUser("bad")
    defer { world.close() }
    try recordSomeWorkouts(world.buddy)
    let good = try world.buddy.run(["export"]).stdout
    let other = try SignedInUser("other")
    defer { other.close() }
    let lines = good.split(separator: "\n").map(String.init)
    let broken = other.buddy.home + "/broken.jsonl"
    // The record's own reps_count (its details may hold the original one too).
    var negative = lines[2]
    let reps = try #require(negative.range(of: #""reps_count":"#))
    negative.replaceSubrange(reps, with: #""reps_count":-"#)
    try (lines[0] + "\n" + lines[1] + "\n" + negative + "\n" + lines[3] + "\n").write(
      toFile: broken, atomically: true, encoding: .utf8)
    let unknown = other.buddy.home + "/unknown.jsonl"
    try lines[3].replacingOccurrences(
      of: #""exercise_type":"squat""#, with: #""exercise_type":"plank""#
    )
    .write(toFile: unknown, atomically: true, encoding: .utf8)
    let fine = other.buddy.home + "/fine.jsonl"
    try (lines[0] + "\n").write(toFile: fine, atomically: true, encoding: .utf8)
    let result = try other.buddy.run(["import", broken, fine, unknown])
    #expect(result.status == 65)
    #expect(result.stdout == "imported 1, skipped 0 (already recorded), empty 0, failed 2\n")
    let errors = result.stderr.split(separator: "\n")
    #expect(errors.count == 2, "\(result.stderr)")
    #expect(errors.contains { $0.hasPrefix("buddy: failed: \(broken):3: reps_count must be") })
    #expect(
      errors.contains {
        $0.hasPrefix("buddy: failed: \(unknown):1: unknown exercise \"plank\" (known: ")
      })
    #expect(try other.count() == 1, "nothing from the files with a bad line")
    // Not an export line: an ordinary landmark file, counted as before.
    let landmarks = try other.buddy.run([
      "import", "--format", "json", Self.fixtures + "/mp33-side-10fps-slow.json",
    ])
    #expect(landmarks.status == 0)
    #expect(landmarks.stdout.contains(#""exercise":"push-up""#))
  }

  @Test func anEmptyAccountExportsAnEmptyFileAndAFailedExportLeavesNone() throws {
    let world = try SignedInUser("empty")
    defer { world.close() }
    let file = world.buddy.home + "/none.jsonl"
    let result = try world.buddy.run(["export", "-o", file])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try String(contentsOfFile: file, encoding: .utf8) == "")
    #expect(
      try world.buddy.run(["export", "--format", "csv"]).stdout
        == "id,exercise_type,reps_count,duration_seconds,calories_burned,created_at,kind,"
        + "source_digest,details\r\n")
    let nowhere = try world.buddy.run(["export", "-o", world.buddy.home + "/missing/dir/w.jsonl"])
    #expect(nowhere.status == 78)
    #expect(nowhere.stderr.split(separator: "\n").count == 1)
    #expect(nowhere.stderr.contains("missing/dir/w.jsonl"))
    let contents = try FileManager.default.contentsOfDirectory(atPath: world.buddy.home)
    #expect(!contents.contains { $0.contains(".tmp.") })
    let emptyImport = try world.buddy.run(["import", file])
    #expect(emptyImport.status == 0)
  }

  @Test func historySaysWhenMorePagesExistAndHowToGetThem() throws {
    let world = try SignedInUser("pages")
    defer { world.close() }
    for day in 1...5 {
      #expect(
        try world.buddy.run([
          "record", "--exercise", "push-up", "--reps", "\(day)", "--duration", "1m", "--at",
          "2026-11-0\(day) 07:30",
        ]).status == 0)
    }
    #expect(
      try world.buddy.run([
        "record", "--exercise", "squat", "--reps", "9", "--duration", "1m", "--at",
        "2026-11-03 08:00",
      ]).status == 0)
    func page(_ arguments: [String]) throws -> (rows: [String], next: [String]?) {
      let result = try world.buddy.run(arguments)
      #expect(result.status == 0, "\(result.stderr)")
      let lines = result.stdout.split(separator: "\n").map(String.init)
      let prefix = "more workouts: "
      guard let last = lines.last, last.hasPrefix(prefix) else {
        return (lines.dropFirst().map { $0 }, nil)
      }
      return (
        lines.dropFirst().dropLast().map { $0 },
        last.dropFirst(prefix.count).split(separator: " ").map(String.init)
      )
    }
    let first = try page(["history", "--exercise", "push-up", "--limit", "2"])
    #expect(first.rows.count == 2)
    let next = try #require(first.next)
    #expect(
      Array(next.prefix(7)) == [
        "buddy", "history", "--exercise", "push-up", "--limit", "2", "--before",
      ])
    let second = try page(Array(next.dropFirst()))
    #expect(second.rows.count == 2)
    let third = try page(Array(try #require(second.next).dropFirst()))
    #expect(third.rows.count == 1)
    #expect(third.next == nil, "the last page says nothing more")
    let reps = (first.rows + second.rows + third.rows).map {
      $0.split(separator: " ", omittingEmptySubsequences: true)[4]
    }
    #expect(reps == ["5", "4", "3", "2", "1"])
    // A page that is exactly full but last has no hint.
    #expect(try page(["history", "--exercise", "squat", "--limit", "1"]).next == nil)

    // JSON: the bare array as before (the hint on stderr), or an object with --with-next.
    let plain = try world.buddy.run(["history", "--limit", "2", "--format", "json"])
    #expect(plain.stdout.hasPrefix("[{\"id\":"))
    #expect(plain.stderr.hasPrefix("buddy: more workouts: buddy history --limit 2 --before "))
    #expect(plain.stderr.hasSuffix(" --format json\n"))
    let object = try world.buddy.run(["history", "--limit", "2", "--format", "json", "--with-next"])
    #expect(object.stderr.isEmpty)
    let parsed = try #require(
      try JSONSerialization.jsonObject(with: Data(object.stdout.utf8)) as? [String: Any])
    #expect((parsed["workouts"] as? [Any])?.count == 2)
    let nextObject = try #require(parsed["next"] as? [String: Any])
    let command = try #require(nextObject["command"] as? String)
    #expect(command.hasSuffix("--format json --with-next"))
    let last = try world.buddy.run(["history", "--limit", "10", "--format", "json", "--with-next"])
    #expect(last.stdout.hasSuffix(#""next":null}"# + "\n"))
    #expect(
      try world.buddy.run(["history", "--with-next"]).status == 64, "--with-next is for json")
  }
}
