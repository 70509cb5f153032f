import Foundation
import PoseInput
import Testing

@testable import RepCounting

/// MediaPipe's landmarks of jumprope-doubleunder-night in the rope development set next to the
/// checkout (`../ropedata`, not in the repository: licence): 42 double-unders at 2.7/s seen
/// from the side at night. Five times MediaPipe flicks one foot up for a frame or two as the
/// skipper lands.
private let night = RopeData.path("cases/jumprope-doubleunder-night/landmarks.json")

@Suite(.enabled(if: FileManager.default.fileExists(atPath: night), "../ropedata not found"))
struct DoubleUnderNightTests {
  @Test func eachDoubleUnderCountsOnceAndTheFlicksNot() throws {
    #expect(try RopeData.count(night, .fixed(.jumpRope)).reps == 42)
    #expect(try RopeData.count(night, .auto).reps == 42)
    // jump-rope/5 counted four of the flicks as jumps.
    var without = JumpRopeCounter.Tuning()
    without.flickFraction = 0
    #expect(try RopeData.jumpRopeReps(night, tuning: without) == 46)
    #expect(try RopeData.jumpRopeReps(night, tuning: JumpRopeCounter.Tuning()) == 42)
  }
}
