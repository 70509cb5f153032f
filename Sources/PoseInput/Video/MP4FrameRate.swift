internal import Glibc

/// The average frame rate of an MP4/QuickTime file's first video track, read from its header
/// the way ffmpeg's demuxer derives it (time scale × samples / total sample duration, from
/// `mdhd` and `stts`), without starting a program: ``VideoStart`` starts ffmpeg at the rate
/// this predicts before ffprobe has said, so a video slower than the default rate (29.97 fps
/// under `--exercise auto`'s 30) gets the right ffmpeg at once too. Only a prediction: ffprobe
/// still decides, and nil (any other container, a header it cannot follow, values out of
/// range) just means "predict the default".
enum MP4FrameRate {
  /// The largest `moov` box read (a long phone video's is a few MiB).
  static let maximumHeaderBytes = 32 << 20

  /// The predicted average frame rate of the video at `path`, or nil.
  static func average(_ path: String) -> Double? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    guard let moov = topLevelBox("moov", in: descriptor) else { return nil }
    return average(moov: moov)
  }

  /// The prediction from the body of a `moov` box.
  static func average(moov: [UInt8]) -> Double? {
    for trak in children(of: moov[...]) where trak.type == "trak" {
      guard let mdia = children(of: trak.body).first(where: { $0.type == "mdia" }) else {
        continue
      }
      let parts = children(of: mdia.body)
      guard let hdlr = parts.first(where: { $0.type == "hdlr" }), hdlr.body.count >= 12,
        String(decoding: hdlr.body.dropFirst(8).prefix(4), as: UTF8.self) == "vide"
      else { continue }
      // The first video track is ffprobe's `v:0`: its rate or nothing.
      guard let mdhd = parts.first(where: { $0.type == "mdhd" }),
        let timeScale = timeScale(mdhd: mdhd.body),
        let minf = parts.first(where: { $0.type == "minf" }),
        let stbl = children(of: minf.body).first(where: { $0.type == "stbl" }),
        let stts = children(of: stbl.body).first(where: { $0.type == "stts" })
      else { return nil }
      return rate(timeScale: timeScale, stts: stts.body)
    }
    return nil
  }

  /// `mdhd`'s time scale (units per second), when positive.
  private static func timeScale(mdhd: ArraySlice<UInt8>) -> Int64? {
    guard let version = mdhd.first else { return nil }
    let offset = version == 1 ? 20 : 12
    guard let scale = uint32(mdhd, at: offset), scale > 0 else { return nil }
    return Int64(scale)
  }

  /// time scale × samples / duration over `stts`'s entries, reduced as ffmpeg reduces it
  /// (`av_reduce` to at most `INT_MAX`: nil when the exact fraction does not fit).
  private static func rate(timeScale: Int64, stts: ArraySlice<UInt8>) -> Double? {
    guard let entries = uint32(stts, at: 4), entries > 0,
      Int(entries) <= (stts.count - 8) / 8
    else { return nil }
    var samples: Int64 = 0
    var duration: Int64 = 0
    for entry in 0..<Int(entries) {
      guard let count = uint32(stts, at: 8 + entry * 8),
        let delta = uint32(stts, at: 12 + entry * 8)
      else { return nil }
      samples += Int64(count)  // at most 2^32 entries of 2^32: no overflow below 2^63
      let (product, overflow) = Int64(count).multipliedReportingOverflow(by: Int64(delta))
      guard !overflow, duration <= Int64.max - product else { return nil }
      duration += product
    }
    guard samples > 0, samples <= Int64(Int32.max), duration > 0 else { return nil }
    let (numerator, overflow) = timeScale.multipliedReportingOverflow(by: samples)
    guard !overflow else { return nil }
    let divisor = gcd(numerator, duration)
    let (top, bottom) = (numerator / divisor, duration / divisor)
    guard top <= Int64(Int32.max), bottom <= Int64(Int32.max) else { return nil }
    return Double(top) / Double(bottom)
  }

  private static func gcd(_ a: Int64, _ b: Int64) -> Int64 {
    var (a, b) = (a, b)
    while b != 0 { (a, b) = (b, a % b) }
    return a
  }

  /// The big-endian `UInt32` at `offset` from the start of `bytes`, if all four bytes are there.
  private static func uint32(_ bytes: ArraySlice<UInt8>, at offset: Int) -> UInt32? {
    guard offset >= 0, offset <= bytes.count - 4 else { return nil }
    let start = bytes.startIndex + offset
    return bytes[start..<start + 4].reduce(0) { $0 << 8 | UInt32($1) }
  }

  /// The boxes directly inside `bytes` (stopping at the first that does not fit).
  private static func children(of bytes: ArraySlice<UInt8>)
    -> [(type: String, body: ArraySlice<UInt8>)]
  {
    var boxes: [(type: String, body: ArraySlice<UInt8>)] = []
    var offset = bytes.startIndex
    while bytes.endIndex - offset >= 8 {
      guard let size32 = uint32(bytes[offset...], at: 0) else { break }
      let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
      var header = 8
      var size = Int(size32)
      if size32 == 1 {
        guard bytes.endIndex - offset >= 16, let high = uint32(bytes[offset...], at: 8),
          let low = uint32(bytes[offset...], at: 12), high == 0
        else { break }
        header = 16
        size = Int(low)
      } else if size32 == 0 {
        size = bytes.endIndex - offset
      }
      guard size >= header, size <= bytes.endIndex - offset else { break }
      boxes.append((type, bytes[offset + header..<offset + size]))
      offset += size
    }
    return boxes
  }

  /// The body of the first top-level box of `type` in the file (at most
  /// ``maximumHeaderBytes``), skipping the others (the media data) by their sizes.
  private static func topLevelBox(_ type: String, in descriptor: Int32) -> [UInt8]? {
    var stats = stat()
    guard fstat(descriptor, &stats) == 0 else { return nil }
    let fileSize = Int64(stats.st_size)
    var offset: Int64 = 0
    for _ in 0..<64 {
      guard let head = read(descriptor, at: offset, count: 16), head.count >= 8,
        let size32 = uint32(head[...], at: 0)
      else { return nil }
      var header: Int64 = 8
      var size = Int64(size32)
      if size32 == 1 {
        guard head.count == 16, let high = uint32(head[...], at: 8),
          let low = uint32(head[...], at: 12), high < 1 << 31
        else { return nil }
        header = 16
        size = Int64(high) << 32 | Int64(low)
      } else if size32 == 0 {
        size = fileSize - offset
      }
      guard size >= header, size <= fileSize - offset else { return nil }
      if String(decoding: head[4..<8], as: UTF8.self) == type {
        guard size - header <= Int64(maximumHeaderBytes) else { return nil }
        return read(descriptor, at: offset + header, count: Int(size - header))
      }
      offset += size
    }
    return nil
  }

  /// Up to `count` bytes at `offset` (fewer at the end of the file); nil on a read error.
  private static func read(_ descriptor: Int32, at offset: Int64, count: Int) -> [UInt8]? {
    var bytes = [UInt8](repeating: 0, count: count)
    var filled = 0
    while filled < count {
      let got = bytes[filled...].withUnsafeMutableBytes { buffer in
        pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset) + off_t(filled))
      }
      if got < 0 && errno == EINTR { continue }
      guard got >= 0 else { return nil }
      if got == 0 { break }
      filled += got
    }
    return Array(bytes.prefix(filled))
  }
}
