import RepCounting
import Testing
import WorkoutStore

/// The binary form of kept landmarks: round trips, and damaged bytes that give an error, never
/// a trap.
@Suite("Kept landmark payload")
struct LandmarkPayloadTests {
  /// A frame of `count` landmarks whose values depend on `seed`.
  private static func frame(time: Double, count: Int, seed: Double) -> PoseFrame {
    PoseFrame(
      time: time,
      landmarks: (0..<count).map { index in
        let i = Double(index)
        return Landmark(
          x: 0.3 + 0.01 * i + 0.001 * seed, y: 0.7 - 0.005 * i, z: -0.1 * seed,
          visibility: 0.9 + 0.001 * i)
      })
  }

  private static func payload(_ frames: [PoseFrame]) throws -> [UInt8] {
    var writer = LandmarkPayloadWriter()
    for frame in frames { try writer.append(frame) }
    return writer.payload()
  }

  /// `value` as the nearest `Float16` reads back.
  private static func half(_ value: Double) -> Double { Double(Float16(value)) }

  @Test(arguments: [33, 17])
  func roundTripsTimesExactlyAndValuesAsHalfFloats(count: Int) throws {
    var frames: [PoseFrame] = []
    for index in 0..<95 {
      let time = Double(index) / 29.97
      // Every seventh frame has no pose.
      frames.append(
        index % 7 == 3
          ? PoseFrame(time: time, landmarks: [])
          : Self.frame(time: time, count: count, seed: Double(index)))
    }
    let bytes = try Self.payload(frames)
    let reader = try LandmarkPayloadReader(bytes)
    #expect(reader.frameCount == 95)
    #expect(reader.landmarksPerFrame == count)
    #expect(reader.posedFrameCount == 95 - 14)
    #expect(bytes.count == 16 + 95 * 8 + 12 + (95 - 14) * count * 8)
    let back = reader.frames()
    #expect(back.count == frames.count)
    for (original, read) in zip(frames, back) {
      #expect(read.time == original.time)
      #expect(read.landmarks.count == original.landmarks.count)
      for (a, b) in zip(original.landmarks, read.landmarks) {
        #expect(b.x == Self.half(a.x) && b.y == Self.half(a.y))
        #expect(b.z == Self.half(a.z) && b.visibility == Self.half(a.visibility))
        #expect(abs(b.x - a.x) <= 0.0005 && abs(b.visibility - a.visibility) <= 0.0005)
      }
    }
    // Reading what was read and writing it again gives the same bytes.
    #expect(try Self.payload(back) == bytes)
  }

