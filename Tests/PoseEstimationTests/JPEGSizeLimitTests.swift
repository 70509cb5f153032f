import Foundation
import Testing

@testable import PoseEstimation

/// Huge images are refused from their header, before libjpeg allocates their buffers.
///
/// The inputs are a 16×16 JPEG whose start-of-frame header is patched to claim a large size:
/// tiny files that decode nothing, so a refusal that came too late would show as a different
/// error (the data ends early) after allocating the full-size buffers.
@Suite("JPEG size limit")
struct JPEGSizeLimitTests {
  /// A 16×16 baseline JPEG whose SOF header says `width`×`height`; `progressive` turns the
  /// SOF0 marker into SOF2 (its scan is then invalid, which libjpeg notices only after
  /// allocating the whole-image coefficient buffers a progressive JPEG needs).
  static func claiming(width: Int, height: Int, progressive: Bool = false) throws -> [UInt8] {
    var bytes = try TestImages.jpeg(width: 16, height: 16)
    var index = 2
    while index + 9 < bytes.count, bytes[index] == 0xFF {
      let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
      if bytes[index + 1] == 0xC0 {
        if progressive { bytes[index + 1] = 0xC2 }
        bytes[index + 5] = UInt8(height >> 8)
        bytes[index + 6] = UInt8(height & 0xFF)
        bytes[index + 7] = UInt8(width >> 8)
        bytes[index + 8] = UInt8(width & 0xFF)
        return bytes
      }
      index += 2 + length
    }
    throw JPEGError("no SOF0 segment in the encoder's output")
  }

  @Test(
    "an 18900×18900 header is refused before decoding, at every scale",
    arguments: [false, true], JPEGDecoder.Scale.allCases)
  func refusesHugeHeaders(progressive: Bool, scale: JPEGDecoder.Scale) throws {
    let bytes = try Self.claiming(width: 18900, height: 18900, progressive: progressive)
    let error = #expect(throws: JPEGError.self) {
      try JPEGDecoder(scale: scale).decode(bytes)
    }
    #expect(
      error?.message
        == "the image is 18900x18900 pixels (357.2 megapixels), more than the 50 megapixels a frame may have"
    )
  }

  @Test("a file with a huge header is refused and named")
  func refusesHugeFiles() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "buddy-huge-\(UUID()).jpg"
    ).path
    try Data(try Self.claiming(width: 18900, height: 18900, progressive: true))
      .write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let error = #expect(throws: JPEGError.self) {
      try JPEGDecoder().decode(contentsOfFile: path)
    }
    #expect(error?.message.hasPrefix("\(path): the image is 18900x18900 pixels") == true)
  }

  @Test("the limit is 50 megapixels: one pixel row more is refused, the limit itself is not")
  func limitIsInclusive() throws {
    #expect(JPEGDecoder.maxPixels == 50_000_000)
    let over = #expect(throws: JPEGError.self) {
      try JPEGDecoder().decode(try Self.claiming(width: 10000, height: 5001))
    }
    #expect(over?.message.contains("more than the 50 megapixels") == true)
    // At the limit the header passes; the 16×16 data then ends long before 10000×5000 pixels.
    let atLimit = #expect(throws: JPEGError.self) {
      try JPEGDecoder().decode(try Self.claiming(width: 10000, height: 5000))
    }
    #expect(atLimit?.message.contains("megapixels") == false)
  }
}
