internal import Glibc

/// Everything buddy asks ffprobe about an MP4/QuickTime video, read from the file's header
/// when the header is plain enough to be sure what ffmpeg will make of it: then ``VideoStart``
/// starts no ffprobe (a process that costs ~60 ms of CPU to load its libraries).
///
/// "Plain enough" is checked, never guessed: the file starts with `ftyp`; its `moov` box
/// (at most ``MP4Boxes/maximumBodyBytes``) holds exactly one video track and is not
/// fragmented (`mvex`: the rate would then also come from the fragments) and has no cover art
/// (`covr`, which ffmpeg shows as one more video stream); that track has one `tkhd` whose matrix
/// is a plain rotation (0, 90, 180 or 270 degrees, no scaling, flip or perspective), one
/// `mdhd` with a time scale, and a sample table with one sample description of a known codec
/// and a size, one `stts` whose deltas are all in 1...`Int32.max` (ffmpeg versions differ on
/// other deltas) and whose samples are `stsz`'s, and `stsc` and `stco`/`co64` tables that fit.
/// Anything else is nil, and the caller asks ffprobe as before.
struct MP4Header: Equatable {
  /// The sample entry's four-character code (`avc1`, `hvc1`, …).
  let codec: String
  /// The coded size from the sample entry, in pixels (before any rotation).
  let width: Int
  let height: Int
  /// How far the track header turns the picture clockwise for display: 0, 90, 180 or 270
  /// (ffmpeg autorotates by it; ffprobe prints the opposite, e.g. `rotation=-90`).
  let rotation: Int
  /// The average frame rate, as ffprobe's `avg_frame_rate` (``MP4FrameRate``).
  let averageFrameRate: Double
  /// The number of samples (frames), as ffprobe's `nb_frames`.
  let frameCount: Int
  /// The track's length in seconds: the samples' total duration over the time scale.
  let duration: Double

  /// The codecs whose sample entries are read here (ffmpeg decodes them all).
  static let knownCodecs: Set<String> = ["avc1", "avc3", "hvc1", "hev1", "mp4v", "av01", "vp09"]
  /// The largest width or height taken (larger is left to ffprobe).
  static let maximumSide = 16384

  /// The header of the video at `path`, or nil when it is not an MP4/QuickTime file this
  /// reader fully understands (see the type's description).
  static func read(_ path: String) -> MP4Header? {
    MP4Boxes.moov(atPath: path).flatMap(MP4Header.init(moovBox:))
  }

  /// The header from a file's `moov` box (``MP4Boxes/moov(atPath:)``), or nil; only a file
  /// that starts with `ftyp` is taken.
  init?(moovBox moov: (body: [UInt8], firstType: String)) {
    guard moov.firstType == "ftyp" else { return nil }
    self.init(moov: moov.body[...])
  }

  init(
    codec: String, width: Int, height: Int, rotation: Int, averageFrameRate: Double,
    frameCount: Int, duration: Double
  ) {
    self.codec = codec
    self.width = width
    self.height = height
    self.rotation = rotation
    self.averageFrameRate = averageFrameRate
    self.frameCount = frameCount
    self.duration = duration
  }

  /// The header from the body of a `moov` box, or nil.
  init?(moov: ArraySlice<UInt8>) {
    let (boxes, complete) = MP4Boxes.children(of: moov)
    guard complete, !boxes.contains(where: { $0.type == "mvex" }),
      !Self.contains(Array("covr".utf8), in: moov)
    else { return nil }
    let traks = boxes.filter { $0.type == "trak" }
    // Every track followed (a video track fully), exactly one of them video.
    let tracks = traks.compactMap { Track($0.body) }
    guard tracks.count == traks.count else { return nil }
    let videos = tracks.compactMap(\.video)
    guard videos.count == 1, let video = videos.first else { return nil }
    self = video
  }

  /// One `trak`: video (read whole), or another kind (only its handler read).
  private struct Track {
    let video: MP4Header?

    /// nil when the track cannot be followed at all (no `mdia` with a `hdlr`) or is a video
    /// track this reader does not fully understand.
    init?(_ trak: ArraySlice<UInt8>) {
      let (parts, complete) = MP4Boxes.children(of: trak)
      guard complete, let mdia = Self.only("mdia", in: parts) else { return nil }
      let (media, mediaComplete) = MP4Boxes.children(of: mdia)
      guard mediaComplete, let hdlr = Self.only("hdlr", in: media),
        let handler = MP4Boxes.fourCC(hdlr, at: 8)
      else { return nil }
      guard handler == "vide" else {
        video = nil
        return
      }
      guard let tkhd = Self.only("tkhd", in: parts), let rotation = Self.rotation(tkhd: tkhd),
        let mdhd = Self.only("mdhd", in: media),
        // ffmpeg reads the time scale as a signed 32-bit value.
        let timeScale = MP4FrameRate.timeScale(mdhd: mdhd), timeScale <= Int64(Int32.max),
        let minf = Self.only("minf", in: media),
        let stbl = Self.only("stbl", in: MP4Boxes.children(of: minf).boxes)
      else { return nil }
      let table = MP4Boxes.children(of: stbl).boxes
      guard let stsd = Self.only("stsd", in: table), let entry = Self.sampleEntry(stsd: stsd),
        let stts = Self.only("stts", in: table), Self.deltasArePlain(stts: stts),
        let (samples, duration) = MP4FrameRate.totals(stts: stts),
        let rate = MP4FrameRate.rate(timeScale: timeScale, stts: stts),
        let stsz = Self.only("stsz", in: table), Self.sampleCount(stsz: stsz) == samples,
        let stsc = Self.only("stsc", in: table), Self.fits(stsc, entryBytes: 12),
        let frames = Int(exactly: samples)
      else { return nil }
      let stco = Self.only("stco", in: table)
      let co64 = Self.only("co64", in: table)
      guard (stco == nil) != (co64 == nil),
        stco.map({ Self.fits($0, entryBytes: 4) }) ?? true,
        co64.map({ Self.fits($0, entryBytes: 8) }) ?? true
      else { return nil }
      video = MP4Header(
        codec: entry.codec, width: entry.width, height: entry.height, rotation: rotation,
        averageFrameRate: rate, frameCount: frames,
        duration: Double(duration) / Double(timeScale))
    }

