import PoseEstimation
import PoseInput
import Recording
import RepCounting
import Testing

/// The rates auto mode feeds each counter for a video decoded at the default rate, and the
/// same rates for frames replayed from such a video (`buddy count --replay-video-fps`).
@Suite("Counter rates of a replayed video")
struct ReplayedVideoRateTests {
  @Test func aVideoAtTheDetectionRateFeedsTheSlowerCountersTheirOwnRate() {
    #expect(SessionCounting.counterRates(videoFPS: 30) == [.squat: 15, .pushUp: 15])
    #expect(SessionCounting.counterRates(videoFPS: 24) == [.squat: 15, .pushUp: 15])
    #expect(SessionCounting.counterRates(videoFPS: 15).isEmpty)
    #expect(SessionCounting.counterRates(videoFPS: 10).isEmpty)
  }

  /// Landmarks replayed as a 30 fps video count as a `CountSession` with those rates does,
  /// frame by frame: the squat counter sees every other frame.
  @Test func replayedLandmarksAreFedAtTheVideosRates() throws {
    let path = StoredFixtures.directory + "/squat-mp33-side-30fps-steady.json"
    func noModels() throws -> PosePipeline {
      throw PoseInputError(.badData, file: "-", reason: "no models in this test")
    }
    let replayed = try SessionCounting.count(
      PoseFrameSource(.path(path), makePipeline: noModels), mode: .auto, replayedVideoFPS: 30)
    let source = try PoseFrameSource(.path(path), makePipeline: noModels)
    var session: CountSession?
    var squatFrames = 0
    while let frame = try source.next() {
      if session == nil {
        session = CountSession(
          mode: .auto, geometry: source.geometry ?? .normalised,
          counterRates: [.squat: 15, .pushUp: 15])
      }
      _ = session?.consume(frame)
      squatFrames += 1
    }
    var expected = try #require(session)
    _ = expected.finish()
    #expect(replayed.exercise == expected.summary.exercise)
    #expect(replayed.reps == expected.summary.reps)
    #expect(replayed.repetitions.map(\.end) == expected.summary.repetitions.map(\.end))
    let plain = try SessionCounting.count(
      PoseFrameSource(.path(path), makePipeline: noModels), mode: .auto)
    // Fed every frame, the squat counter times its reps on the 30 fps clock; at 15 fps some
    // land on other frames.
    #expect(squatFrames > 0)
    #expect(plain.repetitions.map(\.end) != replayed.repetitions.map(\.end))
  }
}
