import Foundation
import Testing

@testable import RepCounting

/// jumprope-track-mixed's MediaPipe landmarks in the rope development set, when present.
private let trackMixed = RopeData.path("cases/jumprope-track-mixed/landmarks.json")

/// Rope, demonstrations, rope again to the end: on jumprope-track-mixed (MediaPipe's landmarks)
/// the detector labels rope from 0.97 s and squat from 7.23 s (the demonstrations: a slow
/// single-leg lift counted as a squat at 8.73 s, the crouch before the second bounce as one at
/// 12.43 s). The second bounce (rope evidence from 13.8 s) reached 1.97 times the squat
/// evidence at the last frame (15.8 s), short of the switch ratio, so auto counted 6 and
/// `--exercise jump-rope` 15. Now the rope takes over at the end (backdated to 12.8 s), the
/// demonstration stretch in which the rope counter saw as many reps as the squat counter is an
/// interlude of rope, and its rope reps wait long enough (``CountSession/maximumHold``) for it.
@Suite(.enabled(if: FileManager.default.fileExists(atPath: trackMixed), "../ropedata not found"))
struct AutoModeTrackMixedTests {
  static func count(_ mode: CountSession.Mode) throws -> SessionSummary {
    try RopeData.count(trackMixed, mode)
  }

  @Test func ropeResumedBeforeTheEndCountsAsNamed() throws {
    let named = try Self.count(.fixed(.jumpRope))
    let auto = try Self.count(.auto)
    #expect(named.reps == 15)
    #expect(auto.exercise == .jumpRope)
    #expect(auto.repetitions == named.repetitions)
  }
}
