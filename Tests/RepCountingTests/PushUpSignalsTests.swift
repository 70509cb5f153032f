import CMallocCounter
import Testing

@testable import RepCounting

/// PushUpSignals runs once or twice per frame (the posture and the push-up counter), so it
/// makes no arrays; these tests hold it to the numbers of the array-based version it replaced,
/// bit for bit, and to no heap allocation.
@Suite struct PushUpSignalsTests {
  /// The signals as the array-based version computed them (before issue 21 point 4).
  static func reference(_ frame: PoseFrame, _ geometry: ImageGeometry) -> (
    elbowAngle: Double, depthAngle: Double, shoulderLift: Double, armVisibility: Double
  )? {
    guard let topology = frame.topology else { return nil }
    let marks = frame.landmarks
    func point(_ joint: Joint) -> Point { geometry.point(marks[topology.index(of: joint)]) }
    func visibility(_ joint: Joint) -> Double { marks[topology.index(of: joint)].visibility }
    var weightSum = 0.0
    var angleSum = 0.0
    let aspects = geometry.isKnown ? [] : ImageGeometry.candidateAspects.dropFirst()
    var aspectAngleSums = [Double](repeating: 0, count: aspects.count)
    var liftSum = 0.0
    var visibilitySum = 0.0
    var armLengthSum = 0.0
    var arms = 0.0
    let sides: [(Joint, Joint, Joint)] = [
      (.leftShoulder, .leftElbow, .leftWrist), (.rightShoulder, .rightElbow, .rightWrist),
    ]
    for (shoulderJoint, elbowJoint, wristJoint) in sides {
      let seen = min(visibility(shoulderJoint), visibility(elbowJoint), visibility(wristJoint))
      guard seen >= PushUpSignals.minimumArmVisibility else { continue }
      let shoulder = point(shoulderJoint)
      let elbow = point(elbowJoint)
      let wrist = point(wristJoint)
      let armLength = shoulder.distance(to: elbow) + elbow.distance(to: wrist)
      guard armLength > 0, let angle = Trigonometry.angle(at: elbow, shoulder, wrist) else {
        continue
      }
      let weight = seen * seen
      weightSum += weight
      angleSum += weight * angle
      for (slot, aspect) in aspects.enumerated() {
        let stretch = { (point: Point) in Point(x: point.x * aspect, y: point.y) }
        let stretched = Trigonometry.angle(at: stretch(elbow), stretch(shoulder), stretch(wrist))
        aspectAngleSums[slot] += weight * (stretched ?? angle)
      }
      liftSum += weight * (wrist.y - shoulder.y) / armLength
      visibilitySum += seen
      armLengthSum += armLength
      arms += 1
    }
    guard weightSum > 0 else { return nil }
    let elbowAngle = angleSum / weightSum
    let depthAngle = aspectAngleSums.reduce(elbowAngle) { min($0, $1 / weightSum) }
    return (
      elbowAngle, depthAngle, min(1.2, max(-0.2, liftSum / weightSum)), visibilitySum / arms
    )
  }

  /// Random MediaPipe-33 frames: coordinates in -0.2...1.2, visibilities in 0...1, with some
  /// joints hidden and some arms folded flat (a zero-length ray).
  static func frames(count: Int) -> [PoseFrame] {
    var state: UInt64 = 0x2101_0004
    func unit() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(1 << 53)
    }
    return (0..<count).map { index in
      var marks = (0..<33).map { _ in
        Landmark(
          x: unit() * 1.4 - 0.2, y: unit() * 1.4 - 0.2, z: unit() - 0.5,
          visibility: unit() < 0.1 ? unit() * 0.2 : unit())
      }
      if index % 7 == 0 { marks[13] = marks[11] }
      if index % 11 == 0 { marks[16] = marks[14] }
      return PoseFrame(time: Double(index) / 30, landmarks: marks)
    }
  }

  static func geometry(known: Bool) -> ImageGeometry {
    known ? ImageGeometry(width: 640, height: 480) : .normalised
  }

  @Test(arguments: [false, true])
  func givesTheArrayBasedNumbersBitForBit(knownSize: Bool) {
    let geometry = Self.geometry(known: knownSize)
    var compared = 0
    for frame in Self.frames(count: 5000) {
      let signals = PushUpSignals(frame: frame, geometry: geometry)
      let expected = Self.reference(frame, geometry)
      #expect((signals == nil) == (expected == nil))
      guard let signals, let expected else { continue }
      compared += 1
      #expect(signals.elbowAngle.bitPattern == expected.elbowAngle.bitPattern)
      #expect(signals.depthAngle.bitPattern == expected.depthAngle.bitPattern)
      #expect(signals.shoulderLift.bitPattern == expected.shoulderLift.bitPattern)
      #expect(signals.armVisibility.bitPattern == expected.armVisibility.bitPattern)
    }
    #expect(compared > 2000)
  }

  @Test func thePostureSkipsOnlyTheDepthAngles() {
    var differentDepth = 0
    for frame in Self.frames(count: 2000) {
      let full = PushUpSignals(frame: frame, geometry: .normalised)
      let posture = PushUpSignals(frame: frame, geometry: .normalised, judgingDepth: false)
      #expect((full == nil) == (posture == nil))
      guard let full, let posture else { continue }
      #expect(posture.upright == full.upright)
      #expect(posture.elbowAngle == full.elbowAngle)
      #expect(posture.depthAngle == posture.elbowAngle)
      if full.depthAngle != full.elbowAngle { differentDepth += 1 }
    }
    // The skipped angles do matter for the counter: they were really left out.
    #expect(differentDepth > 100)
  }

  /// Heap allocations per frame beyond those of the same loop reading only the frame's
  /// topology (an unoptimised build allocates there too). The array-based version made one or
  /// two arrays per call.
  @Test(arguments: [false, true])
  func allocatesNothing(knownSize: Bool) {
    let geometry = Self.geometry(known: knownSize)
    let frames = Self.frames(count: 200)
    _ = PushUpSignals(frame: frames[1], geometry: geometry)
    _ = PushUpSignals(frame: frames[1], geometry: geometry, judgingDepth: false)
    // The fewest of three runs: a first run may instantiate metadata or lazy globals.
    func allocations(_ body: (PoseFrame) -> Bool) -> (count: UInt64, found: Int) {
      var fewest = UInt64.max
      var found = 0
      for _ in 0..<3 {
        let before = malloc_counter_thread_allocations()
        found = 0
        for frame in frames where body(frame) { found += 1 }
        fewest = min(fewest, malloc_counter_thread_allocations() - before)
      }
      return (fewest, found)
    }
    let baseline = allocations { $0.topology != nil }
    let counter = allocations { PushUpSignals(frame: $0, geometry: geometry) != nil }
    let posture = allocations {
      PushUpSignals(frame: $0, geometry: geometry, judgingDepth: false) != nil
    }
    #expect(counter.count == baseline.count, "\(counter.count) vs \(baseline.count)")
    #expect(posture.count == baseline.count, "\(posture.count) vs \(baseline.count)")
    #expect(baseline.found == 200)
    #expect(counter.found > 100 && posture.found == counter.found)
  }
}
