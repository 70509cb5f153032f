import Foundation
import TestSupport
import Testing

/// Bugs the fuzz targets found (Fuzz/crashes-fixed holds the inputs), end to end.
@Suite("Fuzz findings")
struct FuzzFindingTests {
  /// `localtime`: Foundation's DateFormatter (ICU) trapped on a digit followed by a combining
  /// mark, and died of SIGFPE on a long fraction of a second.
  @Test func aCombiningMarkInAtIsAUsageErrorNotACrash() throws {
    let buddy = try BuddyProcess(environment: [
      "BUDDY_DATABASE_URL": "postgresql:///buddy?host=/nonexistent-buddy-db"
    ])
    defer { buddy.cleanUp() }
    let directory = buddy.home + "/.config/exercise-buddy"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    // Any well-formed token: the database is unreachable, so the entry would go offline.
    try (String(repeating: "0", count: 64) + "\n").write(
      toFile: directory + "/session", atomically: true, encoding: .utf8)
    let longFraction = "02-1-2T7:3:0." + String(repeating: "4", count: 36) + "2+0"
    for at in ["0\u{36D}", "2026-11-20 07:3\u{64E}0", "2026\u{31B}-11-20", longFraction] {
      let result = try buddy.run([
        "record", "--exercise", "push-up", "--reps", "3", "--duration", "1m", "--at", at,
      ])
      #expect(result.status == 64, "\(at): \(result.stderr)")
      #expect(result.stderr.contains("invalid for '--at <at>': must be like"), "\(result.stderr)")
    }
  }

  /// `config`: a file with CRLF line endings was read as one line (a Swift Character holds
  /// "\r\n").
  @Test func aConfigFileWithCRLFLineEndingsReadsLineByLine() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let directory = buddy.home + "/.config/exercise-buddy"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try "database_url = postgresql:///a\r\n# note\r\n".write(
      toFile: directory + "/config", atomically: true, encoding: .utf8)
    let result = try buddy.run(["config", "get", "database_url"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == "postgresql:///a\n")
  }
}
