// libFuzzer target: the MJPEG splitter (what `buddy count VIDEO` reads from ffmpeg).
//
// Byte 0 chooses the chunk size (1...64) and the frame limit; the splitter skips it as
// garbage before the first start-of-image marker, so JPEG and MJPEG seeds work as they are.
// Checks: the frames and the error do not depend on how the stream is chunked, and every
// frame starts with SOI, ends with EOI and respects the limit.
import PoseEstimation

private let limits = [64 << 20, 4096, 256, 4]

private func split(_ bytes: [UInt8], chunk: Int, limit: Int) -> ([[UInt8]], MJPEGError?) {
  var splitter = MJPEGSplitter(maxFrameBytes: limit)
  var frames: [[UInt8]] = []
  var start = 0
  do {
    while start < bytes.count {
      let end = min(start + chunk, bytes.count)
      frames += try splitter.append(bytes[start..<end])
      start = end
    }
    try splitter.finish()
    return (frames, nil)
  } catch {
    return (frames, error)
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard size > 0 else { return 0 }
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let chunk = Int(bytes[0] & 0x3F) + 1
  let limit = limits[Int(bytes[0] >> 6)]
  let (whole, wholeError) = split(bytes, chunk: bytes.count, limit: limit)
  let (chunked, chunkedError) = split(bytes, chunk: chunk, limit: limit)
  if wholeError != chunkedError {
    fatalError(
      "chunking changed the error: \(String(describing: wholeError))"
        + " vs \(String(describing: chunkedError))")
  }
  // `append` throws away the frames of a chunk that ends in an error, so frames are only
  // compared for streams that split cleanly.
  if wholeError == nil && whole != chunked {
    fatalError("chunking changed the frames: \(whole.count) vs \(chunked.count)")
  }
  let effectiveLimit = max(limit, 4)
  for frame in chunked {
    guard frame.count >= 4, frame.count <= effectiveLimit, frame[0] == 0xFF, frame[1] == 0xD8,
      frame[frame.count - 2] == 0xFF, frame[frame.count - 1] == 0xD9
    else { fatalError("bad frame of \(frame.count) bytes") }
  }
  return 0
}