  @Test func emptyAndPoselessStreamsRoundTrip() throws {
    let empty = try LandmarkPayloadReader(LandmarkPayloadWriter().payload())
    #expect(empty.frameCount == 0 && empty.frames().isEmpty)
    let poseless = try Self.payload([
      PoseFrame(time: 0, landmarks: []), PoseFrame(time: 0.5, landmarks: []),
    ])
    let reader = try LandmarkPayloadReader(poseless)
    #expect(reader.landmarksPerFrame == 0)
    // Found by fuzzing: a landmark count with no posed frame is a second form of the same
    // stream, so it is refused (writing the frames again would not give the same bytes).
    var counted = poseless
    counted[6] = 17
    #expect(throws: LandmarkPayloadError.self) { _ = try LandmarkPayloadReader(counted) }
    #expect(
      reader.frames() == [
        PoseFrame(time: 0, landmarks: []), PoseFrame(time: 0.5, landmarks: []),
      ])
  }

  @Test func framesThatCannotBeKeptAreRefusedAndLeaveTheStreamAsItWas() throws {
    var writer = LandmarkPayloadWriter()
    try writer.append(Self.frame(time: 0, count: 33, seed: 1))
    var huge = Self.frame(time: 0.1, count: 33, seed: 2)
    huge.landmarks[5].y = 70_000
    #expect(throws: LandmarkPayloadError.self) { try writer.append(huge) }
    #expect(throws: LandmarkPayloadError.self) {
      try writer.append(Self.frame(time: 0.1, count: 17, seed: 2))
    }
    #expect(throws: LandmarkPayloadError.self) {
      try writer.append(Self.frame(time: -1, count: 33, seed: 2))
    }
    #expect(throws: LandmarkPayloadError.self) {
      try writer.append(PoseFrame(time: .infinity, landmarks: []))
    }
    #expect(writer.frameCount == 1)
    do {
      try writer.append(huge)
    } catch let error as LandmarkPayloadError {
      #expect(error.kind == .cannotKeep)
      #expect(
        error.message
          == "frame 1: landmark 5 has the value 70000.0, beyond what kept landmarks hold (±65504)")
    }
    #expect(try LandmarkPayloadReader(writer.payload()).frames().count == 1)
  }

  @Test func everyTruncationIsAnErrorNamingTheByte() throws {
    let bytes = try Self.payload((0..<5).map { Self.frame(time: Double($0), count: 17, seed: 1) })
    for length in 0..<bytes.count {
      #expect(throws: LandmarkPayloadError.self) {
        _ = try LandmarkPayloadReader(Array(bytes.prefix(length)))
      }
    }
    #expect(throws: LandmarkPayloadError.self) { _ = try LandmarkPayloadReader(bytes + [0]) }
    do {
      _ = try LandmarkPayloadReader(Array(bytes.prefix(40)))
      Issue.record("a truncated payload was read")
    } catch let error as LandmarkPayloadError {
      #expect(error.kind == .corrupt)
      #expect(error.message.hasPrefix("kept landmarks, byte 40: truncated"))
    }
  }

  @Test func damagedHeadersAndBodiesAreErrors() throws {
    let bytes = try Self.payload((0..<9).map { Self.frame(time: Double($0), count: 33, seed: 1) })
    func refuses(_ change: (inout [UInt8]) -> Void, _ message: String) {
      var damaged = bytes
      change(&damaged)
      #expect(throws: LandmarkPayloadError(.corrupt, message)) {
        _ = try LandmarkPayloadReader(damaged)
      }
    }
    refuses(
      { $0[0] = UInt8(ascii: "X") },
      "kept landmarks, byte 0: not a kept landmark stream (no BDLM magic)")
    refuses(
      { $0[4] = 2 }, "kept landmarks, byte 4: format version 2 is not one this buddy reads (1)")
    refuses(
      { $0[6] = 18 },
      "kept landmarks, byte 6: 18 landmarks per frame for 9 posed frames (33 or 17; 0 for none)")
    refuses(
      { $0.replaceSubrange(6..<8, with: [0, 0]) },
      "kept landmarks, byte 6: 0 landmarks per frame for 9 posed frames (33 or 17; 0 for none)")
    refuses({ $0[12] = 10 }, "kept landmarks, byte 12: 10 posed frames of 9")
    refuses(
      { $0.replaceSubrange(8..<12, with: [0xff, 0xff, 0xff, 0xff]) },
      "kept landmarks, byte 8: 4294967295 frames are more than a kept stream holds")
    // Frame 3's time's top byte (plane 7) set to 0x7f 0xf0 …: the exponent of infinity.
    refuses(
      {
        $0[16 + 7 * 9 + 3] = 0x7f
        $0[16 + 6 * 9 + 3] = 0xf0
      },
      "kept landmarks, byte 19: frame 3: time inf is not finite or goes backwards")
    // The pose bit of frame 2 cleared: the count no longer matches the header.
    refuses(
      { $0[16 + 72] &= ~UInt8(4) },
      "kept landmarks, byte 88: 8 frames marked posed, the header says 9")
    // A bit past the last frame (frame 9 of 9) set.
    refuses({ $0[16 + 73] |= 2 }, "kept landmarks, byte 89: pose bits set past the last frame")
    // The first value's high byte made 0x7c: a Float16 infinity.
    let values = 16 + 72 + 2
    refuses(
      {
        $0[values] = 0
        $0[values + 9 * 33 * 4] = 0x7c
      },
      "kept landmarks, byte \(values): a landmark value is not finite")
  }

  @Test func randomBytesNeverTrap() {
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<2000 {
      let length = Int.random(in: 0..<120, using: &generator)
      var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
      if length >= 16, Bool.random(using: &generator) {
        bytes.replaceSubrange(0..<6, with: Array("BDLM".utf8) + [1, 0])
      }
      if let reader = try? LandmarkPayloadReader(bytes) {
        #expect(reader.frames().count == reader.frameCount)
      }
    }
  }
}
