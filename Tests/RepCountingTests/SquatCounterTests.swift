import RepCounting
import Testing

/// A camera angle for the view-independence tests.
struct SquatView: Sendable, CustomTestStringConvertible {
  var name: String
  var yaw: Double
  var topology: PoseTopology
  var testDescription: String { "\(name) (\(topology.rawValue))" }
}

@Suite struct SquatCounterTests {
  let geometry = ImageGeometry(width: 640, height: 480)

  func reps(_ events: [RepEvent]) -> Int {
    events.filter { if case .rep = $0 { return true } else { return false } }.count
  }

  func partials(_ events: [RepEvent]) -> Int {
    events.filter { if case .partial = $0 { return true } else { return false } }.count
  }

  func squats(
    _ depths: [Double], fps: Double = 30, yaw: Double = 0, period: Double = 2,
    rest: Double = 0.5, topology: PoseTopology = .mediaPipe33, counter: inout SquatCounter
  ) -> [RepEvent] {
    let angle = SyntheticSquatter.kneeAngles(depths, period: period, rest: rest)
    return SyntheticSquatter.run(
      fps: fps, seconds: SyntheticSquatter.length(depths.count, period: period, rest: rest),
      counter: &counter
    ) { time in
      SyntheticSquatter.frame(time: time, kneeAngle: angle(time), yaw: yaw, topology: topology)
    }
  }

  static let views = [
    SquatView(name: "side", yaw: 0, topology: .mediaPipe33),
    SquatView(name: "oblique 45°", yaw: 45, topology: .mediaPipe33),
    SquatView(name: "front", yaw: 90, topology: .mediaPipe33),
    SquatView(name: "side", yaw: 10, topology: .coco17),
    SquatView(name: "oblique 45°", yaw: 45, topology: .coco17),
    SquatView(name: "front", yaw: 85, topology: .coco17),
  ]

  @Test(arguments: views)
  func countsDeepSquatsInEveryView(_ view: SquatView) {
    var counter = SquatCounter(geometry: geometry)
    let events = squats(
      [80, 85, 90, 75, 95], yaw: view.yaw, topology: view.topology, counter: &counter)
    #expect(reps(events) == 5)
    #expect(partials(events) == 0)
  }

  @Test(arguments: views)
  func reportsHalfSquatsAsPartial(_ view: SquatView) {
    var counter = SquatCounter(geometry: geometry)
    let events = squats(
      [85, 130, 125, 85, 135], yaw: view.yaw, topology: view.topology, counter: &counter)
    #expect(reps(events) == 2)
    #expect(partials(events) == 3)
  }

  @Test(arguments: [10.0, 15, 30, 60])
  func countsTheSameAtEveryFrameRate(_ fps: Double) {
    var counter = SquatCounter(geometry: geometry)
    let events = squats([80, 80, 128, 80, 80, 80], fps: fps, period: 1.6, counter: &counter)
    #expect(reps(events) == 5)
    #expect(partials(events) == 1)
  }

  @Test func countsFastSquatsWithoutAFullLockout() {
    var counter = SquatCounter(geometry: geometry)
    // 1 s per squat, straight into the next one: the knees only reach ~160° between reps.
    let events = SyntheticSquatter.run(fps: 30, seconds: 10, counter: &counter) { time in
      let local = time - 1
      guard local > 0, local < 8 else {
        return SyntheticSquatter.frame(time: time, kneeAngle: 176)
      }
      let phase = local - local.rounded(.down)
      let top = local < 1 ? 176.0 : 160
      let amount = (1 - SyntheticPlank.cosine(2 * 3.141592653589793 * phase)) / 2
      return SyntheticSquatter.frame(time: time, kneeAngle: top - (top - 80) * amount)
    }
    #expect(reps(events) == 8)
  }

  @Test func standingPausesSwayingAndShiftingWeightCountNothing() {
    var counter = SquatCounter(geometry: geometry)
    for yaw in [0.0, 90] {
      let events = SyntheticSquatter.run(fps: 30, seconds: 12, counter: &counter) { time in
        // Sway 8 cm to each side every 2 s, and bob the knees a little (170–176°).
        let sway = 0.08 * SyntheticPlank.sine(3.141592653589793 * time)
        let knee = 173 + 3 * SyntheticPlank.cosine(2.3 * time)
        return SyntheticSquatter.frame(time: time, kneeAngle: knee, yaw: yaw, shift: sway)
      }
      #expect(events.isEmpty)
    }
    #expect(counter.lastCycleActivity == nil)
  }

