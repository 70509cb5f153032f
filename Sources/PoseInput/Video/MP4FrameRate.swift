internal import Glibc

/// The average frame rate of an MP4/QuickTime file's first video track, read from its header
/// the way ffmpeg's demuxer derives it (time scale × samples / total sample duration, from
/// `mdhd` and `stts`), without starting a program: ``VideoStart`` starts ffmpeg at the rate
/// this predicts. Where ``MP4Header`` does not understand the whole header (and ffprobe is
/// asked), this is only a prediction: ffprobe still decides, and nil (any other container, a
/// header it cannot follow, values out of range) just means "predict the default".
enum MP4FrameRate {
  /// The predicted average frame rate of the video at `path`, or nil.
  static func average(_ path: String) -> Double? {
    MP4Boxes.moov(atPath: path).flatMap { average(moov: $0.body) }
  }

  /// The prediction from the body of a `moov` box.
  static func average(moov: [UInt8]) -> Double? {
    for trak in MP4Boxes.children("trak", of: moov[...]) {
      guard let mdia = MP4Boxes.children("mdia", of: trak).first else { continue }
      let parts = MP4Boxes.children(of: mdia).boxes
      guard let hdlr = parts.first(where: { $0.type == "hdlr" }),
        MP4Boxes.fourCC(hdlr.body, at: 8) == "vide"
      else { continue }
      // The first video track is ffprobe's `v:0`: its rate or nothing.
      guard let mdhd = parts.first(where: { $0.type == "mdhd" }),
        let timeScale = timeScale(mdhd: mdhd.body),
        let minf = parts.first(where: { $0.type == "minf" }),
        let stbl = MP4Boxes.children("stbl", of: minf.body).first,
        let stts = MP4Boxes.children("stts", of: stbl).first
      else { return nil }
      return rate(timeScale: timeScale, stts: stts)
    }
    return nil
  }

  /// `mdhd`'s time scale (units per second), when positive.
  static func timeScale(mdhd: ArraySlice<UInt8>) -> Int64? {
    guard let version = mdhd.first else { return nil }
    let offset = version == 1 ? 20 : 12
    guard let scale = MP4Boxes.uint32(mdhd, at: offset), scale > 0 else { return nil }
    return Int64(scale)
  }

  /// time scale × samples / duration over `stts`'s entries, reduced as ffmpeg reduces it
  /// (`av_reduce` to at most `INT_MAX`: nil when the exact fraction does not fit).
  static func rate(timeScale: Int64, stts: ArraySlice<UInt8>) -> Double? {
    guard let (samples, duration) = totals(stts: stts) else { return nil }
    guard samples > 0, samples <= Int64(Int32.max), duration > 0 else { return nil }
    let (numerator, overflow) = timeScale.multipliedReportingOverflow(by: samples)
    guard !overflow else { return nil }
    let divisor = gcd(numerator, duration)
    let (top, bottom) = (numerator / divisor, duration / divisor)
    guard top <= Int64(Int32.max), bottom <= Int64(Int32.max) else { return nil }
    return Double(top) / Double(bottom)
  }

  /// The samples and the total duration (in time scale units) `stts` lists, when its entry
  /// count fits its size and the sums fit 63 bits.
  static func totals(stts: ArraySlice<UInt8>) -> (samples: Int64, duration: Int64)? {
    guard let entries = MP4Boxes.uint32(stts, at: 4), entries > 0,
      Int(entries) <= (stts.count - 8) / 8
    else { return nil }
    var samples: Int64 = 0
    var duration: Int64 = 0
    for entry in 0..<Int(entries) {
      guard let count = MP4Boxes.uint32(stts, at: 8 + entry * 8),
        let delta = MP4Boxes.uint32(stts, at: 12 + entry * 8)
      else { return nil }
      samples += Int64(count)  // at most 2^32 entries of 2^32: no overflow below 2^63
      let (product, overflow) = Int64(count).multipliedReportingOverflow(by: Int64(delta))
      guard !overflow, duration <= Int64.max - product else { return nil }
      duration += product
    }
    return (samples, duration)
  }

  private static func gcd(_ a: Int64, _ b: Int64) -> Int64 {
    var (a, b) = (a, b)
    while b != 0 { (a, b) = (b, a % b) }
    return a
  }
}
