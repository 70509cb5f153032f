internal import CJPEG

/// Decodes JPEG files and buffers to RGB8 through libjpeg.
///
/// EXIF orientation is **read and honoured** by default: an image whose EXIF
/// orientation tag is 2...8 is flipped/rotated so that the returned pixels are upright
/// (`honourEXIFOrientation: false` returns the stored pixel order). Frames written by
/// `ffmpeg` carry no EXIF data and are returned as stored.
///
/// An image of more than `maxPixels` pixels is refused from its header, before libjpeg
/// allocates its buffers.
public struct JPEGDecoder: Sendable {
  /// The most pixels (width × height as stored, whatever `scale`) an image may have: 50
  /// megapixels, so one decode costs at most about 450 MB even for a progressive JPEG.
  public static let maxPixels = Int(BUDDY_JPEG_MAX_PIXELS)

  /// Decode-time downscaling (libjpeg scales in the IDCT, which is faster than decoding
  /// at full size and resizing).
  public enum Scale: Int, Sendable, CaseIterable {
    case full = 1
    case half = 2
    case quarter = 4
  }

  /// Output size relative to the stored image.
  public var scale: Scale
  /// When true, libjpeg warnings (truncated or corrupt data that libjpeg would patch
  /// over with grey) are errors.
  public var strict: Bool
  /// When true, EXIF orientation is applied to the decoded pixels.
  public var honourEXIFOrientation: Bool

  /// Creates a decoder.
  public init(scale: Scale = .full, strict: Bool = true, honourEXIFOrientation: Bool = true) {
    self.scale = scale
    self.strict = strict
    self.honourEXIFOrientation = honourEXIFOrientation
  }

  /// Decodes a complete JPEG held in memory: straight into the image's pixel array when the
  /// header gives the size (no second buffer, no copy), else as `decode(contentsOfFile:)`
  /// does (the same pixels and the same errors either way).
  public func decode(_ bytes: [UInt8]) throws(JPEGError) -> RGBImage {
    if let image = try decodeInPlace(bytes) { return image }
    var result = buddy_jpeg_image()
    let status = bytes.withUnsafeBufferPointer { buffer in
      buddy_jpeg_decode_buffer(
        buffer.baseAddress, buffer.count, Int32(scale.rawValue), strict ? 1 : 0, &result)
    }
    return try finish(status: status, result: &result)
  }

  /// Decodes the JPEG file at `path`.
  public func decode(contentsOfFile path: String) throws(JPEGError) -> RGBImage {
    var result = buddy_jpeg_image()
    let status = buddy_jpeg_decode_file(path, Int32(scale.rawValue), strict ? 1 : 0, &result)
    do {
      return try finish(status: status, result: &result)
    } catch {
      throw JPEGError("\(path): \(error.message)")
    }
  }

  /// `decode(_:)` into an array of the size the header announces; nil when the header does
  /// not give one (the caller's decode then reports why).
  private func decodeInPlace(_ bytes: [UInt8]) throws(JPEGError) -> RGBImage? {
    var width: Int32 = 0
    var height: Int32 = 0
    let sized = bytes.withUnsafeBufferPointer { buffer in
      buddy_jpeg_output_size(
        buffer.baseAddress, buffer.count, Int32(scale.rawValue), &width, &height)
    }
    // At most BUDDY_JPEG_MAX_PIXELS pixels: the byte count cannot overflow.
    guard sized == 0, width > 0, height > 0 else { return nil }
    let count = Int(width) * Int(height) * 3
    var result = buddy_jpeg_image()
    var status: Int32 = -1
    let pixels = [UInt8](unsafeUninitializedCapacity: count) { output, initialized in
      status = bytes.withUnsafeBufferPointer { buffer in
        buddy_jpeg_decode_buffer_into(
          buffer.baseAddress, buffer.count, Int32(scale.rawValue), strict ? 1 : 0,
          output.baseAddress, count, &result)
      }
      initialized = status == 0 ? count : 0
    }
    guard status == 0, result.width == width, result.height == height else {
      let message = Self.message(of: &result)
      throw JPEGError(message.isEmpty ? "decoding failed" : message)
    }
    guard let image = RGBImage(width: Int(width), height: Int(height), pixels: pixels) else {
      throw JPEGError("libjpeg returned an empty image")
    }
    guard honourEXIFOrientation, result.exif_orientation > 1 else { return image }
    return image.applyingEXIFOrientation(Int(result.exif_orientation))
  }

  private func finish(status: Int32, result: inout buddy_jpeg_image) throws(JPEGError) -> RGBImage {
    defer { buddy_jpeg_free(result.pixels) }
    let message = Self.message(of: &result)
    guard status == 0, let pixels = result.pixels else {
      throw JPEGError(message.isEmpty ? "decoding failed" : message)
    }
    let width = Int(result.width)
    let height = Int(result.height)
    let bytes = Array(UnsafeBufferPointer(start: pixels, count: width * height * 3))
    guard let image = RGBImage(width: width, height: height, pixels: bytes) else {
      throw JPEGError("libjpeg returned an empty image")
    }
    guard honourEXIFOrientation, result.exif_orientation > 1 else { return image }
    return image.applyingEXIFOrientation(Int(result.exif_orientation))
  }

  private static func message(of result: inout buddy_jpeg_image) -> String {
    withUnsafeBytes(of: &result.message) { raw in
      let bytes = raw.prefix { $0 != 0 }
      return String(decoding: bytes, as: UTF8.self)
    }
  }

  /// Encodes RGB8 pixels as a baseline JPEG (quality 1...100): `--annotate` output frames, and
  /// test inputs.
  public static func encode(_ image: RGBImage, quality: Int = 95) throws(JPEGError) -> [UInt8] {
    var output: UnsafeMutablePointer<UInt8>?
    var size = 0
    var message = [CChar](repeating: 0, count: Int(BUDDY_JPEG_MESSAGE_CAPACITY))
    let status = image.pixels.withUnsafeBufferPointer { pixels in
      buddy_jpeg_encode_rgb(
        pixels.baseAddress, Int32(image.width), Int32(image.height),
        Int32(min(max(quality, 1), 100)), &output, &size, &message)
    }
    defer { buddy_jpeg_free(output) }
    guard status == 0, let output else {
      let text = String(
        decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      throw JPEGError(text.isEmpty ? "encoding failed" : text)
    }
    return Array(UnsafeBufferPointer(start: output, count: size))
  }
}
