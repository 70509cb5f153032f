import Testing

@testable import RepCounting

/// The end of the stream: an exercise resumed shortly before the end takes over from the label
/// it interrupted once its recent evidence leads, without the switch ratio that keeps a label
/// from flapping while frames still come (jumprope-track-mixed: rope, demonstrations labelled
/// squat, 2.4 s of rope again that ended at 1.97 times the squat evidence, short of 2).
@Suite struct DetectorFinishTests {
  /// Evidence of one frame: 1 for `exercise`, 0 for the others.
  static func evidence(_ exercise: Exercise?) -> [Double] {
    Exercise.allCases.map { $0 == exercise ? 1 : 0 }
  }

  /// Rope for 4 s, squats for `squat` seconds, rope again until `end`.
  static func detector(squat: Double, end: Double) -> ExerciseDetector {
    var detector = ExerciseDetector()
    var time = 0.0
    while time < end {
      let exercise: Exercise = time >= 4 && time < 4 + squat ? .squat : .jumpRope
      _ = detector.observe(time: time, posture: .upright, evidence: Self.evidence(exercise))
      time += 1.0 / 30
    }
    return detector
  }

  @Test func aLeadingExerciseTakesOverAtTheEnd() {
    var detector = Self.detector(squat: 5, end: 10.6)
    // Rope leads but not by the switch ratio: the label stays squat while frames come.
    #expect(detector.current == .squat)
    let changed = detector.finish()
    #expect(changed)
    #expect(detector.current == .jumpRope)
    // Backdated like any switch: to the rope's evidence (9 s) less the backdate.
    #expect(detector.label(at: 8.5) == .jumpRope)
    #expect(detector.label(at: 6) == .squat)
    #expect(detector.label(at: 2) == .jumpRope)
  }

  @Test func aTrailingExerciseDoesNotTakeOver() {
    // Too little rope at the end: squat still leads and stays.
    var detector = Self.detector(squat: 5, end: 9.4)
    #expect(detector.current == .squat)
    let changed = detector.finish()
    #expect(!changed)
    #expect(detector.current == .squat)
  }

  @Test func standingAtTheEndDoesNotRelabel() {
    // Neither never takes over at the end: only an exercise resumed there does.
    var detector = ExerciseDetector()
    var time = 0.0
    while time < 6 {
      let exercise: Exercise? = time < 4 ? .jumpRope : nil
      _ = detector.observe(time: time, posture: .upright, evidence: Self.evidence(exercise))
      time += 1.0 / 30
    }
    let before = detector.segments
    _ = detector.finish()
    #expect(detector.segments == before)
  }

  @Test func anUndecidedStreamStaysUndecided() {
    var detector = ExerciseDetector()
    _ = detector.observe(time: 0, posture: .upright, evidence: Self.evidence(.jumpRope))
    let changed = detector.finish()
    #expect(!changed)
    #expect(detector.current == nil)
  }
}
