import Testing

@testable import RepCounting

/// ``FrameResampler`` picks the frames ffmpeg's `fps` filter picks (checked with `framemd5`
/// on the dev clips: `fps=15` of a 30 or 29.97 fps video is every other frame of `fps=30`,
/// starting with the first) and times them on the output clock.
@Suite struct FrameResamplerTests {
  /// Frames at `fps`, numbered by their landmark's x (so the picked ones can be named).
  static func frames(_ count: Int, fps: Double) -> [PoseFrame] {
    (0..<count).map { index in
      var landmarks = [Landmark](
        repeating: Landmark(x: 0, y: 0, z: 0, visibility: 1),
        count: PoseTopology.mediaPipe33.landmarkCount)
      landmarks[0].x = Double(index)
      return PoseFrame(time: Double(index) / fps, landmarks: landmarks)
    }
  }

  static func resample(_ frames: [PoseFrame], to rate: Double) -> [PoseFrame] {
    var resampler = FrameResampler(rate: rate)
    var out: [PoseFrame] = []
    for frame in frames { out += resampler.push(frame) }
    return out + resampler.finish()
  }

  static func picked(_ frames: [PoseFrame]) -> [Int] { frames.map { Int($0.landmarks[0].x) } }

  @Test func halvesThirtyFPSToEveryOtherFrame() {
    // 29 frames (squat-correct-016) give 15, as ffmpeg does; 30 frames give 15 too: the last
    // one rounds to slot 15, where the stream ends.
    for (count, expected) in [(29, 15), (30, 15), (31, 16)] {
      let out = Self.resample(Self.frames(count, fps: 30), to: 15)
      #expect(Self.picked(out) == (0..<expected).map { $0 * 2 })
      #expect(out.map(\.time) == (0..<expected).map { Double($0) / 15 })
    }
  }

  @Test func ntscRateGivesEveryOtherFrameAtTheStart() {
    // jumprope-alt04: 153 frames at 29.97 fps; ffmpeg's fps=15 gives 77, every other one.
    let out = Self.resample(Self.frames(153, fps: 30000.0 / 1001), to: 15)
    #expect(out.count == 77)
    #expect(Self.picked(out) == (0..<77).map { $0 * 2 })
  }

  @Test func keepsTheLatestFrameOfEachSlot() {
    // 25 → 15 fps: frame i falls in slot round(0.6 i) = 0, 1, 1, 2, 2, 3, 4, 4, 5, 5, 6, ...;
    // each slot keeps its last frame.
    let out = Self.resample(Self.frames(10, fps: 25), to: 15)
    #expect(Self.picked(out) == [0, 2, 4, 5, 7, 9])
    #expect(out.map(\.time) == (0..<6).map { Double($0) / 15 })
  }

  @Test func repeatsAFrameAcrossAGap() {
    // A missing second (frames 30-59 of a 30 fps stream) is filled with the frame before it.
    let frames = Self.frames(90, fps: 30).filter {
      Int($0.landmarks[0].x) < 30 || Int($0.landmarks[0].x) >= 60
    }
    let out = Self.resample(frames, to: 15)
    #expect(out.count == 45)
    let picked = Self.picked(out)
    #expect(picked[14] == 28)
    #expect(picked[15...29].allSatisfy { $0 == 29 })
    #expect(picked[30] == 60)
    #expect(out.map(\.time) == (0..<45).map { Double($0) / 15 })
  }

  @Test func keepsEveryFrameAtItsOwnRate() {
    let frames = Self.frames(40, fps: 15)
    #expect(Self.resample(frames, to: 15) == frames)
  }

  @Test func ignoresFramesWithoutAFiniteTime() {
    var resampler = FrameResampler(rate: 15)
    #expect(resampler.push(PoseFrame(time: .infinity, landmarks: [])).isEmpty)
    #expect(resampler.push(PoseFrame(time: 1e300, landmarks: [])).isEmpty)
    #expect(resampler.finish().isEmpty)
  }
}
