import Foundation
import Recording
import TestSupport
import Testing
import WorkoutStore

/// An edited counted workout's details still read as the counted session's, with the edit
/// record beside them.
@Suite("Details of edited workouts", .enabled(if: TestDatabase.isAvailable))
struct EditedDetailsTests {
  @Test func editedCountedDetailsStillDecode() throws {
    let world = try SignedInDatabase()
    defer { world.close() }
    let ann = try world.member("ann")
    let connection = try world.client()
    try AccountStore(connection: connection).use(ann.token)
    let counted = CountedSession(
      summary: try StoredFixtures.summary(of: StoredFixtures.pushUpFile),
      digest: SHA256.hash(Array("edited".utf8)), startTime: nil,
      sourceName: StoredFixtures.recordedName(StoredFixtures.pushUpFile), sourceKind: "document")
    let repository = WorkoutRepository(connection: connection, userID: ann.id)
    guard
      case .saved(let workout, _) = try repository.record(
        try counted.workout(bodyMassKg: 70, fallbackTime: Date()))
    else {
      Issue.record("not saved")
      return
    }
    let edited = try repository.edit(
      workout.id, WorkoutEdit(reps: workout.reps + 1), bodyMassKg: 70)
    let text = try #require(edited.details)
    #expect(try StoredDetails(jsonText: text) == .counted(counted.details))
    #expect(edited.editRecord?.original.reps == workout.reps)
    // A manual entry stays one.
    guard
      case .saved(let manual, _) = try repository.record(
        NewWorkout(
          exerciseType: .squat, reps: 10, durationSeconds: 60, caloriesBurned: 1,
          createdAt: Date(), details: StoredDetails.manual.jsonText))
    else {
      Issue.record("not saved")
      return
    }
    let editedManual = try repository.edit(manual.id, WorkoutEdit(reps: 11), bodyMassKg: 70)
    #expect(try StoredDetails(jsonText: try #require(editedManual.details)) == .manual)
  }
}
