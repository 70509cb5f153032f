import Testing

@testable import PoseEstimation

/// The crop's four-pixels-at-a-time sampler of every kernel set this CPU runs against its
/// one-pixel-at-a-time oracle: the same floats, bit for bit, for crops inside, across and far
/// outside the image, rotated or not, with either border, for tensor sizes that are and are
/// not multiples of four, alone and shared among a team's threads.
@Suite struct ImageCropVectorisedTests {
  static func image(width: Int, height: Int, using generator: inout SplitMix64) throws -> RGBImage {
    let pixels = (0..<width * height * 3).map { _ in UInt8.random(in: 0...255, using: &generator) }
    return try #require(RGBImage(width: width, height: height, pixels: pixels))
  }

  @Test(arguments: [(1, 1), (2, 1), (1, 3), (7, 5), (480, 270), (320, 240), (640, 360)])
  func vectorisedCropEqualsPixelByPixel(width: Int, height: Int) throws {
    var generator = SplitMix64(state: UInt64(width * 1000 + height))
    let image = try Self.image(width: width, height: height, using: &generator)
    let (w, h) = (Double(width), Double(height))
    for trial in 0..<60 {
      let crop = ImageCrop(
        centerX: Double.random(in: -0.5 * w...1.5 * w, using: &generator),
        centerY: Double.random(in: -0.5 * h...1.5 * h, using: &generator),
        width: Double.random(in: 0.5...2 * max(w, h), using: &generator),
        height: Double.random(in: 0.5...2 * max(w, h), using: &generator),
        rotation: trial % 3 == 0 ? 0 : Double.random(in: -4...4, using: &generator))
      let size = [256, 224, 5, 3, 1, 10][trial % 6]
      let border: ImageCrop.Border = trial % 2 == 0 ? .replicate : .zero
      let (low, high): (Float, Float) = trial % 4 < 2 ? (0, 1) : (-1, 1)
      let expected = crop.tensor(
        from: image, size: size, border: border, low: low, high: high, kernels: nil)
      for set in PoseInstructionSet.supported {
        let actual = crop.tensor(
          from: image, size: size, border: border, low: low, high: high, kernels: set.kernels)
        #expect(
          identicalBits(actual, expected), "\(set) \(width)x\(height) \(crop) \(size)")
      }
    }
  }

  /// Rows shared among threads: a row's last pixel must not spill into the next row, which
  /// another thread may be writing.
  @Test func sharedRowsEqualOneThread() throws {
    var generator = SplitMix64(state: 7)
    let image = try Self.image(width: 640, height: 360, using: &generator)
    let team = ComputeThreads(count: 2)
    let size = 256
    for trial in 0..<40 {
      let crop = ImageCrop(
        centerX: Double.random(in: 0...640, using: &generator),
        centerY: Double.random(in: 0...360, using: &generator),
        width: Double.random(in: 100...700, using: &generator),
        height: Double.random(in: 100...700, using: &generator),
        rotation: Double.random(in: -1...1, using: &generator))
      let expected = crop.tensor(
        from: image, size: size, border: .replicate, low: 0, high: 1, kernels: nil)
      for set in PoseInstructionSet.supported {
        let actual = [Float](unsafeUninitializedCapacity: size * size * 3) { buffer, count in
          guard let base = buffer.baseAddress else { return }
          crop.sample(
            from: image, into: base, size: size, border: .replicate, low: 0, high: 1,
            kernels: set.kernels, threads: team)
          count = size * size * 3
        }
        #expect(identicalBits(actual, expected), "\(set) trial \(trial): \(crop)")
      }
    }
  }
}
