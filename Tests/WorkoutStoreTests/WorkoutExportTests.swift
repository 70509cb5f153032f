import Foundation
import Postgres
import RepCounting
import TestSupport
import Testing
import WorkoutStore

@Suite("Export query and restore", .enabled(if: TestDatabase.isAvailable))
struct WorkoutExportTests {
  private func workout(
    _ exercise: Exercise = .pushUp, reps: Int, at date: Date, digest: [UInt8]? = nil,
    details: String? = #"{"engine": "test"}"#
  ) -> NewWorkout {
    NewWorkout(
      exerciseType: exercise, reps: reps, durationSeconds: reps * 2,
      caloriesBurned: Double(reps) / 3, createdAt: date, details: details, sourceDigest: digest)
  }

  private func all(
    _ repository: WorkoutRepository, _ filter: HistoryFilter = HistoryFilter(),
    pageSize: Int = 500
  ) throws -> [StoredWorkout] {
    var rows: [StoredWorkout] = []
    try repository.export(filter, pageSize: pageSize) { rows.append($0) }
    return rows
  }

  @Test func pagesThroughEveryWorkoutOnceOldestFirstWithEverythingStored() throws {
    let fixture = try WorkoutStoreFixture()
    defer { fixture.close() }
    let repository = fixture.workouts(of: try fixture.addUser("ann"))
    let base = Date(timeIntervalSince1970: 1_790_000_000.123456)
    // Three share one instant, so the id must break the tie across page boundaries.
    let times = [0.0, 60, 60, 60, 120, -30, 3600].map { base.addingTimeInterval($0) }
    for (index, time) in times.enumerated() {
      _ = try repository.record(
        workout(reps: index + 1, at: time, digest: SHA256.hash([UInt8(index)])))
    }
    _ = try repository.record(workout(reps: 9, at: base, details: nil))
    let rows = try all(repository, pageSize: 3)
    #expect(rows.count == 8)
    #expect(Set(rows.map(\.id)).count == 8)
    let keys = rows.map { ($0.createdAt, $0.id.uuidString.lowercased()) }
    #expect(zip(keys, keys.dropFirst()).allSatisfy { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) })
    let first = try #require(rows.first)
    #expect(first.reps == 6)
    #expect(first.sourceDigest == SHA256.hash([5]))
    #expect(first.details == #"{"engine": "test"}"#)
    #expect(first.caloriesBurned == 2)
    #expect(rows.contains { $0.reps == 9 && $0.details == nil && $0.sourceDigest == nil })
    // Page sizes that divide the count exactly, and one row per page, give the same rows.
    #expect(try all(repository, pageSize: 1).map(\.id) == rows.map(\.id))
    #expect(try all(repository, pageSize: 4).map(\.id) == rows.map(\.id))
  }

  @Test func filtersByExerciseAndLocalDaysInTheProfileZone() throws {
    let fixture = try WorkoutStoreFixture()
    defer { fixture.close() }
    let repository = fixture.workouts(of: try fixture.addUser("ann"))
    let zone = "America/Los_Angeles"
    _ = try repository.record(
      workout(reps: 1, at: WorkoutStoreFixture.instant("2026-11-19 23:59", in: zone)))
    _ = try repository.record(
      workout(reps: 2, at: WorkoutStoreFixture.instant("2026-11-20 00:00", in: zone)))
    _ = try repository.record(
      workout(.squat, reps: 3, at: WorkoutStoreFixture.instant("2026-11-20 23:59", in: zone)))
    _ = try repository.record(
      workout(reps: 4, at: WorkoutStoreFixture.instant("2026-11-21 00:00", in: zone)))
    let day = try #require(LocalDay("2026-11-20"))
    let rows = try all(repository, HistoryFilter(since: day, until: day, timeZone: zone))
    #expect(rows.map(\.reps) == [2, 3])
    let pushUps = try all(
      repository, HistoryFilter(exerciseType: .pushUp, since: day, timeZone: zone))
    #expect(pushUps.map(\.reps) == [2, 4])
    #expect(try all(fixture.workouts(of: try fixture.addUser("bob"))).isEmpty)
  }

