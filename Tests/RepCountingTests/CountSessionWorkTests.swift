import Testing

@testable import RepCounting

/// Counting stays linear in the number of repetitions: the session stores each released
/// repetition once and numbers it from a running count, rather than copying and refiltering
/// everything released before it (which made a 116,000-rep file take minutes).
@Suite struct CountSessionWorkTests {
  static let reps = 10_000
  /// Frames per repetition: a 1.2 s cycle at 30 fps.
  static let framesPerRep = 36

  /// A push-up session of `reps` identical 1.2 s cycles after a 1 s hold at the top, built
  /// from one precomputed cycle (re-timed) so the test spends its time counting.
  static func session(reps: Int) -> [PoseFrame] {
    let fps = 30.0
    let hold = 30
    let cycle = (0..<framesPerRep).map { index -> [Landmark] in
      let phase = Double(index) / Double(framesPerRep)
      let amount = (1 - SyntheticPlank.cosine(2 * 3.141592653589793 * phase)) / 2
      return SyntheticPlank.frame(time: 0, elbowAngle: 170 - 100 * amount).landmarks
    }
    let top = cycle[0]
    var frames: [PoseFrame] = []
    frames.reserveCapacity(hold + reps * framesPerRep + hold)
    for index in 0..<(hold + reps * framesPerRep + hold) {
      let inCycle = index - hold
      let landmarks =
        inCycle >= 0 && inCycle < reps * framesPerRep ? cycle[inCycle % framesPerRep] : top
      frames.append(PoseFrame(time: Double(index) / fps, landmarks: landmarks))
    }
    return frames
  }

  @Test(arguments: [CountSession.Mode.fixed(.pushUp), .auto])
  func releasingIsLinearInTheRepetitions(_ mode: CountSession.Mode) throws {
    let frames = Self.session(reps: Self.reps)
    var session = CountSession(mode: mode)
    var events: [CountSession.Event] = []
    for frame in frames { events += session.consume(frame) }
    events += session.finish()
    let summary = session.summary
    #expect(summary.exercise == .pushUp)
    // In auto mode the reps before the detector's first decision may be dropped or kept.
    #expect(summary.reps >= Self.reps - 2 && summary.reps <= Self.reps)
    let numbers = events.filter { $0.number > 0 }.map(\.number)
    #expect(numbers == Array(1...summary.reps))
    #expect(events.count == summary.reps + summary.partialReps)
    // One unit of work per released event; the old per-rep copy and refilter did ~reps²/2.
    #expect(session.releaseWork <= 2 * events.count)
    #expect(session.releaseWork <= 2 * Self.reps)
  }

  @Test func lateRepetitionsAreReleasedAsFastAsEarlyOnes() {
    // Frames at the end of a long session cost what frames at the start did: the work for the
    // last 100 reps equals that for the first 100.
    let frames = Self.session(reps: 2_000)
    var session = CountSession(mode: .fixed(.pushUp))
    var workAtRep: [Int: Int] = [:]
    var released = 0
    for frame in frames {
      released += session.consume(frame).count
      workAtRep[released] = session.releaseWork
    }
    let early = (workAtRep[200] ?? 0) - (workAtRep[100] ?? 0)
    let late = (workAtRep[2_000] ?? 0) - (workAtRep[1_900] ?? 0)
    #expect(early == 100)
    #expect(late == early)
  }

  @Test func labelLookupMatchesALinearScan() {
    // `label(at:)` is a binary search over the segments; it agrees with the plain scan.
    var detector = ExerciseDetector()
    var time = 0.0
    for block in 0..<40 {
      let posture: Posture = block % 2 == 0 ? .plank : .upright
      for _ in 0..<150 {
        _ = detector.observe(
          time: time, posture: posture,
          evidence: ExerciseDetectorTests.evidence(posture, hopping: block % 4 == 1))
        time += 1.0 / 30
      }
    }
    #expect(detector.segments.count > 10)
    for step in stride(from: -1.0, through: time + 1, by: 0.37) {
      var expected: Exercise??
      for segment in detector.segments where segment.start <= step {
        expected = .some(segment.label)
      }
      #expect(detector.label(at: step) == expected)
    }
  }
}
