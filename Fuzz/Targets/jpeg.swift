// libFuzzer target: the JPEG edge (JPEGDecoder over the CJPEG C target and libjpeg).
//
// Each input is decoded strictly at full size and leniently at a scale chosen by its length,
// honouring EXIF orientation, as `buddy count` and `buddy pose` do. Images whose frame header
// declares more than 2 Mpx are skipped: the decoder accepts up to 1 GiB of pixels by design,
// and decoding that much only measures memory.
import PoseEstimation

private let maximumPixels = 1 << 21

/// The largest width × height declared by a start-of-frame marker before the first scan
/// (0 when none is found).
private func declaredPixels(_ bytes: [UInt8]) -> Int {
  guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return 0 }
  var index = 2
  var largest = 0
  while index + 1 < bytes.count {
    guard bytes[index] == 0xFF else { return largest }
    let code = bytes[index + 1]
    index += 2
    if code == 0xFF {
      index -= 1  // fill byte
      continue
    }
    if code == 0x01 || (0xD0...0xD7).contains(code) { continue }
    if code == 0xDA || code == 0xD9 || index + 1 >= bytes.count { return largest }
    let length = Int(bytes[index]) << 8 | Int(bytes[index + 1])
    let isFrame = (0xC0...0xCF).contains(code) && code != 0xC4 && code != 0xC8 && code != 0xCC
    if isFrame && index + 6 < bytes.count {
      let height = Int(bytes[index + 3]) << 8 | Int(bytes[index + 4])
      let width = Int(bytes[index + 5]) << 8 | Int(bytes[index + 6])
      largest = max(largest, height * width)
    }
    index += max(length, 2)
  }
  return largest
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  guard declaredPixels(bytes) <= maximumPixels else { return 0 }
  let scales = JPEGDecoder.Scale.allCases
  for decoder in [
    JPEGDecoder(),
    JPEGDecoder(scale: scales[size % scales.count], strict: false),
  ] {
    do {
      let image = try decoder.decode(bytes)
      guard image.width > 0, image.height > 0, image.pixels.count == image.width * image.height * 3
      else { fatalError("inconsistent image \(image.width)×\(image.height)") }
      _ = image.pixel(x: image.width - 1, y: image.height - 1)
    } catch {
      _ = error.description
    }
  }
  return 0
}
