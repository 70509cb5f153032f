import Foundation
import PoseInput
import Testing

@testable import RepCounting

/// MediaPipe's landmarks of jumprope-gymwall-mixed1 in the rope development set next to the
/// checkout (`../ropedata`, not in the repository: licence; held out, never tuned on before
/// jump-rope/9): one skipper in a gym, front view, 50 passes (range 50-51) of two-foot bounces,
/// high knees (the free foot lifted about 0.6 leg lengths), then bounces and jumping jacks whose
/// feet rise only 0.05-0.07 leg lengths while the hips rise 0.1-0.2.
private let mixed = RopeData.path("cases/jumprope-gymwall-mixed1/landmarks.json")

@Suite(.enabled(if: FileManager.default.fileExists(atPath: mixed), "../ropedata not found"))
struct GymwallMixedTests {
  @Test func theBouncesAfterTheHighKneesCount() throws {
    #expect(try RopeData.count(mixed, .fixed(.jumpRope)).reps == 50)
    #expect(try RopeData.count(mixed, .auto).reps == 50)
    // jump-rope/8 lost the last seven hops (and two low ones of the first bounce) to a typical
    // height left high by the knee lifts: the hips confirm them now.
    var without = JumpRopeCounter.Tuning()
    without.lowHopHipLift = .infinity
    #expect(try RopeData.jumpRopeReps(mixed, tuning: without) < 45)
    // The first knee lift took off low and landed with the hips half-way up, then again.
    var halfway = JumpRopeCounter.Tuning()
    halfway.lowHopMaximumApex = .infinity
    #expect(try RopeData.jumpRopeReps(mixed, tuning: halfway) == 51)
  }
}
