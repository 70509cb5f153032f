import Foundation
import TestSupport
import Testing

/// `buddy workout show ID --plot`: the stored counting signal charted after the details.
@Suite("Workout signal plots end to end", .enabled(if: TestDatabase.isAvailable))
struct WorkoutPlotTests {
  private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Fixtures").standardized.path

  /// Records `file` as push-ups and returns the new workout's id.
  private func recordPushUps(_ world: SignedInUser, _ file: String) throws -> String {
    let record = try world.buddy.run([
      "record", "--exercise", "push-up", "--format", "json", Self.fixtures + "/" + file,
    ])
    #expect(record.status == 0, "\(record.stderr)")
    return try Self.workoutID(record.stdout)
  }

  /// The id of the workout `record --format json` saved.
  private static func workoutID(_ stdout: String) throws -> String {
    let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any]
    return try #require((object?["workout"] as? [String: Any])?["id"] as? String)
  }

  @Test(arguments: [("C.UTF-8", "▲" as Character), ("C", "^")])
  func aRecordedWorkoutChartsItsSignalWithRepMarkers(locale: String, marker: Character) throws {
    let world = try SignedInUser(
      "ann", environment: ["TZ": "UTC", "LC_ALL": locale, "LANG": locale])
    defer { world.close() }
    let id = try recordPushUps(world, "mp33-side-15fps-fast-no-lockout.json")
    let shown = try world.buddy.run(["workout", "show", id, "--plot", "--width", "60"])
    #expect(shown.status == 0, "\(shown.stderr)")
    let lines = shown.stdout.split(separator: "\n", omittingEmptySubsequences: false)
    let heading = try #require(lines.firstIndex { $0.hasPrefix("plot      push-up signal") })
    // 8 rows of plot, the rep markers, the time axis, and the final newline.
    let chart = lines[(heading + 1)...]
    #expect(chart.count == 11, "\(shown.stdout)")
    #expect(chart.allSatisfy { $0.count <= 60 })
    let plot = chart.prefix(8).joined()
    let braille = plot.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) }
    #expect(braille == (marker == "▲"))
    #expect(plot.contains("*") == (marker == "^"))
    let markers = chart[chart.startIndex + 8]
    #expect(markers.filter { $0 == marker }.count >= 10, "\(markers)")
    #expect(chart[chart.startIndex + 9].hasPrefix("0:00"))
    #expect(!shown.stdout.contains("\u{1B}["))
  }

  @Test func aManualWorkoutSaysNoSignalIsStored() throws {
    let world = try SignedInUser("ann", environment: ["TZ": "UTC"])
    defer { world.close() }
    let manual = try world.buddy.run([
      "record", "--exercise", "squat", "--reps", "20", "--duration", "2m", "--format", "json",
    ])
    #expect(manual.status == 0, "\(manual.stderr)")
    let id = try Self.workoutID(manual.stdout)
    let shown = try world.buddy.run(["workout", "show", id, "--plot"])
    #expect(shown.status == 0, "\(shown.stderr)")
    #expect(
      shown.stdout.hasSuffix(
        "plot      no counting signal is stored with this workout "
          + "(manual entries and workouts recorded before signals were stored have none)\n"))
  }

  @Test func plotOptionsAreCheckedBeforeTheDatabase() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    for arguments in [
      ["--plot", "--width", "5"], ["--width", "60"], ["--plot", "--format", "json"],
    ] {
      let run = try buddy.run(["workout", "show", "3f2c1a9e"] + arguments)
      #expect(run.status == 64, "\(arguments): \(run.stderr)")
    }
  }
}
