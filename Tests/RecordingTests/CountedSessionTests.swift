import Foundation
import Recording
import RepCounting
import Testing
import WorkoutStore

@Suite("A counted session becomes a workout")
struct CountedSessionTests {
  private static let digest = SHA256.hash(Array("session bytes".utf8))

  private static func session(
    _ exercise: Exercise? = .pushUp, reps: [Repetition], startTime: Date? = nil
  ) -> CountedSession {
    CountedSession(
      summary: SessionSummary(
        exercise: exercise, events: reps.map { .rep($0) }, statistics: FrameStatistics(),
        engineVersion: "\(exercise?.name ?? "none")/test"),
      digest: digest, startTime: startTime, sourceName: "session.json", sourceKind: "document")
  }

  /// `count` repetitions of `seconds` each, back to back from 0.
  private static func reps(_ count: Int, seconds: Double) -> [Repetition] {
    (0..<count).map {
      let start = Double($0) * seconds
      return Repetition(
        start: start, bottom: start + seconds / 2, end: start + seconds, depthAngle: 80)
    }
  }

  @Test func aWorkoutCarriesTheCountsCaloriesDetailsAndDigest() throws {
    let started = Date(timeIntervalSince1970: 1_800_000_000)
    let session = Self.session(reps: Self.reps(20, seconds: 3.02), startTime: started)
    let workout = try session.workout(bodyMassKg: 80, fallbackTime: Date())
    #expect(workout.exerciseType == .pushUp)
    #expect(workout.reps == 20)
    #expect(workout.durationSeconds == 60)  // 60.4 s rounded
    // MET 8.0 × 80 kg × 60.4 s / 3600 s.
    #expect(abs((workout.caloriesBurned ?? 0) - 8.0 * 80 * 60.4 / 3600) < 1e-9)
    #expect(workout.createdAt == started)
    #expect(workout.sourceDigest == Self.digest)
    #expect(workout.details == session.details.jsonText)
    #expect(workout.id == nil)
    try workout.validate()
  }

  @Test func jumpRopeCaloriesFollowThePace() throws {
    // 130 skips a minute: MET 12.3.
    let session = Self.session(.jumpRope, reps: Self.reps(130, seconds: 60.0 / 130))
    let workout = try session.workout(bodyMassKg: 70, fallbackTime: Date())
    #expect(abs((workout.caloriesBurned ?? 0) - 12.3 * 70 / 60) < 1e-9)
    #expect(workout.details?.contains(#""reps_detail":[{"landing":"#) == true)
  }

  @Test func withoutAStartTimeTheFallbackTimeIsUsed() throws {
    let fallback = Date(timeIntervalSince1970: 1_700_000_000)
    let workout = try Self.session(reps: Self.reps(3, seconds: 2)).workout(
      bodyMassKg: 70, fallbackTime: fallback)
    #expect(workout.createdAt == fallback)
  }

  @Test func anEmptySessionLastsNoTimeAndBurnsNothing() throws {
    let workout = try Self.session(reps: []).workout(bodyMassKg: 70, fallbackTime: Date())
    #expect(workout.reps == 0 && workout.durationSeconds == 0 && workout.caloriesBurned == 0)
  }

  @Test(arguments: [1e300, Double.infinity])
  func aDurationNoIntCanHoldIsRefused(end: Double) throws {
    let session = Self.session(reps: [Repetition(start: 0, bottom: 1, end: end, depthAngle: 80)])
    let error = try #require(throws: RecordingError.self) {
      try session.workout(bodyMassKg: 70, fallbackTime: Date())
    }
    #expect(error.kind == .durationOutOfRange)
    #expect(error.description.hasPrefix("the active duration "))
    #expect(error.description.hasSuffix(" s is out of range"))
  }

  @Test func documentStartTimesAreISO8601WithAnOffset() {
    #expect(
      CountedSession.startTime(fromDocument: "2026-11-20T07:30:00Z")
        == Date(timeIntervalSince1970: 1_795_159_800))
    #expect(
      CountedSession.startTime(fromDocument: "2026-11-20T08:30:00+01:00")
        == Date(timeIntervalSince1970: 1_795_159_800))
    #expect(CountedSession.startTime(fromDocument: "20 November 2026") == nil)
    #expect(CountedSession.startTime(fromDocument: nil) == nil)
  }
}
