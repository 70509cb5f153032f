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
  /// Landings counted by a jump-rope counter with `tuning` over the whole file.
  static func count(_ tuning: JumpRopeCounter.Tuning) throws -> Int {
    let reader = try PoseReader(path: night)
    var counter: JumpRopeCounter?
    var reps = 0
    while let frame = try reader.next() {
      if counter == nil {
        let width = try #require(reader.header.width)
        let height = try #require(reader.header.height)
        counter = JumpRopeCounter(
          geometry: ImageGeometry(width: width, height: height), tuning: tuning)
      }
      for case .rep in counter?.consume(frame) ?? [] { reps += 1 }
    }
    for case .rep in counter?.finish() ?? [] { reps += 1 }
    return reps
  }

  @Test func eachDoubleUnderCountsOnceAndTheFlicksNot() throws {
    #expect(try RopeData.count(night, .fixed(.jumpRope)).reps == 42)
    #expect(try RopeData.count(night, .auto).reps == 42)
    // jump-rope/5 counted four of the flicks as jumps.
    var without = JumpRopeCounter.Tuning()
    without.flickFraction = 0
    #expect(try Self.count(without) == 46)
    #expect(try Self.count(JumpRopeCounter.Tuning()) == 42)
  }
}