  @Test func theClientRoleExportsOnlyTheSessionUsersRows() throws {
    let world = try ClientRoleFixture()
    defer { world.close() }
    let vera = try world.member("vera")
    let mallory = try world.member("mallory")
    let veras = WorkoutRepository(connection: try world.client(vera.token), userID: vera.id)
    _ = try veras.record(workout(reps: 5, at: Date()))
    let mallorys = WorkoutRepository(
      connection: try world.client(mallory.token), userID: mallory.id)
    _ = try mallorys.record(workout(reps: 7, at: Date()))
    #expect(try all(veras).map(\.reps) == [5])
    // Claiming Vera's id on Mallory's session: row-level security still shows nothing of hers.
    let pretending = WorkoutRepository(
      connection: try world.client(mallory.token), userID: vera.id)
    #expect(try all(pretending).isEmpty)
  }

  @Test func restoreSkipsKnownDigestsRepeatsAndTheRowAnEntryWasExportedFrom() throws {
    let fixture = try WorkoutStoreFixture()
    defer { fixture.close() }
    let repository = fixture.workouts(of: try fixture.addUser("ann"))
    let time = Date(timeIntervalSince1970: 1_790_000_000.5)
    let manual = workout(reps: 20, at: time, details: #"{"source": "manual"}"#)
    _ = try repository.record(manual)  // Stored without a digest, as a manual entry is.
    _ = try repository.record(workout(reps: 4, at: time, digest: SHA256.hash([1])))
    var restoredManual = manual
    restoredManual.sourceDigest = SHA256.hash([9])
    let fresh = workout(reps: 6, at: time, digest: SHA256.hash([2]))
    let inserted = try repository.inTransaction {
      try repository.restore([
        restoredManual, workout(reps: 4, at: time, digest: SHA256.hash([1])), fresh, fresh,
      ])
    }
    #expect(inserted == [false, false, true, false])
    #expect(try all(repository).count == 3)
    #expect(try repository.inTransaction { try repository.restore([fresh]) } == [false])
    // A manual entry that differs in any value is a workout of its own.
    var other = restoredManual
    other.createdAt = time.addingTimeInterval(0.000001)
    #expect(try repository.inTransaction { try repository.restore([other]) } == [true])
    #expect(throws: WorkoutError.self) {
      try repository.restore([workout(reps: 1, at: time)])  // No digest.
    }
  }

  @Test func aThrowInsideTheTransactionStoresNothing() throws {
    struct Stop: Error {}
    let fixture = try WorkoutStoreFixture()
    defer { fixture.close() }
    let repository = fixture.workouts(of: try fixture.addUser("ann"))
    #expect(throws: Stop.self) {
      try repository.inTransaction {
        _ = try repository.restore([workout(reps: 3, at: Date(), digest: SHA256.hash([3]))])
        throw Stop()
      }
    }
    #expect(try all(repository).isEmpty)
  }

  @Test func microsecondsSurviveTheRoundTrip() throws {
    let fixture = try WorkoutStoreFixture()
    defer { fixture.close() }
    let repository = fixture.workouts(of: try fixture.addUser("ann"))
    let micros: Int64 = 1_790_000_000_123_457
    let date = Date(timeIntervalSince1970: Double(micros) / 1_000_000)
    _ = try repository.inTransaction {
      try repository.restore([workout(reps: 1, at: date, digest: SHA256.hash([4]))])
    }
    let stored = try #require(try all(repository).first)
    #expect(Int64((stored.createdAt.timeIntervalSince1970 * 1_000_000).rounded()) == micros)
    let text = try fixture.connection.query(
      "SELECT to_char(created_at AT TIME ZONE 'UTC', 'US') FROM workouts")[0].decode(
        0, as: String.self)
    #expect(text == "123457")
  }
}
