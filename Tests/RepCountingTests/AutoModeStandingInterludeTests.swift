import Testing

@testable import RepCounting

/// Rope, a pause standing with a few hops the rope counter counts, rope again: the pause is
/// labelled neither between two rope stretches, and its reps count in auto mode as they do with
/// the exercise named (jumprope-track-mixed from our own pose estimation: rope, neither, squat,
/// rope; auto 13, `--exercise jump-rope` 15).
@Suite struct AutoModeStandingInterludeTests {
  @Test(arguments: [[10.0, 10.5], [10.0, 11.0], [9.0, 10.0, 11.0], [10.0, 10.6, 11.2]])
  func aPauseBetweenTwoBoutsLosesNoRepetition(pause: [Double]) {
    let first = (0..<10).map { 0.5 + 0.5 * Double($0) }
    let second = (0..<10).map { 16.0 + 0.5 * Double($0) }
    let frames = JumpRopeCounterTests.hops(at: first + pause + second, length: 21.5)
    let (_, named) = CountSessionTests.run(frames, mode: .fixed(.jumpRope))
    let (_, auto) = CountSessionTests.run(frames)
    // Two hops a second apart with nothing around them are no rope rhythm (jump-rope/9).
    let lone = pause.count == 2 && pause[1] - pause[0] > JumpRopeCounter.Tuning().runStartGap
    #expect(named.reps == 20 + (lone ? 0 : pause.count))
    #expect(auto.exercise == .jumpRope)
    #expect(auto.repetitions == named.repetitions)
  }
}
