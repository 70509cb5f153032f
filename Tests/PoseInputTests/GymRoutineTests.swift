import Foundation
import PoseInput
import Testing

@testable import RepCounting

/// MediaPipe's landmarks of jumprope-gym-routine in the rope development set next to the
/// checkout (`../ropedata`, not in the repository: licence): a workout montage filmed from the
/// floor, 32 passes (range 31-34). Its first shot zooms out while she bounces: the feet's
/// ground line rises about 80 px in 2 s and the first four hops never came back below the
/// landing level (29 from every input before jump-rope/10); the hips show each landing
/// (``JumpRopeCounter/Tuning/reboundLift``). The montage ends with 5 double-unders.
private let gymRoutine = RopeData.path("cases/jumprope-gym-routine/landmarks.json")

@Suite(.enabled(if: FileManager.default.fileExists(atPath: gymRoutine), "../ropedata not found"))
struct GymRoutineTests {
  /// The marked passes (hop tops, seconds): the first shot's first five and the double-unders.
  static let firstShot = [0.4, 0.867, 1.3, 1.8, 2.233]
  static let doubleUnders = [12.5, 13.067, 13.633, 14.233, 14.8]

  /// Whether each of `passes` has its own landing in `landings` up to 0.4 s after it.
  static func eachMatched(_ passes: [Double], _ landings: [Double]) -> Bool {
    var unused = landings
    for pass in passes {
      guard let index = unused.firstIndex(where: { $0 >= pass - 0.1 && $0 <= pass + 0.4 }) else {
        return false
      }
      unused.remove(at: index)
    }
    return true
  }

  @Test func theHopsWhileTheCameraZoomsCount() throws {
    let named = try RopeData.count(gymRoutine, .fixed(.jumpRope))
    #expect(named.reps == 33)
    #expect(try RopeData.count(gymRoutine, .auto).reps == 33)
    let landings = named.repetitions.map(\.end)
    #expect(landings.filter { $0 < 2.5 }.count == 5)
    #expect(Self.eachMatched(Self.firstShot, landings))
    var without = JumpRopeCounter.Tuning()
    without.reboundLift = .infinity
    #expect(try RopeData.jumpRopeReps(gymRoutine, tuning: without) == 29)
  }

  @Test func eachDoubleUnderCountsOnce() throws {
    let landings = try RopeData.count(gymRoutine, .fixed(.jumpRope)).repetitions.map(\.end)
    #expect(landings.filter { $0 > 12.3 }.count == 5)
    #expect(Self.eachMatched(Self.doubleUnders, landings))
  }
}
