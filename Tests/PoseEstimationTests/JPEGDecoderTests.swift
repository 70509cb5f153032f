import Foundation
import Testing

@testable import PoseEstimation

@Suite("JPEG decoding")
struct JPEGDecoderTests {
  /// Pixels at least `margin` pixels away from a block edge are within ±2 levels.
  static func expectBlocks(
    _ image: RGBImage, scale: Int, margin: Int = 2, seed: Int = 0, width: Int = 64
  ) {
    var worst = 0
    var checked = 0
    for y in 0..<image.height {
      for x in 0..<image.width {
        let (fx, fy) = (x * scale, y * scale)
        let inBlockX = fx % 16
        let inBlockY = fy % 16
        let edge = margin * scale
        guard inBlockX >= edge, inBlockX < 16 - edge, inBlockY >= edge, inBlockY < 16 - edge else {
          continue
        }
        let expected = TestImages.color(x: fx, y: fy, width: width, seed: seed)
        let actual = image.pixel(x: x, y: y)
        worst = max(
          worst, abs(Int(actual.red) - Int(expected.0)), abs(Int(actual.green) - Int(expected.1)),
          abs(Int(actual.blue) - Int(expected.2)))
        checked += 1
      }
    }
    #expect(checked > 0)
    #expect(worst <= 2, "worst difference \(worst) levels")
  }

  @Test("a generated JPEG decodes to its pixels within 2 levels")
  func decodesKnownPixels() throws {
    let image = try JPEGDecoder().decode(try TestImages.jpeg())
    #expect(image.width == 64 && image.height == 48)
    #expect(image.pixels.count == 64 * 48 * 3)
    Self.expectBlocks(image, scale: 1)
  }

  @Test(
    "decode-time scaling halves and quarters the size",
    arguments: [JPEGDecoder.Scale.half, .quarter])
  func scalesWhileDecoding(scale: JPEGDecoder.Scale) throws {
    let image = try JPEGDecoder(scale: scale).decode(try TestImages.jpeg())
    #expect(image.width == 64 / scale.rawValue && image.height == 48 / scale.rawValue)
    Self.expectBlocks(image, scale: scale.rawValue, margin: 1)
  }

  @Test("a JPEG file decodes like the same bytes in memory")
  func decodesFiles() throws {
    let bytes = try TestImages.jpeg(seed: 3)
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "buddy-jpeg-\(UUID()).jpg"
    ).path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let fromFile = try JPEGDecoder().decode(contentsOfFile: path)
    #expect(fromFile == (try JPEGDecoder().decode(bytes)))
    Self.expectBlocks(fromFile, scale: 1, seed: 3)
    #expect(throws: JPEGError.self) { try JPEGDecoder().decode(contentsOfFile: path + ".missing") }
  }

  @Test("empty, non-JPEG and corrupt inputs are errors")
  func rejectsBadInput() throws {
    let decoder = JPEGDecoder()
    #expect(throws: JPEGError.self) { try decoder.decode([]) }
    #expect(throws: JPEGError.self) { try decoder.decode(Array("not a jpeg at all".utf8)) }
    #expect(throws: JPEGError.self) {
      try decoder.decode([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }
    #expect(throws: JPEGError.self) { try decoder.decode([0xFF, 0xD8]) }
    var corrupt = try TestImages.jpeg()
    for i in 2..<40 { corrupt[i] = 0x5A }  // destroy the marker structure after SOI
    #expect(throws: JPEGError.self) { try decoder.decode(corrupt) }
  }

  @Test("truncated data is an error in strict mode and a warning otherwise")
  func truncatedData() throws {
    let bytes = try TestImages.jpeg(width: 128, height: 128)
    let truncated = Array(bytes[0..<(bytes.count * 2 / 3)])
    let error = #expect(throws: JPEGError.self) { try JPEGDecoder(strict: true).decode(truncated) }
    #expect(error?.message.contains("Premature end") == true, "\(String(describing: error))")
    let lenient = try JPEGDecoder(strict: false).decode(truncated)
    #expect(lenient.width == 128 && lenient.height == 128)
  }

  @Test("a bit-flip fuzz loop never crashes the decoder")
  func fuzzDoesNotCrash() throws {
    let bytes = try TestImages.jpeg(width: 48, height: 32)
    var random = SplitMix64(state: 42)
    var errors = 0
    for _ in 0..<300 {
      var mutated = bytes
      for _ in 0..<Int.random(in: 1...8, using: &random) {
        let index = Int.random(in: 0..<mutated.count, using: &random)
        mutated[index] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &random)
      }
      if Bool.random(using: &random) {
        mutated.removeLast(Int.random(in: 0..<mutated.count, using: &random))
      }
      do {
        let image = try JPEGDecoder().decode(mutated)
        #expect(image.pixels.count == image.width * image.height * 3)
      } catch {
        errors += 1
      }
    }
    #expect(errors > 0)
  }

  @Test("EXIF orientation is honoured, or ignored on request")
  func exifOrientation() throws {
    // Left half red (x < 16), right half blue: 32×16.
    var pixels: [UInt8] = []
    for _ in 0..<16 {
      for x in 0..<32 { pixels += x < 16 ? [220, 20, 20] : [20, 20, 220] }
    }
    let image = try #require(RGBImage(width: 32, height: 16, pixels: pixels))
    let jpeg = TestImages.withEXIFOrientation(
      try JPEGDecoder.encode(image, quality: 100), orientation: 6)

    let stored = try JPEGDecoder(honourEXIFOrientation: false).decode(jpeg)
    #expect(stored.width == 32 && stored.height == 16)

    // Orientation 6: rotate 90° clockwise to display; the left half ends up on top.
    let upright = try JPEGDecoder().decode(jpeg)
    #expect(upright.width == 16 && upright.height == 32)
    #expect(upright.pixel(x: 8, y: 4).red > 180 && upright.pixel(x: 8, y: 4).blue < 60)
    #expect(upright.pixel(x: 8, y: 28).blue > 180 && upright.pixel(x: 8, y: 28).red < 60)
  }

  @Test("all eight EXIF orientations map pixels like the TIFF specification")
  func orientationTransforms() throws {
    // 3×2 image with distinct pixels a..f: rows "abc" / "def".
    let values: [UInt8] = [1, 2, 3, 4, 5, 6]
    let image = try #require(
      RGBImage(width: 3, height: 2, pixels: values.flatMap { [$0, $0, $0] }))
    let expected: [Int: (width: Int, rows: [UInt8])] = [
      1: (3, [1, 2, 3, 4, 5, 6]), 2: (3, [3, 2, 1, 6, 5, 4]), 3: (3, [6, 5, 4, 3, 2, 1]),
      4: (3, [4, 5, 6, 1, 2, 3]), 5: (2, [1, 4, 2, 5, 3, 6]), 6: (2, [4, 1, 5, 2, 6, 3]),
      7: (2, [6, 3, 5, 2, 4, 1]), 8: (2, [3, 6, 2, 5, 1, 4]),
    ]
    for (orientation, want) in expected {
      let out = image.applyingEXIFOrientation(orientation)
      #expect(out.width == want.width, "orientation \(orientation)")
      #expect(
        stride(from: 0, to: out.pixels.count, by: 3).map { out.pixels[$0] } == want.rows,
        "orientation \(orientation)")
    }
  }
}
