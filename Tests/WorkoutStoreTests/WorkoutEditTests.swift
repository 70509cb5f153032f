import Foundation
import Postgres
import RepCounting
import TestSupport
import Testing
import WorkoutStore

/// `WorkoutRepository.edit`: values checked as a new workout's, calories computed again, the
/// values before the first edit kept in the details, the source digest kept.
@Suite("Editing workouts", .enabled(if: TestDatabase.isAvailable))
struct WorkoutEditTests {
  private static let recorded = WorkoutStoreFixture.instant("2026-11-20 07:30", in: "UTC")
  private static let digest = SHA256.hash(Array("counted session bytes".utf8))

  /// A counted push-up workout of 12 reps in 45 s, 5 kcal.
  private func counted() -> NewWorkout {
    NewWorkout(
      exerciseType: .pushUp, reps: 12, durationSeconds: 45, caloriesBurned: 5,
      createdAt: Self.recorded, details: #"{"source": {"name": "s.json"}, "exercise": "push-up"}"#,
      sourceDigest: Self.digest)
  }

  private func saved(_ outcome: RecordOutcome) throws -> Workout {
    guard case .saved(let workout, _) = outcome else { return try #require(nil as Workout?) }
    return workout
  }

  @Test func theFirstEditKeepsTheOriginalAndLaterEditsKeepIt() throws {
    let fixture = try WorkoutStoreFixture()
    defer { fixture.close() }
    let repository = fixture.workouts(of: try fixture.addUser("ann"))
    let workout = try saved(try repository.record(counted()))
    #expect(workout.editRecord == nil)

    let first = try repository.edit(workout.id, WorkoutEdit(reps: 15), bodyMassKg: 80)
    #expect(first.reps == 15)
    #expect(first.durationSeconds == 45)
    #expect(first.exerciseType == "push-up")
    #expect(first.createdAt == Self.recorded)
    let expected = CalorieModel.kilocalories(
      exercise: .pushUp, reps: 15, seconds: 45, bodyMassKg: 80)
    #expect(abs((first.caloriesBurned ?? -1) - expected) < 1e-9)
    let record = try #require(first.editRecord)
    #expect(
      record.original
        == EditRecord.Original(
          exerciseType: "push-up", reps: 12, durationSeconds: 45, caloriesBurned: 5,
          createdAt: Self.recorded))
    #expect(abs(record.editedAt.timeIntervalSinceNow) < 60)
    // What was in the details stays.
    let details = try #require(first.details)
    #expect(details.contains(#""name": "s.json""#))

    let later = WorkoutStoreFixture.instant("2026-11-21 18:00", in: "UTC")
    let second = try repository.edit(
      workout.id, WorkoutEdit(exercise: .squat, durationSeconds: 60, createdAt: later),
      bodyMassKg: 80)
    #expect(second.exerciseType == "squat")
    #expect(second.reps == 15)
    #expect(second.durationSeconds == 60)
    #expect(second.createdAt == later)
    #expect(second.editRecord?.original == record.original, "the first original is kept")
    #expect(try repository.history(HistoryFilter()).map(\.id) == [workout.id])
  }

  @Test func caloriesStayWhenOnlyTheTimeChanges() throws {
    let fixture = try WorkoutStoreFixture()
    defer { fixture.close() }
    let repository = fixture.workouts(of: try fixture.addUser("ann"))
    let workout = try saved(try repository.record(counted()))
    let moved = try repository.edit(
      workout.id, WorkoutEdit(createdAt: Self.recorded.addingTimeInterval(3600)), bodyMassKg: 120)
    #expect(moved.caloriesBurned == 5)
    #expect(moved.createdAt == Self.recorded.addingTimeInterval(3600))
  }

  @Test func recordingTheSameSourceAfterAnEditKeepsTheEditedValues() throws {
    let fixture = try WorkoutStoreFixture()
    defer { fixture.close() }
    let repository = fixture.workouts(of: try fixture.addUser("ann"))
    let workout = try saved(try repository.record(counted()))
    let edited = try repository.edit(workout.id, WorkoutEdit(reps: 20), bodyMassKg: 70)
    #expect(try repository.record(counted()) == .alreadyRecorded(edited))
    #expect(try repository.history(HistoryFilter()).map(\.reps) == [20])
  }

  @Test(arguments: [
    WorkoutEdit(reps: NewWorkout.maximumReps + 1),
    WorkoutEdit(durationSeconds: NewWorkout.maximumDurationSeconds + 1),
    WorkoutEdit(reps: -1),
    WorkoutEdit(createdAt: Date(timeIntervalSince1970: -3_000_000_000)),
    WorkoutEdit(),
  ])
  func outOfRangeValuesChangeNothing(_ edit: WorkoutEdit) throws {
    let fixture = try WorkoutStoreFixture()
    defer { fixture.close() }
    let repository = fixture.workouts(of: try fixture.addUser("ann"))
    let workout = try saved(try repository.record(counted()))
    #expect(throws: WorkoutError.self) {
      try repository.edit(workout.id, edit, bodyMassKg: 70)
    }
    #expect(try repository.workout(workout.id.uuidString) == workout)
  }

  @Test func aHugeBodyMassIsRefusedAsCalories() throws {
    let fixture = try WorkoutStoreFixture()
    defer { fixture.close() }
    let repository = fixture.workouts(of: try fixture.addUser("ann"))
    let workout = try saved(try repository.record(counted()))
    #expect(throws: WorkoutError.self) {
      try repository.edit(
        workout.id, WorkoutEdit(durationSeconds: NewWorkout.maximumDurationSeconds),
        bodyMassKg: 1e12)
    }
    #expect(try repository.workout(workout.id.uuidString) == workout)
  }

  @Test func anotherUsersWorkoutIsNotFound() throws {
    let fixture = try WorkoutStoreFixture()
    defer { fixture.close() }
    let ann = fixture.workouts(of: try fixture.addUser("ann"))
    let bob = fixture.workouts(of: try fixture.addUser("bob"))
    let workout = try saved(try ann.record(counted()))
    #expect(throws: WorkoutError.notFound(workout.id.uuidString.lowercased())) {
      try bob.edit(workout.id, WorkoutEdit(reps: 1), bodyMassKg: 70)
    }
    #expect(try ann.workout(workout.id.uuidString) == workout)
  }
}
