import Foundation
import Postgres
import RepCounting
import TestSupport
import Testing
import WorkoutStore

@Suite("Workouts, history and profile", .enabled(if: TestDatabase.isAvailable))
struct WorkoutRepositoryTests {
  private func workout(
    _ exercise: Exercise = .pushUp, reps: Int, at date: Date = Date(), digest: [UInt8]? = nil
  ) -> NewWorkout {
    NewWorkout(
      exerciseType: exercise, reps: reps, durationSeconds: reps * 2,
      caloriesBurned: Double(reps) / 4,
      createdAt: date, details: #"{"engine": "test"}"#, sourceDigest: digest)
  }

  @Test func recordingTheSameSourceTwiceWritesOnce() throws {
    let fixture = try WorkoutStoreFixture()
    defer { fixture.close() }
    let repository = fixture.workouts(of: try fixture.addUser("ann"))
    let digest = SHA256.hash(Array("session bytes".utf8))
    guard
      case .saved(let first, let isRecord) = try repository.record(
        workout(reps: 12, digest: digest))
    else {
      Issue.record("first record was not saved")
      return
    }
    #expect(isRecord)
    #expect(first.details == #"{"engine": "test"}"#)
    #expect(try repository.record(workout(reps: 12, digest: digest)) == .alreadyRecorded(first))
    #expect(try repository.history(HistoryFilter()).count == 1)
  }

  @Test func personalRecordsArePerExerciseAndStrict() throws {
    let fixture = try WorkoutStoreFixture()
    defer { fixture.close() }
    let repository = fixture.workouts(of: try fixture.addUser("ann"))
    func isRecord(_ new: NewWorkout) throws -> Bool {
      if case .saved(_, let record) = try repository.record(new) { return record }
      return false
    }
    #expect(try isRecord(workout(reps: 10)))
    #expect(try !isRecord(workout(reps: 10)))
    #expect(try !isRecord(workout(reps: 9)))
    #expect(try isRecord(workout(reps: 11)))
    #expect(try isRecord(workout(.jumpRope, reps: 5)))
    #expect(try !isRecord(workout(.jumpRope, reps: 0)))
    #expect(throws: WorkoutError.self) { try repository.record(workout(reps: -1)) }
  }

  @Test func idsResolveByPrefixAndOnlyForTheirOwner() throws {
    let fixture = try WorkoutStoreFixture()
    defer { fixture.close() }
    let ann = fixture.workouts(of: try fixture.addUser("ann"))
    let bob = fixture.workouts(of: try fixture.addUser("bob"))
    guard case .saved(let saved, _) = try ann.record(workout(reps: 3)) else { return }
    let id = saved.id.uuidString.lowercased()
    #expect(try ann.workout(id) == saved)
    #expect(try ann.workout(String(id.prefix(8))) == saved)
    #expect(try ann.workout(String(id.prefix(13))) == saved)
    #expect(throws: WorkoutError.prefixTooShort("abc")) { try ann.workout("abc") }
    #expect(throws: WorkoutError.notFound(id)) { try bob.workout(id) }
    #expect(throws: WorkoutError.notFound(String(id.prefix(8)))) {
      try bob.workout(String(id.prefix(8)))
    }
    #expect(throws: WorkoutError.notFound(id)) { try bob.delete(saved.id) }
    try ann.delete(saved.id)
    #expect(throws: WorkoutError.notFound(id)) { try ann.workout(id) }
  }

  @Test func anAmbiguousPrefixListsTheCandidates() throws {
    let fixture = try WorkoutStoreFixture()
    defer { fixture.close() }
    let user = try fixture.addUser("ann")
    for suffix in ["1", "2"] {
      try fixture.connection.query(
        "INSERT INTO workouts (id, user_id, exercise_type, reps_count, duration_seconds) "
          + "VALUES ($1, $2, 'push-up', 1, 1)",
        [UUID(uuidString: "3f2c1a9e-0000-4000-8000-00000000000\(suffix)"), user])
    }
    let error = try #require(throws: WorkoutError.self) {
      try fixture.workouts(of: user).workout("3f2c1a9e")
    }
    guard case .ambiguous(_, let candidates) = error else {
      Issue.record("expected ambiguous, got \(error)")
      return
    }
    #expect(candidates.count == 2)
  }

  @Test func historyFiltersByLocalDaysExerciseAndPages() throws {
    let fixture = try WorkoutStoreFixture()
    defer { fixture.close() }
    let user = try fixture.addUser("ann")
    let repository = fixture.workouts(of: user)
    let zone = "Pacific/Auckland"
    let times = ["2026-11-01 00:30", "2026-11-01 23:30", "2026-11-02 00:30", "2026-11-03 12:00"]
    for (index, time) in times.enumerated() {
      _ = try repository.record(
        workout(
          index % 2 == 0 ? .pushUp : .jumpRope, reps: index + 1,
          at: WorkoutStoreFixture.instant(time, in: zone)))
    }
    let all = try repository.history(HistoryFilter(timeZone: zone))
    #expect(all.map(\.reps) == [4, 3, 2, 1])
    let firstDay = try repository.history(
      HistoryFilter(since: LocalDay("2026-11-01"), until: LocalDay("2026-11-01"), timeZone: zone))
    #expect(firstDay.map(\.reps) == [2, 1])
    let fromSecond = try repository.history(
      HistoryFilter(since: LocalDay("2026-11-02"), timeZone: zone))
    #expect(fromSecond.map(\.reps) == [4, 3])
    let pushUps = try repository.history(HistoryFilter(exerciseType: .pushUp, timeZone: zone))
    #expect(pushUps.map(\.reps) == [3, 1])
    #expect(try repository.history(HistoryFilter(limit: 2, page: 2)).map(\.reps) == [2, 1])
    #expect(
      try repository.history(HistoryFilter(limit: 2, beforeID: all[1].id)).map(\.reps) == [2, 1])
    // Another user's history is empty.
    #expect(try fixture.workouts(of: try fixture.addUser("bob")).history(HistoryFilter()).isEmpty)
  }

  @Test func profileSettingsDefaultValidateAndPersist() throws {
    let fixture = try WorkoutStoreFixture()
    defer { fixture.close() }
    let profile = ProfileStore(connection: fixture.connection, userID: try fixture.addUser("ann"))
    #expect(try profile.settings() == .defaults)
    let chosen = UserSettings(weightKg: 82, timeZone: "Europe/Paris", weekStart: .sunday)
    try profile.save(chosen)
    #expect(try profile.settings() == chosen)
    #expect(throws: ProfileError.unknownTimeZone("Mars/Olympus")) {
      try profile.save(UserSettings(weightKg: 82, timeZone: "Mars/Olympus", weekStart: .monday))
    }
    #expect(throws: ProfileError.invalidWeight(0)) {
      try profile.save(UserSettings(weightKg: 0, timeZone: "UTC", weekStart: .monday))
    }
    #expect(try profile.settings() == chosen)
  }

  @Test func localDaysParseStrictly() {
    #expect(LocalDay("2026-02-28")?.description == "2026-02-28")
    #expect(LocalDay("2028-02-29") != nil)
    for bad in ["2026-02-29", "2026-13-01", "2026-1-01", "26-01-01", "2026-01-32", "yesterday", ""]
    {
      #expect(LocalDay(bad) == nil, "\(bad)")
    }
  }
}
