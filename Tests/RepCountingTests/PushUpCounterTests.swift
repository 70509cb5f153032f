import RepCounting
import Testing

@Suite struct PushUpCounterTests {
  let geometry = ImageGeometry(width: 640, height: 480)

  func reps(_ events: [RepEvent]) -> Int {
    events.filter { if case .rep = $0 { return true } else { return false } }.count
  }

  func partials(_ events: [RepEvent]) -> Int {
    events.filter { if case .partial = $0 { return true } else { return false } }.count
  }

  @Test(arguments: [10.0, 15, 30, 60])
  func countsTheSameAtEveryFrameRate(_ fps: Double) {
    var counter = PushUpCounter(geometry: geometry)
    let events = SyntheticPlank.run(
      fps: fps, seconds: 13, counter: &counter,
      angle: SyntheticPlank.cycles(reps: 6, period: 1.8))
    #expect(reps(events) == 6)
    #expect(partials(events) == 0)
  }

  @Test func countsFastRepsThatNeverLockOut() {
    var counter = PushUpCounter(geometry: geometry)
    let events = SyntheticPlank.run(
      fps: 15, seconds: 10, counter: &counter,
      angle: SyntheticPlank.cycles(reps: 10, period: 0.8, top: 148, bottom: 80))
    #expect(reps(events) == 10)
  }

  @Test func countsRepsWhoseLockoutFadesWithFatigue() {
    var counter = PushUpCounter(geometry: geometry)
    // First rep from a full 172° lockout, then 7 reps that only come back up to 138°.
    let fresh = SyntheticPlank.cycles(reps: 1, period: 1.6, top: 172, bottom: 70)
    let tired = SyntheticPlank.cycles(reps: 7, period: 1.2, top: 138, bottom: 70)
    let events = SyntheticPlank.run(fps: 30, seconds: 12.5, counter: &counter) { time in
      time < 2.6 ? fresh(time) : tired(time - 1.6)
    }
    #expect(reps(events) == 8)
  }

  @Test func reportsShallowCyclesAsPartial() {
    var counter = PushUpCounter(geometry: geometry)
    let events = SyntheticPlank.run(
      fps: 30, seconds: 9, counter: &counter,
      angle: SyntheticPlank.cycles(reps: 4, period: 1.5, top: 170, bottom: 125))
    #expect(reps(events) == 0)
    #expect(partials(events) == 4)
    for event in events {
      #expect(event.repetition.depthAngle > 110)
    }
  }

  @Test func framesWithoutAPoseHoldTheState() {
    var counter = PushUpCounter(geometry: geometry)
    let base = SyntheticPlank.cycles(reps: 5, period: 2)
    // Drop every third frame and a whole second in the middle of a rep.
    var frame = 0
    let events = SyntheticPlank.run(fps: 30, seconds: 12, counter: &counter) { time in
      frame += 1
      if frame % 3 == 0 || (time > 4.2 && time < 4.6) { return nil }
      return base(time)
    }
    #expect(reps(events) == 5)
    #expect(counter.statistics.framesWithPose < counter.statistics.frames)
  }

  @Test func startingAndEndingMidRepCountsOnlyWholeCycles() {
    var counter = PushUpCounter(geometry: geometry)
    // Start at the bottom, then 3 whole reps, then stop halfway down.
    let events = SyntheticPlank.run(fps: 30, seconds: 7.4, counter: &counter) { time in
      if time < 0.6 { return 70 + 100 * time / 0.6 }
      if time < 1 { return 170 }
      let cycle = SyntheticPlank.cycles(reps: 4, period: 1.8)
      return cycle(time)
    }
    // 3 full cycles end by t = 6.4; the 4th is still going down at 7.4.
    #expect(reps(events) == 3)
  }

