import Foundation
import Recording
import Testing
import WorkoutStore

@Suite("Export lines")
struct ExportRecordTests {
  private static let counted =
    #"{"format":"buddy-workout/1","id":"25067ee2-95ae-4ba8-8bc1-fdb4af92de79","exercise_type":"push-up","reps_count":4,"duration_seconds":22,"calories_burned":3.422222222222222,"created_at":"2026-12-05T02:25:09.326133+01:00","kind":"counted","source_digest":"a2e1f7ba0b1965b90a6905b80bd84bd915dfa7ece8a924529fdafe4a62c3db12","details":{"reps": 4, "source": {"name": "s.json", "format": "document"}, "x": [0.10000000000000001, 1e2, "\"}"]}}"#

  @Test func aLineReadsAndWritesBackByteForByte() throws {
    let record = try ExportRecord(line: Self.counted)
    #expect(record.kind == .counted)
    #expect(record.reps == 4)
    #expect(record.caloriesBurned == 3.422222222222222)
    #expect(record.createdAtMicroseconds == 1_796_433_909_326_133)
    #expect(record.details?.hasSuffix(#"[0.10000000000000001, 1e2, "\"}"]}"#) == true)
    let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
    #expect(record.jsonLine(in: berlin) == Self.counted)
  }

  @Test func timesKeepMicrosecondsAndTheZonesOffset() throws {
    let newYork = try #require(TimeZone(identifier: "America/New_York"))
    // 2026-07-01 12:00:00.000001 UTC is 08:00 in New York (daylight time, -04:00).
    let summer = try #require(ExportTimestamp.parse("2026-07-01T12:00:00.000001Z"))
    #expect(
      ExportTimestamp.text(microseconds: summer, in: newYork) == "2026-07-01T08:00:00.000001-04:00")
    let winter = try #require(ExportTimestamp.parse("2026-01-01T00:00:00+00:00"))
    #expect(ExportTimestamp.text(microseconds: winter, in: newYork) == "2025-12-31T19:00:00-05:00")
    #expect(ExportTimestamp.parse("2025-12-31T19:00:00-05:00") == winter)
    let old = try #require(ExportTimestamp.parse("1900-01-01T00:00:00.5Z"))
    #expect(old == -2_208_988_800_000_000 + 500_000)
    #expect(ExportTimestamp.canonicalText(microseconds: old) == "1900-01-01T00:00:00.500000Z")
    #expect(ExportTimestamp.parse("2028-02-29T23:59:59.999999+14:00") != nil)
  }

  @Test(arguments: [
    "2026-02-29T00:00:00Z", "2026-11-20T07:30:00", "2026-11-20T24:00:00Z", "2026-11-20T07:30:60Z",
    "2026-11-20T07:30:00.1234567Z", "2026-11-20T07:30:00.Z", "1899-12-31T23:59:59Z",
    "2026-11-20T07:30:00+19:00", "2026-11-20T07:30:00+01:60", "2026-11-20 07:30Z", "",
    "10000-01-01T00:00:00Z", "2026-11-20T07:30:00Zjunk",
    // In range as written, outside 1900–9999 in UTC (a fuzz finding).
    "1900-01-01T00:00:09.36133+01:00", "9999-12-31T23:59:59-00:01",
  ])
  func impossibleTimesAreRefused(_ text: String) {
    #expect(ExportTimestamp.parse(text) == nil)
  }

  @Test func manualEntriesAreKnownByTheirRecordInAnyZone() throws {
    let line =
      #"{"format":"buddy-workout/1","id":"106a8e07-f1d1-440b-8163-3d00ef83068a","exercise_type":"squat","reps_count":15,"duration_seconds":120,"calories_burned":11.666666666666666,"created_at":"2026-12-05T02:25:09.556055+01:00","kind":"manual","source_digest":null,"details":{"source": "manual"}}"#
    let record = try ExportRecord(line: line)
    let elsewhere = try ExportRecord(
      line: line.replacingOccurrences(of: "02:25:09.556055+01:00", with: "01:25:09.556055Z")
        .replacingOccurrences(of: "106a8e07", with: "00000000"))
    #expect(record.canonicalDigest == elsewhere.canonicalDigest)
    let workout = try record.restoredWorkout()
    #expect(workout.sourceDigest == record.canonicalDigest)
    #expect(workout.id == nil)
    #expect(workout.details == #"{"source": "manual"}"#)
    var more = record
    more.reps = 16
    #expect(more.canonicalDigest != record.canonicalDigest)
    // A counted workout keeps its digest.
    let counted = try ExportRecord(line: Self.counted)
    #expect(try counted.restoredWorkout().sourceDigest == counted.sourceDigest)
  }

  @Test(arguments: [
    ("[1]", "not a JSON object"),
    ("{\"format\":", "not valid JSON"),
    (#"{"format":"buddy-workout/2"}"#, "newer than this buddy reads"),
    (#"{"format":"landmarks"}"#, "format must be"),
    (#"{"format":"buddy-workout/1","format":"buddy-workout/1"}"#, "appears twice"),
    (#"{"format":"buddy-workout/1","exercise":"push-up"}"#, "unknown member \"exercise\""),
    (#"{"format":"buddy-workout/1","exercise_type":"push-up"}"#, "reps_count is missing"),
  ])
  func badLinesSayWhatIsWrong(_ line: String, _ reason: String) {
    do {
      _ = try ExportRecord(line: line)
      Issue.record("accepted \(line)")
    } catch {
      #expect(error.description.contains(reason), "\(error.description)")
    }
  }

  @Test(arguments: [
    ("reps_count", "-1", "reps_count must be a whole number 0 to 10000000"),
    ("reps_count", "2.5", "reps_count must be a whole number"),
    ("reps_count", "1e2", "reps_count must be a whole number"),
    ("duration_seconds", "604801", "duration_seconds must be a whole number 0 to 604800"),
    ("calories_burned", "-0.5", "calories_burned must be a number 0 to 1000000"),
    ("calories_burned", "\"5\"", "calories_burned must be a number"),
    ("created_at", "\"yesterday\"", "created_at must be ISO 8601"),
    ("kind", "\"typed\"", "kind must be"),
    ("kind", "\"manual\"", "kind is \"manual\" but details describe a counted session"),
    ("source_digest", "\"abc\"", "source_digest must be 64 hex digits"),
    ("id", "\"not-a-uuid\"", "id must be a UUID"),
    ("details", "[1]", "details must be an object"),
    ("exercise_type", "7", "exercise_type must be a string"),
  ])
  func outOfRangeValuesAreRefused(_ member: String, _ value: String, _ reason: String) throws {
    let start = try #require(Self.counted.range(of: "\"\(member)\":"))
    // The member's value ends at the next comma (none of these values nest), details at the end.
    let rest = Self.counted[start.upperBound...]
    let end =
      member == "details"
      ? rest.index(before: rest.endIndex) : try #require(rest.firstIndex(of: ","))
    let line = Self.counted.replacingCharacters(in: start.upperBound..<end, with: value)
    do {
      _ = try ExportRecord(line: line)
      Issue.record("accepted \(member)=\(value)")
    } catch {
      #expect(error.description.contains(reason), "\(error.description)")
    }
  }

  @Test func anUnknownExerciseIsAClearError() throws {
    let record = try ExportRecord(
      line: Self.counted.replacingOccurrences(of: "\"push-up\"", with: "\"plank\""))
    #expect(throws: WorkoutError.unknownExercise("plank")) { try record.restoredWorkout() }
  }
}

@Suite("Export lines are checked as JSON")
struct ExportLineGrammarTests {
  private static func line(details: String) -> String {
    #"{"format":"buddy-workout/1","exercise_type":"push-up","reps_count":1,"#
      + #""duration_seconds":1,"created_at":"2026-11-20T07:30:00Z","kind":"counted","#
      + #""details":"# + details + "}"
  }

  /// RFC 8259, as PostgreSQL's `jsonb` reads it (stricter than `JSONSerialization`, which
  /// takes trailing commas).
  @Test(arguments: [
    (#"{"a": 1}"#, true), (#"{"a": -0.5e+10, "b": [true, false, null, {}, []]}"#, true),
    (#"{"a": "\u00e9\ud83d\ude00"}"#, true), (#"{"a": "\/\b\f\n\r\t\"\\"}"#, true),
    (#"{"a": "é"}"#, true), (#"{"a": [[[[]]]]}"#, true), (#"{"a": 01}"#, false),
    (#"{"a": 1.}"#, false), (#"{"a": .5}"#, false), (#"{"a": +1}"#, false), (#"{"a": 1e}"#, false),
    (#"{"a": "\x"}"#, false), (#"{"a": "\u12"}"#, false), (#"{"a": tru}"#, false),
    (#"{"a": [1,]}"#, false), (#"{"a":1,}"#, false), (#"{"a": {"b" 1}}"#, false),
    (#"{"a": [1 2]}"#, false), (#"{"a": 1} x"#, false), (#"{'a': 1}"#, false),
    ("{\"a\": \"tab\there\"}", false), (#"{"a": -}"#, false), (#"{"a": "\ud83d"}"#, false),
    (#"{"a": "\ude00"}"#, false), (#"{"a": "\ud83d\u0041"}"#, false),
    // Fuzz finding: a number no double holds (Foundation and PostgreSQL refuse it too).
    (#"{"a": 3.421e30822222222}"#, false), (#"{"a": -1e309}"#, false), (#"{"a": 1e-400}"#, true),
  ])
  func acceptsExactlyValidJSON(_ details: String, _ valid: Bool) throws {
    do {
      _ = try ExportRecord(line: Self.line(details: details))
      #expect(valid, "accepted invalid JSON")
    } catch {
      #expect(!valid, "refused valid JSON: \(error)")
      #expect(
        error.description == "not valid JSON"
          || (error.description.hasPrefix("the number ")
            && error.description.hasSuffix(" is out of range"))
      )
    }
  }

  @Test func escapedNamesAndStringsAreDecoded() throws {
    let record = try ExportRecord(
      line: Self.line(details: #"{"source": {"name": "a\"b\u00e9"}}"#).replacingOccurrences(
        of: #""exercise_type":"push-up""#, with: #""exercise\u005ftype":"push\u002dup""#))
    #expect(record.exerciseType == "push-up")
    #expect(record.details == #"{"source": {"name": "a\"b\u00e9"}}"#)
  }

  @Test func aNulCharacterIsRefusedAsPostgreSQLWouldRefuseIt() {
    do {
      _ = try ExportRecord(line: Self.line(details: #"{"a": "x\u0000"}"#))
      Issue.record("accepted \\u0000")
    } catch {
      #expect(error.description.contains("\\u0000 cannot be stored"))
    }
  }

  @Test func deepNestingIsAnErrorNotACrash() {
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    #expect(throws: ExportRecord.LineError.self) {
      try ExportRecord(line: Self.line(details: #"{"a": "# + deep + "}"))
    }
  }
}
