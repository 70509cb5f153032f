import Foundation
import PoseInput
import Testing

@testable import RepCounting

/// MediaPipe's landmarks of jumprope-garage-cctv in the rope development set next to the
/// checkout (`../ropedata`, not in the repository: licence): 20 two-foot bounces (range 20–21)
/// filmed from a high security camera, where the feet rise only 0.02–0.06 leg lengths per hop
/// while the hips, the knees straightening, rise about 0.15.
private let cctv = RopeData.path("cases/jumprope-garage-cctv/landmarks.json")

@Suite(.enabled(if: FileManager.default.fileExists(atPath: cctv), "../ropedata not found"))
struct GarageCCTVTests {
  @Test func lowHopsFromAHighCameraCount() throws {
    #expect(try RopeData.count(cctv, .fixed(.jumpRope)).reps == 20)
    #expect(try RopeData.count(cctv, .auto).reps == 20)
    #expect(try RopeData.jumpRopeReps(cctv, tuning: JumpRopeCounter.Tuning()) == 20)
    // jump-rope/6 (the 0.04 minimum lift for every hop) counted 11; with that minimum the hops
    // the hips confirm (jump-rope/9) bring it to 18.
    var without = JumpRopeCounter.Tuning()
    without.lowHopMinimumLift = without.minimumLift
    #expect(try RopeData.jumpRopeReps(cctv, tuning: without) == 18)
    without.lowHopHipLift = .infinity
    #expect(try RopeData.jumpRopeReps(cctv, tuning: without) == 11)
  }
}
