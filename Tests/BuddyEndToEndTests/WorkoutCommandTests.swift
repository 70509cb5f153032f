import Foundation
import Postgres
import TestSupport
import Testing

/// history, stats, profile and workout show/delete through the binary, two users on one database.
@Suite("Workouts end to end", .enabled(if: TestDatabase.isAvailable))
struct WorkoutCommandTests {
  private struct World {
    let database: TestDatabase
    let ann: BuddyProcess
    let bob: BuddyProcess

    init() throws {
      database = try TestDatabase.create()
      try BuddyProcess.migrate(database.url)
      ann = try BuddyProcess.loggedIn("ann", databaseURL: database.url)
      bob = try BuddyProcess.loggedIn("bob", databaseURL: database.url)
    }

    /// Inserts a workout for `user` at a UTC instant.
    @discardableResult
    func insert(_ user: String, _ exercise: String, reps: Int, at utc: String, id: String? = nil)
      throws
      -> String
    {
      try database.connect().query(
        """
        INSERT INTO workouts (id, user_id, exercise_type, reps_count, duration_seconds, calories_burned,
          created_at, details)
        SELECT coalesce($5::uuid, gen_random_uuid()), id, $2, $3, $3 * 2, $3 / 4.0, $4::timestamptz,
          '{"reps": []}'
        FROM users WHERE username = $1 RETURNING id::text
        """, [user, exercise, reps, utc, id])[0].decode(0, as: String.self)
    }

    func close() {
      ann.cleanUp()
      bob.cleanUp()
      database.drop()
    }
  }

  @Test func historyInEveryFormatInTheProfileZone() throws {
    let world = try World()
    defer { world.close() }
    let first = try world.insert("ann", "push-up", reps: 12, at: "2026-11-20 06:30:00+00")
    try world.insert("ann", "jump-rope", reps: 100, at: "2026-11-21 18:00:00+00")
    try world.insert("bob", "push-up", reps: 99, at: "2026-11-21 18:00:00+00")
    #expect(try world.ann.run(["profile", "set", "time-zone", "Europe/Paris"]).status == 0)

    let table = try world.ann.run(["history"])
    #expect(table.status == 0)
    let lines = table.stdout.split(separator: "\n")
    #expect(lines.count == 3)
    #expect(lines[1].contains("2026-11-21 19:00  jump-rope    100"))
    #expect(lines[2].contains("2026-11-20 07:30  push-up       12"))

    let csv = try world.ann.run(["history", "--format", "csv"])
    #expect(
      csv.stdout == "id,exercise_type,reps_count,duration_seconds,calories_burned,created_at\r\n"
        + csv.stdout.split(separator: "\r\n").dropFirst().map { $0 + "\r\n" }.joined())
    #expect(csv.stdout.contains("\(first),push-up,12,24,3.0,2026-11-20T07:30:00+01:00\r\n"))

