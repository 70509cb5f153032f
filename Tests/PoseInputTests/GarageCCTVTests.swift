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
  /// Landings counted by a jump-rope counter with `tuning` over the whole file.
  static func count(_ tuning: JumpRopeCounter.Tuning) throws -> Int {
    let reader = try PoseReader(path: cctv)
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

  @Test func lowHopsFromAHighCameraCount() throws {
    #expect(try RopeData.count(cctv, .fixed(.jumpRope)).reps == 20)
    #expect(try RopeData.count(cctv, .auto).reps == 20)
    #expect(try Self.count(JumpRopeCounter.Tuning()) == 20)
    // jump-rope/6 (the 0.04 minimum lift for every hop) counted 11.
    var without = JumpRopeCounter.Tuning()
    without.lowHopMinimumLift = without.minimumLift
    #expect(try Self.count(without) == 11)
  }
}