  @Test func standingUpAbandonsACycleInProgress() {
    var counter = PushUpCounter(geometry: geometry)
    var events: [RepEvent] = []
    for index in 0..<30 {
      let time = Double(index) / 30
      events += counter.consume(SyntheticPlank.frame(time: time, elbowAngle: 170))
    }
    for index in 30..<45 {
      let time = Double(index) / 30
      events += counter.consume(
        SyntheticPlank.frame(time: time, elbowAngle: 170 - 6 * Double(index - 30)))
    }
    for index in 45..<90 {
      let time = Double(index) / 30
      events += counter.consume(SyntheticPlank.frame(time: time, elbowAngle: 170, standing: true))
    }
    #expect(events.isEmpty)
  }

  @Test func countsCOCOKeypoints() {
    var counter = PushUpCounter(geometry: geometry)
    let events = SyntheticPlank.run(
      fps: 15, seconds: 8, topology: .coco17, counter: &counter,
      angle: SyntheticPlank.cycles(reps: 4, period: 1.6))
    #expect(reps(events) == 4)
  }

  @Test func isDeterministic() {
    var first = PushUpCounter(geometry: geometry)
    var second = PushUpCounter(geometry: geometry)
    let angle = SyntheticPlank.cycles(reps: 5, period: 1.3)
    let a = SyntheticPlank.run(fps: 30, seconds: 8, counter: &first, angle: angle)
    let b = SyntheticPlank.run(fps: 30, seconds: 8, counter: &second, angle: angle)
    #expect(a == b)
  }

  @Test func timesEachRepetition() throws {
    var counter = PushUpCounter(geometry: geometry)
    let events = SyntheticPlank.run(
      fps: 30, seconds: 6, counter: &counter, angle: SyntheticPlank.cycles(reps: 2, period: 2))
    let first = try #require(events.first?.repetition)
    #expect(first.start < first.bottom && first.bottom < first.end)
    #expect(abs(first.bottom - 2) < 0.15)
    #expect(first.depthAngle < 75)
  }

  @Test func unknownImageSizeStillCounts() {
    var counter = PushUpCounter(geometry: .normalised)
    let events = SyntheticPlank.run(
      fps: 30, seconds: 10, counter: &counter, angle: SyntheticPlank.cycles(reps: 5, period: 1.7))
    #expect(reps(events) == 5)
  }
}

@Suite struct SessionSummaryTests {
  @Test func summarisesEvents() {
    let events: [RepEvent] = [
      .rep(Repetition(start: 1, bottom: 1.5, end: 2, depthAngle: 70)),
      .partial(Repetition(start: 2.5, bottom: 3, end: 3.5, depthAngle: 130)),
      .rep(Repetition(start: 4, bottom: 4.5, end: 5, depthAngle: 72)),
    ]
    var counter = PushUpCounter()
    _ = counter.consume(PoseFrame(time: 0, landmarks: []))
    let summary = SessionSummary(
      exercise: .pushUp, events: events, statistics: counter.statistics,
      engineVersion: PushUpCounter.engineVersion)
    #expect(summary.reps == 2)
    #expect(summary.partialReps == 1)
    #expect(summary.activeDuration == 4)
    #expect(summary.cadence == 30)
    #expect(summary.confidence == 0)
  }

  @Test func emptySessionHasNoCadence() {
    let summary = SessionSummary(
      exercise: .pushUp, events: [], statistics: FrameStatistics(), engineVersion: "x")
    #expect(summary.reps == 0)
    #expect(summary.cadence == 0)
    #expect(summary.activeDuration == 0)
  }
}

@Suite struct PoseFrameTests {
  @Test func topologyFollowsTheLandmarkCount() {
    #expect(PoseFrame(time: 0, landmarks: []).topology == nil)
    let coco = PoseFrame(time: 0, landmarks: Array(repeating: Landmark(x: 0, y: 0), count: 17))
    #expect(coco.topology == .coco17)
    #expect(PoseTopology(landmarkCount: 20) == nil)
    #expect(PoseTopology.coco17.index(of: .leftWrist) == 9)
    #expect(PoseTopology.mediaPipe33.index(of: .leftWrist) == 15)
  }
}