  @Test func longPausesBetweenSquatsDoNotCount() {
    var counter = SquatCounter(geometry: geometry)
    let events = squats([85, 85, 85], yaw: 45, rest: 6, counter: &counter)
    #expect(reps(events) == 3)
    #expect(partials(events) == 0)
  }

  @Test func walkingInAndOutCountsNothing() {
    var counter = SquatCounter(geometry: geometry)
    let events = SyntheticSquatter.run(fps: 30, seconds: 12, counter: &counter) { time in
      // Walk in from the left (1.1 m/s, a step every 0.55 s with the swing foot lifted and the
      // knees bending), stand for 1 s, squat twice, stand, walk off to the right.
      let step = time / 0.55
      let swing = SyntheticPlank.sine(3.141592653589793 * (step - step.rounded(.down)))
      var lift = [0.0, 0.0]
      lift[Int(step) % 2] = 0.1 * swing
      if time < 3 {
        return SyntheticSquatter.frame(
          time: time, kneeAngle: 176 - 50 * swing, x: -3.3 + 1.1 * time, footLift: lift)
      }
      if time < 9 {
        let angle = SyntheticSquatter.kneeAngles([85, 85], period: 2, rest: 0)
        return SyntheticSquatter.frame(time: time, kneeAngle: angle(time - 3))
      }
      return SyntheticSquatter.frame(
        time: time, kneeAngle: 176 - 50 * swing, x: 1.1 * (time - 9), footLift: lift)
    }
    #expect(reps(events) == 2)
    #expect(partials(events) == 0)
  }

  @Test func framesWithoutAPoseHoldTheState() {
    var counter = SquatCounter(geometry: geometry)
    let angle = SyntheticSquatter.kneeAngles([80, 80, 80, 80, 80])
    var frame = 0
    let events = SyntheticSquatter.run(fps: 30, seconds: 14.5, counter: &counter) { time in
      frame += 1
      // Every third frame missing, and 0.4 s gone at the bottom of the second squat.
      if frame % 3 == 0 || (time > 4.3 && time < 4.7) { return nil }
      return SyntheticSquatter.frame(time: time, kneeAngle: angle(time))
    }
    #expect(reps(events) == 5)
    #expect(counter.statistics.framesWithPose < counter.statistics.frames)
  }

  @Test func aLongGapRestartsTheSmoothingButKeepsCounting() {
    var counter = SquatCounter(geometry: geometry)
    let angle = SyntheticSquatter.kneeAngles([80, 80, 80, 80])
    let events = SyntheticSquatter.run(fps: 15, seconds: 13, counter: &counter) { time in
      // Nobody in the picture for 2 s while standing between the 2nd and 3rd squat.
      if time > 5.9 && time < 8 { return nil }
      let shifted = time < 8 ? time : time - 1.5
      return SyntheticSquatter.frame(time: time, kneeAngle: angle(shifted))
    }
    #expect(reps(events) == 4)
  }

  @Test func aPlankIsNotUprightAndCountsNothing() {
    var counter = SquatCounter(geometry: geometry)
    var events: [RepEvent] = []
    for index in 0...300 {
      let time = Double(index) / 30
      let cycle = time.truncatingRemainder(dividingBy: 2) / 2
      let elbow = 165 - 95 * (cycle < 0.5 ? cycle * 2 : 2 - cycle * 2)
      events += counter.consume(SyntheticPlank.frame(time: time, elbowAngle: elbow))
    }
    #expect(events.isEmpty)
    #expect(counter.upright == false)
    #expect(counter.lastCycleActivity == nil)
  }

  @Test func reportsUprightAndCycleActivity() throws {
    var counter = SquatCounter(geometry: geometry)
    let events = squats([80, 80], counter: &counter)
    #expect(reps(events) == 2)
    #expect(counter.upright)
    let activity = try #require(counter.lastCycleActivity)
    // The second squat runs from 3.5 s to 5.5 s.
    #expect(activity > 4.5 && activity < 5.6)
  }

