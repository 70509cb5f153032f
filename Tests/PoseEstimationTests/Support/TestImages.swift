@testable import PoseEstimation

/// Synthetic test images: flat 16×16 blocks (aligned to JPEG's MCUs, so decoding is
/// near-exact away from block edges).
enum TestImages {
  static let palette: [(UInt8, UInt8, UInt8)] = [
    (200, 30, 40), (20, 180, 60), (30, 60, 210), (240, 240, 240), (10, 10, 10), (128, 128, 128),
  ]

  /// The colour of the block containing pixel (x, y).
  static func color(x: Int, y: Int, width: Int, seed: Int = 0) -> (UInt8, UInt8, UInt8) {
    let blocksPerRow = (width + 15) / 16
    return palette[(seed + (y / 16) * blocksPerRow + x / 16) % palette.count]
  }

  static func blocks(width: Int, height: Int, seed: Int = 0) -> RGBImage {
    var pixels: [UInt8] = []
    pixels.reserveCapacity(width * height * 3)
    for y in 0..<height {
      for x in 0..<width {
        let (r, g, b) = color(x: x, y: y, width: width, seed: seed)
        pixels += [r, g, b]
      }
    }
    return RGBImage(uncheckedWidth: width, height: height, pixels: pixels)
  }

  /// A JPEG of `blocks(width:height:seed:)`.
  static func jpeg(width: Int = 64, height: Int = 48, seed: Int = 0, quality: Int = 100) throws
    -> [UInt8]
  {
    try JPEGDecoder.encode(blocks(width: width, height: height, seed: seed), quality: quality)
  }

  /// `jpeg` with an APP1 Exif segment (orientation tag) inserted after SOI; the segment
  /// also carries the bytes FF D8 … FF D9 (like an embedded thumbnail).
  static func withEXIFOrientation(_ jpeg: [UInt8], orientation: UInt16) -> [UInt8] {
    var tiff: [UInt8] = Array("II".utf8) + [42, 0, 8, 0, 0, 0]  // little-endian, IFD0 at 8
    tiff += [1, 0]  // one entry
    tiff +=
      [0x12, 0x01, 3, 0, 1, 0, 0, 0] + [UInt8(orientation & 0xFF), UInt8(orientation >> 8), 0, 0]
    tiff += [0, 0, 0, 0]  // no next IFD
    tiff += [0xFF, 0xD8, 0xFF, 0xD9]  // thumbnail-like bytes inside the segment
    let payload = Array("Exif".utf8) + [0, 0] + tiff
    let length = payload.count + 2
    let segment: [UInt8] = [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
    return Array(jpeg[0..<2]) + segment + Array(jpeg[2...])
  }
}

/// A small deterministic generator (SplitMix64) for fuzz loops.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
