import Foundation
import Postgres
import TestSupport
import Testing

/// Edits and lifecycle end to end (issue 19, point 4): `workout edit`, `account reactivate`,
/// `account delete`, on a shared server through the client role.
@Suite("Edits and account lifecycle end to end", .enabled(if: TestDatabase.isAvailable))
struct LifecycleCommandTests {
  private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Fixtures").standardized.path
  private static let pushUps = fixtures + "/mp33-side-15fps-fast-no-lockout.json"

  /// Ann (password `ann-password`), signed in on a fresh database, in UTC.
  private func signedInAnn() throws -> SignedInUser {
    try SignedInUser("ann", environment: ["TZ": "UTC"])
  }

  /// The id of the newest workout in `buddy history`.
  private func newestID(_ buddy: BuddyProcess) throws -> String {
    let history = try buddy.run(["history", "--format", "jsonl", "--limit", "1"])
    let object = try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [String: Any]
    return try #require(object?["id"] as? String)
  }

  // MARK: - workout edit

  @Test func anEditedCountedWorkoutIsStillRecognisedWhenRecordedAgain() throws {
    let world = try signedInAnn()
    defer { world.close() }
    let first = try world.buddy.run(["record", "--exercise", "push-up", Self.pushUps])
    #expect(first.status == 0, "\(first.stderr)")
    let id = try newestID(world.buddy)
    let edit = try world.buddy.run(["workout", "edit", String(id.prefix(8)), "--reps", "15"])
    #expect(edit.status == 0, "\(edit.stderr)")
    #expect(edit.stdout.hasPrefix("Edited workout \(id.prefix(8)): push-up, 15 reps, "))
    #expect(edit.stdout.contains("Originally: push-up, 12 reps, "))

    let again = try world.buddy.run(["record", "--exercise", "push-up", Self.pushUps])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(again.stdout.contains("Already recorded on"))
    #expect(again.stdout.contains("nothing saved"))
    #expect(try world.count() == 1)
    #expect(try world.count("SELECT reps_count FROM workouts") == 15)

    let show = try world.buddy.run(["workout", "show", id])
    #expect(show.status == 0, "\(show.stderr)")
    #expect(show.stdout.contains("reps      15\n"))
    #expect(show.stdout.contains("\nedited    "))
    #expect(show.stdout.contains("\noriginal  push-up, 12 reps, "))
    #expect(show.stdout.contains("REP  START"), "the counted breakdown is still shown")
    let json = try world.buddy.run(["workout", "show", id, "--format", "json"])
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(object["reps_count"] as? Int == 15)
    #expect(object["edited_at"] is String)
    #expect((object["original"] as? [String: Any])?["reps_count"] as? Int == 12)
  }

  @Test func aManualEntryIsEditedInTheProfilesTimeZone() throws {
    let world = try signedInAnn()
    defer { world.close() }
    #expect(
      try world.buddy.run(["profile", "set", "time-zone", "Europe/Paris", "weight-kg", "80"])
        .status == 0)
    let saved = try world.buddy.run([
      "record", "--exercise", "push-up", "--reps", "20", "--duration", "2m", "--at",
      "2026-11-20 07:30",
    ])
    #expect(saved.status == 0, "\(saved.stderr)")
    let id = try newestID(world.buddy)
    let before = try world.count("SELECT count(*) FROM workouts WHERE calories_burned > 0")
    #expect(before == 1)