  @Test func fillsInTimingAndDepth() throws {
    var counter = SquatCounter(geometry: geometry)
    let events = squats([80, 130], counter: &counter)
    #expect(events.count == 2)
    let deep = try #require(events.first?.repetition)
    #expect(deep.start < deep.bottom && deep.bottom < deep.end)
    // The bottom is held from 1.9 s to 2.1 s.
    #expect(abs(deep.bottom - 2) < 0.2)
    #expect(deep.depthAngle < 90)
    // Knees at 80°: the hips drop about 0.37 leg lengths.
    let depth = try #require(deep.depth)
    #expect(depth > 0.3 && depth < 0.45)
    let half = try #require(events.last?.repetition)
    #expect(half.depthAngle > 120)
    #expect((half.depth ?? 1) < 0.2)
  }

  @Test func unknownImageSizeStillCountsAndJudgesDepth() {
    for yaw in [0.0, 90] {
      var counter = SquatCounter()
      let events = squats([80, 130, 85], yaw: yaw, counter: &counter)
      #expect(reps(events) == 2)
      #expect(partials(events) == 1)
    }
  }

  @Test func startingMidDescentCountsWhenItEndsStanding() {
    var counter = SquatCounter(geometry: geometry)
    let angle = SyntheticSquatter.kneeAngles([80, 80])
    // Starts 0.5 s into the first squat (knees already at ~140°).
    let events = SyntheticSquatter.run(fps: 30, seconds: 5.5, counter: &counter) { time in
      SyntheticSquatter.frame(time: time, kneeAngle: angle(time + 1.5))
    }
    #expect(reps(events) == 2)
  }

  @Test func endingMidSquatCountsOnlyWholeCycles() {
    var counter = SquatCounter(geometry: geometry)
    let angle = SyntheticSquatter.kneeAngles([80, 80, 80])
    // Stops at the bottom of the third squat.
    let events = SyntheticSquatter.run(fps: 30, seconds: 6, counter: &counter) { time in
      SyntheticSquatter.frame(time: time, kneeAngle: angle(time))
    }
    #expect(reps(events) == 2)
  }

  @Test func isDeterministic() {
    var first = SquatCounter(geometry: geometry)
    var second = SquatCounter(geometry: geometry)
    let a = squats([80, 120, 90], yaw: 30, counter: &first)
    let b = squats([80, 120, 90], yaw: 30, counter: &second)
    #expect(a == b)
    #expect(first.statistics == second.statistics)
  }

  @Test func garbageLandmarksDoNotTrap() {
    var counter = SquatCounter(geometry: geometry)
    let values: [Double] = [
      .nan, .infinity, -.infinity, 0, -1, 1e308, -1e308, .leastNonzeroMagnitude, 0.5,
    ]
    var index = 0
    func next() -> Double {
      index += 1
      return values[(index * 7 + index / 3) % values.count]
    }
    var events: [RepEvent] = []
    for frame in 0..<400 {
      let time = frame % 50 == 0 ? Double.nan : Double(frame) / 30
      let count = frame % 2 == 0 ? 33 : 17
      var marks = (0..<count).map { _ in
        Landmark(x: next(), y: next(), z: next(), visibility: next())
      }
      if frame % 5 == 0 {
        // Every joint at the same point: zero lengths everywhere.
        marks = Array(repeating: Landmark(x: 0.5, y: 0.5), count: count)
      }
      events += counter.consume(PoseFrame(time: time, landmarks: marks))
      // A valid squat frame now and then, so the state machine is exercised on garbage too.
      if frame % 7 == 0 {
        events += counter.consume(
          SyntheticSquatter.frame(time: Double(frame) / 30 + 0.01, kneeAngle: 90))
      }
    }
    events += counter.finish()
    for event in events {
      #expect(event.repetition.depthAngle.isFinite)
      #expect(event.repetition.depth?.isFinite ?? true)
    }
    #expect(counter.statistics.frames > 400)
  }

  @Test func repetitionsOfOtherExercisesHaveNoDepth() {
    let repetition = Repetition(start: 1, bottom: 1.5, end: 2, depthAngle: 70)
    #expect(repetition.depth == nil)
    #expect(Repetition(start: 1, bottom: 1.5, end: 2, depthAngle: 90, depth: 0.3).depth == 0.3)
  }
}
