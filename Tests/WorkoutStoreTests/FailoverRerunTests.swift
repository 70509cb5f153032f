import Foundation
import Postgres
import RepCounting
import TestSupport
import Testing
import WorkoutStore

/// What a write re-run after a failover relies on, on a real database: a batch or a record
/// repeated with the same client-chosen ids stores nothing twice, and the ids tell its own
/// earlier commit apart (``WorkoutRepository/storedIDs(_:)``).
@Suite("Re-run after a failover", .enabled(if: TestDatabase.isAvailable))
struct FailoverRerunTests {
  private func workout(reps: Int, digest: [UInt8]? = nil) -> NewWorkout {
    NewWorkout(
      exerciseType: .pushUp, reps: reps, durationSeconds: 30, caloriesBurned: 2,
      createdAt: Date(timeIntervalSince1970: 1_790_000_000), sourceDigest: digest, id: UUID())
  }

  @Test func aBatchRunTwiceWithItsIdsIsStoredOnceAndFoundAgain() throws {
    let fixture = try WorkoutStoreFixture()
    defer { fixture.close() }
    let ann = fixture.workouts(of: try fixture.addUser("ann"))
    let bob = fixture.workouts(of: try fixture.addUser("bob"))
    let batch =
      (1...5).map { workout(reps: $0, digest: SHA256.hash(Array("f\($0)".utf8))) }
      + [workout(reps: 9)]  // a manual entry: no digest, only its id
    let ids = batch.compactMap(\.id)
    #expect(try ann.storedIDs(ids).isEmpty)
    #expect(try ann.importBatch(batch) == Array(repeating: true, count: 6))
    // The re-run: every id is found, nothing is inserted again.
    #expect(try ann.storedIDs(ids) == Set(ids))
    #expect(try ann.importBatch(batch) == Array(repeating: false, count: 6))
    #expect(try ann.history(HistoryFilter(limit: 100)).count == 6)
    // Another user's lookup never sees them.
    #expect(try bob.storedIDs(ids).isEmpty)
    #expect(try ann.storedIDs([]).isEmpty)
  }

  @Test func aRecordRunTwiceIsFoundByItsIdWithItsPersonalRecordVerdict() throws {
    let fixture = try WorkoutStoreFixture()
    defer { fixture.close() }
    let ann = fixture.workouts(of: try fixture.addUser("ann"))
    _ = try ann.record(workout(reps: 10))
    let manual = workout(reps: 12)
    guard case .saved(let saved, let isRecord) = try ann.record(manual) else {
      Issue.record("the first attempt was not saved")
      return
    }
    #expect(isRecord)
    #expect(saved.id == manual.id)
    // The re-run meets the row the lost attempt committed.
    #expect(try ann.record(manual) == .alreadyRecorded(saved))
    #expect(try ann.isPersonalRecord(saved))
    guard case .saved(let smaller, false) = try ann.record(workout(reps: 11)) else {
      Issue.record("not saved")
      return
    }
    #expect(try !ann.isPersonalRecord(smaller))
    #expect(try ann.history(HistoryFilter(limit: 100)).count == 3)
  }
}