    let json = try world.ann.run(["history", "--format", "json", "--exercise", "push-up"])
    #expect(
      json.stdout
        == #"[{"id":"\#(first)","exercise_type":"push-up","reps_count":12,"duration_seconds":24,"calories_burned":3,"created_at":"2026-11-20T07:30:00+01:00"}]"#
        + "\n")
    let jsonl = try world.ann.run(["history", "--format", "jsonl"])
    #expect(jsonl.stdout.split(separator: "\n").count == 2)
    let since = try world.ann.run(["history", "--since", "2026-11-21", "--format", "jsonl"])
    #expect(since.stdout.split(separator: "\n").count == 1)
    let page = try world.ann.run(["history", "--limit", "1", "--page", "2", "--format", "jsonl"])
    #expect(page.stdout.contains(first))
    #expect(try world.ann.run(["history", "--since", "yesterday"]).status == 64)
    #expect(!(try world.bob.run(["history"]).stdout.contains(first)))
  }

  @Test func statsJSONHasExactFiguresAndIgnoresOtherUsers() throws {
    let world = try World()
    defer { world.close() }
    let now = ISO8601DateFormatter().string(from: Date())
    try world.insert("ann", "push-up", reps: 10, at: now)
    try world.insert("ann", "push-up", reps: 30, at: now)
    try world.insert("bob", "push-up", reps: 500, at: now)
    let stats = try world.ann.run(["stats", "--format", "json"])
    #expect(stats.status == 0, "\(stats.stderr)")
    #expect(
      stats.stdout.contains(
        #""totals":{"workouts":2,"reps":40,"duration_seconds":80,"calories":10}"#))
    #expect(stats.stdout.contains(#""total_reps":40,"average_reps":20,"personal_record":30"#))
    #expect(stats.stdout.contains(#""streaks":{"current_days":1,"longest_days":1}"#))
    let text = try world.ann.run(["stats"])
    #expect(text.stdout.hasPrefix("Totals: 2 workouts, 40 reps"))
    #expect(text.stdout.contains("#"), "ASCII bars when stdout is not a terminal")
    #expect(!text.stdout.contains("█") && !text.stdout.contains("\u{1B}["))
    #expect(try world.ann.run(["stats", "--tz", "Mars/Base"]).status == 64)
    #expect(
      try world.ann.run(["stats", "--tz", "Asia/Tokyo", "--format", "json"]).stdout.contains(
        #""time_zone":"Asia/Tokyo""#))
  }

  @Test func showAndDeleteOnlyYourOwnWorkouts() throws {
    let world = try World()
    defer { world.close() }
    let mine = try world.insert("ann", "push-up", reps: 7, at: "2026-11-20 06:30:00+00")
    let show = try world.ann.run(["workout", "show", String(mine.prefix(8))])
    #expect(show.status == 0)
    #expect(show.stdout.contains("reps      7"))
    let json = try world.ann.run(["workout", "show", mine, "--format", "json"])
    #expect(json.stdout.contains(#""details":{"reps": []}"#))
    let other = try world.bob.run(["workout", "show", mine])
    #expect(other.status == 66)
    #expect(other.stderr.hasPrefix("buddy: no workout"))
    #expect(try world.bob.run(["workout", "delete", mine, "--yes"]).status == 66)
    #expect(try world.ann.run(["workout", "show", "abc"]).status == 64)

    try world.insert(
      "ann", "push-up", reps: 1, at: "2026-11-20 06:31:00+00",
      id: "3f2c1a9e-0000-4000-8000-000000000001")
    try world.insert(
      "ann", "push-up", reps: 2, at: "2026-11-20 06:32:00+00",
      id: "3f2c1a9e-0000-4000-8000-000000000002")
    let ambiguous = try world.ann.run(["workout", "show", "3f2c1a9e"])
    #expect(ambiguous.status == 64)
    #expect(ambiguous.stderr.contains("3f2c1a9e-0000-4000-8000-000000000001"))

    let delete = try world.ann.run(["workout", "delete", mine])
    #expect(delete.status == 0, "no question when stdin is not a terminal")
    #expect(delete.stdout == "Deleted workout \(mine.prefix(8)).\n")
    #expect(try world.ann.run(["workout", "show", mine]).status == 66)
  }

  @Test func profileIsValidatedAndShared() throws {
    let world = try World()
    defer { world.close() }
    #expect(try world.ann.run(["profile", "show"]).stdout.contains("70 kg assumed"))
    let set = try world.ann.run(["profile", "set", "weight-kg", "82.5", "week-start", "sunday"])
    #expect(set.status == 0, "\(set.stderr)")
    #expect(try world.ann.run(["profile", "set", "time-zone", "Nowhere/Land"]).status == 64)
    #expect(try world.ann.run(["profile", "set", "weight-kg", "-3"]).status == 64)
    #expect(try world.ann.run(["profile", "set", "height", "2"]).status == 64)
    #expect(try world.ann.run(["profile", "set", "weight-kg"]).status == 64)
    let json = try world.ann.run(["profile", "show", "--format", "json"])
    #expect(
      json.stdout
        == #"{"weight_kg":82.5,"time_zone":"UTC","week_start":"sunday","keep_landmarks":false}"#
        + "\n")
    // Another machine of the same user sees the same profile.
    let laptop = try BuddyProcess(environment: ["BUDDY_DATABASE_URL": world.database.url])
    defer { laptop.cleanUp() }
    #expect(
      try laptop.run(["login", "--password-stdin", "ann"], stdin: "ann-password\n").status == 0)
    #expect(try laptop.run(["profile", "show", "--format", "json"]).stdout == json.stdout)
    #expect(
      try world.bob.run(["profile", "show", "--format", "json"]).stdout.contains(
        #""weight_kg":null"#))
  }

  @Test func everyWorkoutCommandNeedsALogin() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let buddy = try BuddyProcess(environment: ["BUDDY_DATABASE_URL": database.url])
    defer { buddy.cleanUp() }
    _ = try buddy.run(["db", "migrate"])
    for command in [["history"], ["stats"], ["profile", "show"], ["workout", "show", "12345678"]] {
      #expect(try buddy.run(command).status == 77, "\(command)")
    }
  }
}
