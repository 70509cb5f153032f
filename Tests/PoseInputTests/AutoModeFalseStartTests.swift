import Foundation
import Testing

@testable import RepCounting

/// Our own pose estimation (landmark lines) of jumprope-track-mixed re-encoded as H.264 at
/// crf 32, as `buddy count` decodes it (30 fps), kept in the rope development set next to the
/// checkout (`../ropedata`, not in the repository: licence).
private let crf32 = RopeData.path("cases/jumprope-track-mixed/ours/crf32-video.jsonl")

/// A false start: the knee bends of the first two bounces count as one squat, decided at 1.6 s
/// and backdated to the start; the rope takes over at 4.1 s, backdated to 1.4 s, over its first
/// two reps. That first stretch, in which the squat counted no more than the rope, belongs to
/// the rope: auto counts as `--exercise jump-rope` does (13 for 15 without the rule, with
/// jump-rope/8; jump-rope/9 counts 14: no longer the demonstration's two leg lifts, but the
/// second bout's first hop).
@Suite(.enabled(if: FileManager.default.fileExists(atPath: crf32), "../ropedata not found"))
struct AutoModeFalseStartTests {
  static func count(_ mode: CountSession.Mode) throws -> SessionSummary {
    // As a video decoded at the detection rate: the squat counter sees 15 fps.
    try RopeData.count(crf32, mode, counterRates: [.squat: 15, .pushUp: 15])
  }

  @Test func aFirstStretchOfAnotherExerciseThatCountedLessIsAFalseStart() throws {
    let named = try Self.count(.fixed(.jumpRope))
    let auto = try Self.count(.auto)
    #expect(named.reps == 14)
    #expect(auto.exercise == .jumpRope)
    #expect(auto.repetitions == named.repetitions)
    #expect(auto.otherExercises == [ExerciseCount(exercise: .squat, reps: 3)])
  }
}
