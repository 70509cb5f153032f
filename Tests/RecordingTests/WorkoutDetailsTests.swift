import Foundation
import Recording
import RepCounting
import Testing

@Suite("The stored details of a workout")
struct WorkoutDetailsTests {
  @Test(arguments: [
    (StoredFixtures.pushUpFile, "document", StoredFixtures.pushUpText),
    (StoredFixtures.mixedFile, "jsonLines", StoredFixtures.mixedText),
  ])
  func aCountedFixtureStoresTheTextStoredBefore(file: String, kind: String, stored: String) throws {
    let summary = try StoredFixtures.summary(of: file)
    // The text was stored by jump-rope/1; the counter's version moved on, the shape did not.
    // Since jump-rope/3 the rope claims detection evidence from a run's third landing on (one or
    // two hops are no evidence), so the rope's share of the evidence is a little lower.
    let stored = stored.replacingOccurrences(
      of: #""engine_version":"jump-rope/1""#,
      with: #""engine_version":"\#(JumpRopeCounter.engineVersion)""#
    ).replacingOccurrences(
      of: #""detected":{"exercise":"jump-rope","confidence":0.34}"#,
      with: #""detected":{"exercise":"jump-rope","confidence":0.29}"#)
    let details = WorkoutDetails(
      summary: summary, sourceName: StoredFixtures.recordedName(file), sourceKind: kind)
    #expect(details.jsonText == stored)
    let session = CountedSession(
      summary: summary, digest: [1, 2, 3], startTime: nil,
      sourceName: StoredFixtures.recordedName(file), sourceKind: kind)
    #expect(try session.workout(bodyMassKg: 70, fallbackTime: Date()).details == stored)
  }

  @Test(arguments: [StoredFixtures.pushUpText, StoredFixtures.mixedText])
  func storedTextDecodesAndEncodesToTheSameBytes(stored: String) throws {
    let details = try WorkoutDetails(jsonText: stored)
    #expect(details.jsonText == stored)
    #expect(try StoredDetails(jsonText: stored) == .counted(details))
  }

  @Test func decodesTheFieldsOfEachRepetitionShape() throws {
    let pushUps = try WorkoutDetails(jsonText: StoredFixtures.pushUpText)
    #expect(
      pushUps.source
        == .init(name: StoredFixtures.recordedName(StoredFixtures.pushUpFile), format: "document"))
    #expect(pushUps.detected == .init(exercise: "push-up", confidence: 1))
    #expect(pushUps.reps == 5 && pushUps.partialReps == 2)
    #expect(pushUps.durationSeconds == 13.167 && pushUps.cadencePerMinute == 22.8)
    #expect(
      pushUps.repsDetail.first == .pushUp(start: 1.367, bottom: 2.033, end: 2.533, depthAngle: 91.4)
    )
    #expect(pushUps.partialRepsDetail.count == 2)
    let mixed = try WorkoutDetails(jsonText: StoredFixtures.mixedText)
    #expect(mixed.repsDetail.first == .jumpRope(landing: 10, takeoff: 9.833, apex: 9.9))
    #expect(mixed.otherExercises == [.init(exercise: "push-up", reps: 4)])
  }

  @Test func roundTripsThroughJSONEncoderAndDecoder() throws {
    let details = WorkoutDetails(
      summary: Self.summary(notes: ["frames at 10 fps"]), sourceName: "tab\t\"quoted\"",
      sourceKind: "jsonl")
    let encoded = try JSONEncoder().encode(details)
    #expect(try JSONDecoder().decode(WorkoutDetails.self, from: encoded) == details)
    #expect(try WorkoutDetails(jsonText: details.jsonText) == details)
    let stored = StoredDetails.counted(details)
    #expect(
      try JSONDecoder().decode(StoredDetails.self, from: JSONEncoder().encode(stored)) == stored)
  }

  @Test func roundsAsStoredAndLeavesOutAMissingDetection() throws {
    let details = WorkoutDetails(
      summary: Self.summary(notes: ["a note"]), sourceName: "s.json", sourceKind: "document")
    #expect(details.detected == nil)
    #expect(details.repsDetail == [.pushUp(start: 0.123, bottom: 1, end: 2.346, depthAngle: 87.7)])
    #expect(
      details.jsonText
        == #"{"source":{"name":"s.json","format":"document"},"exercise":"push-up","reps":1,"#
        + #""partial_reps":0,"duration_seconds":2.222,"clip_seconds":0,"cadence_per_minute":27,"#
        + #""confidence":0,"frames":0,"frames_with_pose":0,"engine_version":"push-up/test","#
        + #""reps_detail":[{"start":0.123,"bottom":1,"end":2.346,"depth_angle":87.7}],"#
        + #""partial_reps_detail":[],"other_exercises":[],"notes":["a note"]}"#)
  }

  @Test func jumpRopeRepsHaveLandingTakeoffAndApex() {
    let repetition = Repetition(start: 1.0004, bottom: 1.1, end: 1.2, depthAngle: 180)
    #expect(
      WorkoutDetails.RepetitionDetail(repetition, exercise: .jumpRope)
        == .jumpRope(landing: 1.2, takeoff: 1, apex: 1.1))
    // A session with no exercise has no repetitions; were there one, it has the timings only.
    #expect(
      WorkoutDetails.RepetitionDetail(repetition, exercise: nil)
        == .init(values: [.start: 1, .bottom: 1.1, .end: 1.2]))
  }

  @Test func squatRepsAlsoHaveTheirDepth() throws {
    let repetition = Repetition(
      start: 1, bottom: 2, end: 3, depthAngle: 84.44, depth: 0.31234)
    let detail = WorkoutDetails.RepetitionDetail(repetition, exercise: .squat)
    #expect(
      detail
        == .init(values: [.start: 1, .bottom: 2, .end: 3, .depthAngle: 84.4, .depth: 0.312]))
    let details = WorkoutDetails(
      summary: SessionSummary(
        exercise: .squat, events: [.rep(repetition)], statistics: FrameStatistics(),
        engineVersion: "squat/test"),
      sourceName: "squats.json", sourceKind: "document")
    #expect(
      details.jsonText.contains(
        #""reps_detail":[{"start":1,"bottom":2,"end":3,"depth_angle":84.4,"depth":0.312}]"#))
    #expect(try WorkoutDetails(jsonText: details.jsonText) == details)
  }

  @Test func manualEntriesStoreTheirSourceOnly() throws {
    #expect(StoredDetails.manual.jsonText == #"{"source": "manual"}"#)
    #expect(try StoredDetails(jsonText: #"{"source": "manual"}"#) == .manual)
    #expect(try StoredDetails(jsonText: #"{"source":"manual"}"#) == .manual)
    let encoded = try JSONEncoder().encode(StoredDetails.manual)
    #expect(String(decoding: encoded, as: UTF8.self) == #"{"source":"manual"}"#)
    #expect(throws: DecodingError.self) { try StoredDetails(jsonText: #"{"source": "other"}"#) }
  }

  /// One push-up with unrounded times, no detection, no frames.
  static func summary(notes: [String] = []) -> SessionSummary {
    var summary = SessionSummary(
      exercise: .pushUp,
      events: [.rep(Repetition(start: 0.12345, bottom: 1.0, end: 2.34567, depthAngle: 87.66))],
      statistics: FrameStatistics(), engineVersion: "push-up/test")
    summary.notes = notes
    return summary
  }
}

extension WorkoutDetails.RepetitionDetail {
  /// A push-up's detail, as stored.
  static func pushUp(start: Double, bottom: Double, end: Double, depthAngle: Double) -> Self {
    .init(values: [.start: start, .bottom: bottom, .end: end, .depthAngle: depthAngle])
  }

  /// A rope jump's detail, as stored.
  static func jumpRope(landing: Double, takeoff: Double, apex: Double) -> Self {
    .init(values: [.landing: landing, .takeoff: takeoff, .apex: apex])
  }
}