    /// The body of the one box of `type` among `boxes` (nil when none or several).
    private static func only(_ type: String, in boxes: [MP4Boxes.Box]) -> ArraySlice<UInt8>? {
      let found = boxes.filter { $0.type == type }
      return found.count == 1 ? found.first?.body : nil
    }

    /// The clockwise rotation `tkhd`'s matrix applies, when it is a plain one.
    private static func rotation(tkhd: ArraySlice<UInt8>) -> Int? {
      guard let version = tkhd.first, version <= 1 else { return nil }
      // version, flags, creation, modification, track, reserved, duration; reserved, layer,
      // group, volume, reserved: the matrix follows (nine 32-bit values).
      let matrixOffset = version == 1 ? 52 : 40
      var matrix: [Int32] = []
      for index in 0..<9 {
        guard let value = MP4Boxes.uint32(tkhd, at: matrixOffset + index * 4) else { return nil }
        matrix.append(Int32(bitPattern: value))
      }
      let one: Int32 = 0x1_0000
      // u, v (2.30) zero and w (2.30) one: no perspective; x, y (a translation) do not turn.
      guard matrix[2] == 0, matrix[5] == 0, matrix[8] == 0x4000_0000 else { return nil }
      switch (matrix[0], matrix[1], matrix[3], matrix[4]) {
      case (one, 0, 0, one): return 0
      case (0, one, -one, 0): return 90
      case (-one, 0, 0, -one): return 180
      case (0, -one, one, 0): return 270
      default: return nil
      }
    }

    /// The codec and size of `stsd`'s one visual sample entry, when the codec is known and the
    /// size positive and at most ``MP4Header/maximumSide``.
    private static func sampleEntry(stsd: ArraySlice<UInt8>)
      -> (codec: String, width: Int, height: Int)?
    {
      guard MP4Boxes.uint32(stsd, at: 4) == 1 else { return nil }
      let entries = MP4Boxes.children(of: stsd.dropFirst(8))
      guard entries.complete, entries.boxes.count == 1, let entry = entries.boxes.first,
        MP4Header.knownCodecs.contains(entry.type),
        // reserved (6), data reference (2), predefined and reserved (16), width, height.
        let width = MP4Boxes.uint16(entry.body, at: 24),
        let height = MP4Boxes.uint16(entry.body, at: 26),
        (1...MP4Header.maximumSide).contains(Int(width)),
        (1...MP4Header.maximumSide).contains(Int(height))
      else { return nil }
      return (entry.type, Int(width), Int(height))
    }

    /// Whether every `stts` delta is in 1...`Int32.max` (its entries already checked to fit).
    private static func deltasArePlain(stts: ArraySlice<UInt8>) -> Bool {
      guard let entries = MP4Boxes.uint32(stts, at: 4), Int(entries) <= (stts.count - 8) / 8
      else { return false }
      for entry in 0..<Int(entries) {
        guard let delta = MP4Boxes.uint32(stts, at: 12 + entry * 8),
          delta >= 1, delta <= UInt32(Int32.max)
        else { return false }
      }
      return true
    }

    /// `stsz`'s sample count, when its table (if the samples' sizes differ) fits the box.
    private static func sampleCount(stsz: ArraySlice<UInt8>) -> Int64? {
      guard let size = MP4Boxes.uint32(stsz, at: 4), let count = MP4Boxes.uint32(stsz, at: 8)
      else { return nil }
      guard size != 0 || Int(count) <= (stsz.count - 12) / 4 else { return nil }
      return Int64(count)
    }

    /// Whether a table box (version and flags, entry count, entries) has at least one entry
    /// and all of them fit.
    private static func fits(_ box: ArraySlice<UInt8>, entryBytes: Int) -> Bool {
      guard let count = MP4Boxes.uint32(box, at: 4) else { return false }
      return count > 0 && Int(count) <= (box.count - 8) / entryBytes
    }
  }

  /// Whether `needle` occurs anywhere in `bytes`.
  private static func contains(_ needle: [UInt8], in bytes: ArraySlice<UInt8>) -> Bool {
    guard bytes.count >= needle.count, let first = needle.first else { return false }
    var index = bytes.startIndex
    let last = bytes.endIndex - needle.count
    while index <= last {
      if bytes[index] == first && bytes[index..<index + needle.count].elementsEqual(needle) {
        return true
      }
      index += 1
    }
    return false
  }
}
