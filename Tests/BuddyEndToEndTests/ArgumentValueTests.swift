import TestSupport
import Testing

/// Flag values are read and checked once, as the command line is parsed (issue 17): a value of
/// the wrong shape or out of range exits 64 with one line naming the flag and what it accepts,
/// before any database or file is touched.
@Suite("Flag values are checked as the command line is read")
struct ArgumentValueTests {
  @Test(arguments: [
    (["count", "--fps", "0", "x.json"], "'--fps <fps>': must be a number from 0.1 to 1000"),
    (["pose", "--fps", "fast", "x.jpg"], "'--fps <fps>': must be a number from 0.1 to 1000"),
    (
      ["record", "--exercise", "push-up", "--reps", "3", "--duration", "3 minutes"],
      "'--duration <duration>': must be a duration like 90s, 2m30s, 1h or 1:30, at most 168h"
    ),
    (
      [
        "record", "--exercise", "push-up", "--reps", "3", "--duration", "1m", "--at",
        "2026-02-29 07:30",
      ],
      "'--at <at>': must be like \"2026-11-20 07:30\""
    ),
    (
      [
        "record", "--exercise", "push-up", "--reps", "3", "--duration", "1m", "--at",
        "2026-11-20 24:00",
      ],
      "'--at <at>': must be like \"2026-11-20 07:30\""
    ),
    (["history", "--since", "2026-13-01"], "'--since <since>': must be a date YYYY-MM-DD"),
    (["history", "--until", "1899-12-31"], "'--until <until>': must be a date YYYY-MM-DD"),
    (["history", "--format", "text"], "Please provide one of 'table', 'json', 'jsonl' or 'csv'."),
    (["stats", "--format", "csv"], "Please provide one of 'text' and 'json'."),
  ])
  func refusesABadValueNamingTheFlag(arguments: [String], message: String) throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let result = try buddy.run(arguments)
    #expect(result.status == 64, "\(result.stderr)")
    #expect(result.stderr.contains(message), "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
  }

  @Test(arguments: ["history", "stats", "record", "count", "db status"])
  func formatHelpListsTheFormats(command: String) throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let help = try buddy.run(command.split(separator: " ").map(String.init) + ["--help"])
    #expect(help.status == 0, "\(help.stderr)")
    #expect(help.stdout.contains("Output format: "), "\(help.stdout)")
  }
}
