import Testing

@testable import RepCounting

/// The per-frame trace counters give for drawing: phases follow the movement, the gauge stays
/// in 0...1, and a rep completes on a frame whose trace is back at the top.
@Suite struct RepTraceTests {
  @Test func pushUpTraceGoesDownAndBackUpOnEveryRep() {
    var counter = PushUpCounter()
    let angle = SyntheticPlank.cycles(reps: 4, period: 2)
    var phases: [RepPhase] = []
    var reps = 0
    for index in 0...(11 * 30) {
      let time = Double(index) / 30
      let events = counter.consume(SyntheticPlank.frame(time: time, elbowAngle: angle(time)))
      let trace = counter.trace
      if let gauge = trace?.gauge {
        #expect((0...1).contains(gauge.value))
        #expect(gauge.low.map { (0...1).contains($0) } ?? true)
        #expect(gauge.high.map { (0...1).contains($0) } ?? true)
      }
      if !events.isEmpty {
        reps += events.count
        #expect(trace?.phase == .up)
      }
      if phases.last != trace?.phase, let phase = trace?.phase { phases.append(phase) }
    }
    #expect(reps == 4)
    // idle before any signal (or up once the hold is seen), then down/up per rep
    #expect(phases.filter { $0 == .down }.count == 4)
    #expect(phases.last == .up)
  }

  @Test func pushUpGaugeShowsTheLineThatChangesThePhase() {
    var counter = PushUpCounter()
    let angle = SyntheticPlank.cycles(reps: 1, period: 2)
    var sawTopLine = false
    var sawCycleLine = false
    for index in 0...(4 * 30) {
      let time = Double(index) / 30
      _ = counter.consume(SyntheticPlank.frame(time: time, elbowAngle: angle(time)))
      guard let trace = counter.trace, let gauge = trace.gauge else { continue }
      switch trace.phase {
      case .up:
        #expect(gauge.low != nil && gauge.high == nil)
        if let low = gauge.low { #expect(low < gauge.value + 0.2) }
        sawTopLine = true
      case .down:
        #expect(gauge.high != nil && gauge.low == nil)
        sawCycleLine = true
      default: break
      }
    }
    #expect(sawTopLine && sawCycleLine)
  }

  @Test func jumpRopeTraceIsInTheAirBetweenTakeOffAndLanding() {
    var counter = JumpRopeCounter()
    var airFrames = 0
    var groundFrames = 0
    for frame in SyntheticSkipper.session(.bounce, count: 8, rate: 2, height: 0.05, fps: 30) {
      _ = counter.consume(frame)
      guard let trace = counter.trace else { continue }
      if trace.phase == .air {
        airFrames += 1
        #expect(trace.gauge?.low != nil)
      } else if trace.phase == .ground {
        groundFrames += 1
      }
      if let gauge = trace.gauge { #expect((0...1).contains(gauge.value)) }
    }
    #expect(airFrames > 8 && groundFrames > airFrames / 4)
  }

  @Test func countSessionTracesTheFixedExercise() {
    var session = CountSession(mode: .fixed(.pushUp))
    #expect(session.tracedExercise == .pushUp)
    _ = session.consume(SyntheticPlank.frame(time: 0, elbowAngle: 170))
    #expect(session.trace != nil)
    let auto = CountSession(mode: .auto)
    #expect(auto.tracedExercise == nil && auto.trace == nil)
  }

  @Test func gaugeMapsItsRangeOntoTheUnitInterval() {
    let gauge = RepTrace.Gauge(value: 1.5, low: 0.5, high: nil, range: 0...2)
    #expect(gauge.value == 0.75 && gauge.low == 0.25 && gauge.high == nil)
    #expect(RepTrace.Gauge(value: 9, low: -3, high: .nan, range: 0...1).value == 1)
    #expect(RepTrace.Gauge(value: 9, low: -3, high: .nan, range: 0...1).low == 0)
  }
}