    let edit = try world.buddy.run([
      "workout", "edit", id, "--at", "2026-11-21 18:00", "--exercise", "squat", "--duration",
      "3m", "--format", "json",
    ])
    #expect(edit.status == 0, "\(edit.stderr)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(edit.stdout.utf8)) as? [String: Any])
    #expect(object["status"] as? String == "edited")
    let workout = try #require(object["workout"] as? [String: Any])
    #expect(workout["exercise_type"] as? String == "squat")
    #expect(workout["reps_count"] as? Int == 20)
    #expect(workout["duration_seconds"] as? Int == 180)
    #expect(workout["created_at"] as? String == "2026-11-21T18:00:00+01:00")
    let original = try #require(object["original"] as? [String: Any])
    #expect(original["exercise_type"] as? String == "push-up")
    #expect(original["created_at"] as? String == "2026-11-20T07:30:00+01:00")
    #expect(
      try world.count(
        "SELECT count(*) FROM workouts WHERE created_at = '2026-11-21 17:00:00+00' "
          + "AND exercise_type = 'squat' AND details->>'source' = 'manual'") == 1)
    // Calories from the squat's MET, 80 kg and 3 minutes: not the push-up's any more.
    let kcal = try #require(workout["calories_burned"] as? Double)
    #expect(kcal != original["calories_burned"] as? Double)

    // Refusals change nothing.
    let unchanged = try world.database.connect().query("SELECT w::text FROM workouts w")[0]
      .decode(0, as: String.self)
    for (arguments, status) in [
      ([id], Int32(64)),
      ([id, "--reps", "10000001"], 64),
      ([id, "--exercise", "burpee"], 64),
      ([id, "--duration", "200h"], 64),
      ([id, "--at", "1800-01-01 10:00"], 64),
      ([id, "--at", "2026-02-30 10:00"], 64),
      (["00000000-0000-4000-8000-000000000000", "--reps", "3"], 66),
      (["0000", "--reps", "3"], 64),
    ] {
      let refused = try world.buddy.run(["workout", "edit"] + arguments)
      #expect(refused.status == status, "\(arguments): \(refused.stderr)")
      #expect(refused.stderr.hasPrefix("buddy: "), "\(arguments)")
      #expect(refused.stderr.split(separator: "\n").count == 1, "\(arguments): \(refused.stderr)")
    }
    #expect(
      try world.database.connect().query("SELECT w::text FROM workouts w")[0]
        .decode(0, as: String.self) == unchanged)
  }

  @Test func anotherExerciseHidesTheCountedBreakdown() throws {
    let world = try signedInAnn()
    defer { world.close() }
    #expect(try world.buddy.run(["record", "--exercise", "push-up", Self.pushUps]).status == 0)
    let id = try newestID(world.buddy)
    let edit = try world.buddy.run(["workout", "edit", id, "--exercise", "squat"])
    #expect(edit.status == 0, "\(edit.stderr)")
    let show = try world.buddy.run(["workout", "show", id, "--plot"])
    #expect(show.status == 0, "\(show.stderr)")
    #expect(show.stdout.contains("exercise  squat\n"))
    #expect(!show.stdout.contains("REP  START"))
    #expect(show.stdout.contains("belong to the original push-up count"))
  }

  @Test func nobodyElseEditsAnnsWorkout() throws {
    let world = try signedInAnn()
    defer { world.close() }
    #expect(
      try world.buddy.run(["record", "--exercise", "push-up", "--reps", "9", "--duration", "1m"])
        .status == 0)
    let id = try newestID(world.buddy)
    let bob = try BuddyProcess.loggedIn(
      "bob", databaseURL: try #require(world.buddy.environment["BUDDY_DATABASE_URL"]))
    defer { bob.cleanUp() }
    let edit = try bob.run(["workout", "edit", id, "--reps", "900"])
    #expect(edit.status == 66, "\(edit.stderr)")
    #expect(edit.stderr == "buddy: no workout \(id) (see `buddy history`)\n")
    #expect(try world.count("SELECT reps_count FROM workouts") == 9)
  }

  // MARK: - account reactivate

  @Test func aDeactivatedAccountIsReactivatedWithItsPassword() throws {
    let world = try signedInAnn()
    defer { world.close() }
    #expect(
      try world.buddy.run(["record", "--exercise", "push-up", "--reps", "9", "--duration", "1m"])
        .status == 0)
    let deactivate = try world.buddy.run(
      ["account", "deactivate", "--password-stdin"], stdin: "ann-password\n")
    #expect(deactivate.status == 0, "\(deactivate.stderr)")
    #expect(deactivate.stdout.contains("`buddy account reactivate"))

    let login = try world.buddy.run(["login", "--password-stdin", "ann"], stdin: "ann-password\n")
    #expect(login.status == 77)
    #expect(
      login.stderr
        == "buddy: account ann is deactivated; `buddy account reactivate ann` revives it\n")
    let wrong = try world.buddy.run(
      ["account", "reactivate", "--password-stdin", "ann"], stdin: "not-the-password\n")
    #expect(wrong.status == 77)
    #expect(wrong.stderr == "buddy: wrong username or password\n")
    let nameless = try world.buddy.run(
      ["account", "reactivate", "--password-stdin"], stdin: "ann-password\n")
    #expect(nameless.status == 64, "\(nameless.stderr)")

    let revive = try world.buddy.run(
      ["account", "reactivate", "--password-stdin", "ANN@example.com"], stdin: "ann-password\n")
    #expect(revive.status == 0, "\(revive.stderr)")
    #expect(revive.stdout.hasPrefix("Account ann reactivated; logged in (until "))
    #expect(try world.buddy.run(["whoami"]).status == 0)
    let history = try world.buddy.run(["history", "--format", "jsonl"])
    #expect(history.stdout.split(separator: "\n").count == 1)
    let again = try world.buddy.run(
      ["account", "reactivate", "--password-stdin", "ann"], stdin: "ann-password\n")
    #expect(again.stdout.hasPrefix("Account ann was not deactivated; logged in"))
    #expect(try world.count("SELECT count(*) FROM sessions") == 1, "one session per machine")
  }

  @Test func reactivationIsThrottledLikeALogin() throws {
    let world = try signedInAnn()
    defer { world.close() }
    #expect(
      try world.buddy.run(["account", "deactivate", "--password-stdin"], stdin: "ann-password\n")
        .status == 0)
    for guess in 1...5 {
      let wrong = try world.buddy.run(
        ["account", "reactivate", "--password-stdin", "ann"], stdin: "guess-number-\(guess)\n")
      #expect(wrong.status == 77)
    }
    let right = try world.buddy.run(
      ["account", "reactivate", "--password-stdin", "ann"], stdin: "ann-password\n")
    #expect(right.status == 77)
    #expect(right.stderr.hasPrefix("buddy: too many failed logins for this account"))
    #expect(try world.count("SELECT count(*) FROM users WHERE is_active") == 0)
  }

  @Test func loginOnATerminalOffersReactivation() throws {
    let world = try signedInAnn()
    defer { world.close() }
    #expect(
      try world.buddy.run(["account", "deactivate", "--password-stdin"], stdin: "ann-password\n")
        .status == 0)
    let declined = try onTerminal(world.buddy, "login ann", answers: ["ann-password", "n"])
    #expect(declined.stdout.contains("Account ann is deactivated. Reactivate it? [y/N]"))
    #expect(declined.stdout.contains("`buddy account reactivate ann` revives it"))
    #expect(try world.count("SELECT count(*) FROM users WHERE is_active") == 0)
    let accepted = try onTerminal(world.buddy, "login ann", answers: ["ann-password", "y"])
    #expect(accepted.stdout.contains("Account ann reactivated; logged in"), "\(accepted.stdout)")
    #expect(!accepted.stdout.contains("ann-password"))
    #expect(try world.buddy.run(["whoami"]).status == 0)
  }

  // MARK: - account delete

  @Test func deletionRemovesTheAccountEverywhere() throws {
    let world = try signedInAnn()
    defer { world.close() }
    let url = try #require(world.buddy.environment["BUDDY_DATABASE_URL"])
    #expect(try world.buddy.run(["record", "--exercise", "push-up", Self.pushUps]).status == 0)
    #expect(try world.buddy.run(["profile", "set", "weight-kg", "61"]).status == 0)
    // Offline workouts: one of Ann's, and one of Bob's that found its way into her outbox.
    var offline = world.buddy
    offline.environment["BUDDY_DATABASE_URL"] = "postgresql:///buddy?host=/nonexistent-buddy-db"
    let manual = ["record", "--exercise", "squat", "--reps", "5", "--duration", "1m"]
    #expect(try offline.run(manual).status == 0)
    let bob = try BuddyProcess.loggedIn("bob", databaseURL: url)
    defer { bob.cleanUp() }
    var bobOffline = bob
    bobOffline.environment["BUDDY_DATABASE_URL"] = offline.environment["BUDDY_DATABASE_URL"]
    #expect(try bobOffline.run(manual).status == 0)
    let outbox = "/.local/state/exercise-buddy/outbox"
    let bobsEntry = try #require(
      try FileManager.default.contentsOfDirectory(atPath: bob.home + outbox).first)
    try FileManager.default.copyItem(
      atPath: bob.home + outbox + "/" + bobsEntry,
      toPath: world.buddy.home + outbox + "/" + bobsEntry)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: world.buddy.home + outbox).count == 2)

    let script = try world.buddy.run(
      ["account", "delete", "--password-stdin"], stdin: "ann-password\n")
    #expect(script.status == 64)
    #expect(script.stderr.contains("add --yes"))
    let wrong = try world.buddy.run(
      ["account", "delete", "--password-stdin", "--yes"], stdin: "wrong-password\n")
    #expect(wrong.status == 77)
    #expect(try world.count("SELECT count(*) FROM users") == 2)
    #expect(try world.count() == 1)

    let deleted = try world.buddy.run(
      ["account", "delete", "--password-stdin", "--yes", "--format", "json"],
      stdin: "ann-password\n")
    #expect(deleted.status == 0, "\(deleted.stderr)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(deleted.stdout.utf8)) as? [String: Any])
    #expect(object["status"] as? String == "deleted")
    #expect(object["username"] as? String == "ann")
    #expect(object["workouts"] as? Int == 1)
    #expect(object["settings"] as? Int == 1)
    #expect(object["sessions"] as? Int == 1)
    #expect(object["offline_workouts"] as? Int == 1)
    // The login, the wrong password and the right one.
    #expect(object["login_attempts"] as? Int == 3)

    #expect(try world.count("SELECT count(*) FROM users") == 1)
    #expect(try world.count("SELECT count(*) FROM users WHERE username = 'bob'") == 1)
    #expect(try world.count() == 0)
    #expect(try world.count("SELECT count(*) FROM user_settings") == 0)
    #expect(try world.count("SELECT count(*) FROM sessions") == 1, "Bob's")
    #expect(
      try world.count(
        "SELECT count(*) FROM login_attempts WHERE user_id IS NOT NULL "
          + "AND user_id NOT IN (SELECT id FROM users)") == 0)
    #expect(
      !FileManager.default.fileExists(atPath: world.buddy.home + "/.config/exercise-buddy/session"))
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: world.buddy.home + outbox) == [bobsEntry])
    let whoami = try world.buddy.run(["whoami"])
    #expect(whoami.status == 77)
    let login = try world.buddy.run(["login", "--password-stdin", "ann"], stdin: "ann-password\n")
    #expect(login.status == 77)
    #expect(login.stderr == "buddy: wrong username or password\n")
    // The name is free again.
    let register = try world.buddy.run(
      ["register", "--email", "ann@example.com", "--username", "ann", "--password-stdin"],
      stdin: "another-password\n")
    #expect(register.status == 0, "\(register.stderr)")
  }

  @Test func deletionOnATerminalAsksToTypeTheUsername() throws {
    let world = try signedInAnn()
    defer { world.close() }
    let kept = try onTerminal(world.buddy, "account delete", answers: ["anne"])
    #expect(kept.stdout.contains("Type the username to confirm: "))
    #expect(kept.stdout.contains("Kept account ann."))
    #expect(try world.count("SELECT count(*) FROM users") == 1)
    let deleted = try onTerminal(world.buddy, "account delete", answers: ["ann", "ann-password"])
    #expect(deleted.stdout.contains("Password: "))
    #expect(
      deleted.stdout.contains("Deleted account ann for good: 0 workouts"), "\(deleted.stdout)")
    #expect(!deleted.stdout.contains("ann-password"))
    #expect(try world.count("SELECT count(*) FROM users") == 0)
  }

  /// Runs `buddy command` on a pseudo-terminal (util-linux `script`), typing each answer after
  /// a pause (a no-echo prompt drops what was typed before it).
  private func onTerminal(_ buddy: BuddyProcess, _ command: String, answers: [String]) throws
    -> BuddyProcess.Result
  {
    let typing = answers.map { "sleep 2; printf '\($0)\\n'" }.joined(separator: "; ")
    return try BuddyProcess.execute(
      "/bin/sh",
      ["-c", "(\(typing); sleep 2) | script -qec '\(BuddyProcess.binary) \(command)' /dev/null"],
      environment: buddy.fullEnvironment, timeout: 60)
  }
}
