import Foundation
import Testing

@testable import PoseInput

/// ``MP4Header``: on real clips it says what ffprobe says (rate, frame count) and what the
/// file was made with (codec, size, rotation); containers and headers it does not fully
/// understand (other containers, fragments, two video tracks, cover art, odd matrices, tables
/// that disagree or do not fit) are nil, so ffprobe is asked; damaged and cut headers are nil
/// or a header within range, never a crash.
@Suite struct MP4HeaderTests {
  // MARK: hand-built headers

  /// A box: size, type, body.
  static func box(_ type: String, _ body: [UInt8]) -> [UInt8] {
    be32(UInt32(8 + body.count)) + Array(type.utf8) + body
  }

  static func be32(_ value: UInt32) -> [UInt8] {
    [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) }
  }

  static func be16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }

  /// A plain rotation matrix's first four values (16.16).
  static let rotations: [Int: [Int32]] = [
    0: [0x1_0000, 0, 0, 0x1_0000], 90: [0, 0x1_0000, -0x1_0000, 0],
    180: [-0x1_0000, 0, 0, -0x1_0000], 270: [0, -0x1_0000, 0x1_0000, 0],
  ]

  /// The parts of a one-track `moov`, each replaceable by a test.
  struct Parts {
    var matrix: [Int32] = rotations[0] ?? []
    var translation: [Int32] = [0, 0]
    var w: Int32 = 0x4000_0000
    var handler = "vide"
    var timeScale: UInt32 = 15360
    var codec = "avc1"
    var width: UInt16 = 480
    var height: UInt16 = 270
    /// (count, delta) pairs.
    var stts: [(UInt32, UInt32)] = [(75, 1024)]
    var stszCount: UInt32 = 75
    var extraTableBoxes: [[UInt8]] = []
    var extraMoovBoxes: [[UInt8]] = []
    var tkhdVersion: UInt8 = 0

    func tkhd() -> [UInt8] {
      var body: [UInt8] = [tkhdVersion, 0, 0, 3]
      let times = tkhdVersion == 1 ? 16 : 8
      body += [UInt8](repeating: 0, count: times) + be32(1) + be32(0)
      body += [UInt8](repeating: 0, count: tkhdVersion == 1 ? 8 : 4)  // duration
      body += [UInt8](repeating: 0, count: 16)  // reserved, layer, group, volume, reserved
      let nine = [matrix[0], matrix[1], 0, matrix[2], matrix[3], 0] + translation + [w]
      body += nine.flatMap { be32(UInt32(bitPattern: $0)) }
      body += be32(UInt32(width) << 16) + be32(UInt32(height) << 16)
      return box("tkhd", body)
    }

    func moov() -> [UInt8] {
      let mdhd = box(
        "mdhd",
        [0, 0, 0, 0] + be32(0) + be32(0) + be32(timeScale) + be32(76800) + [0x55, 0xC4, 0, 0])
      let hdlr = box(
        "hdlr", [0, 0, 0, 0] + be32(0) + Array(handler.utf8) + [UInt8](repeating: 0, count: 13))
      let entryBody =
        [UInt8](repeating: 0, count: 6) + be16(1) + [UInt8](repeating: 0, count: 16)
        + be16(width) + be16(height) + [UInt8](repeating: 0, count: 50)
      let stsd = box("stsd", [0, 0, 0, 0] + be32(1) + box(codec, entryBody))
      let sttsBox = box(
        "stts", [0, 0, 0, 0] + be32(UInt32(stts.count)) + stts.flatMap { be32($0.0) + be32($0.1) })
      let stsz = box(
        "stsz",
        [0, 0, 0, 0] + be32(0) + be32(stszCount) + (0..<stszCount).flatMap { _ in be32(100) })
      let stsc = box("stsc", [0, 0, 0, 0] + be32(1) + be32(1) + be32(1) + be32(1))
      let stco = box("stco", [0, 0, 0, 0] + be32(1) + be32(48))
      let stbl = box("stbl", stsd + sttsBox + stsz + stsc + stco + extraTableBoxes.flatMap { $0 })
      let minf = box("minf", box("vmhd", [0, 0, 0, 1] + [UInt8](repeating: 0, count: 8)) + stbl)
      let mdia = box("mdia", mdhd + hdlr + minf)
      let trak = box("trak", tkhd() + mdia)
      return box("mvhd", [UInt8](repeating: 0, count: 100)) + trak + extraMoovBoxes.flatMap { $0 }
    }

    func header() -> MP4Header? { MP4Header(moov: moov()[...]) }
  }

  @Test func aPlainHeaderIsRead() throws {
    let header = try #require(Parts().header())
    #expect(
      header
        == MP4Header(
          codec: "avc1", width: 480, height: 270, rotation: 0, averageFrameRate: 15,
          frameCount: 75, duration: 5))
    var version1 = Parts()
    version1.tkhdVersion = 1
    #expect(version1.header() == header)
  }

  @Test(arguments: [0, 90, 180, 270])
  func aPlainRotationIsRead(degrees: Int) throws {
    var parts = Parts()
    parts.matrix = Self.rotations[degrees] ?? []
    parts.translation = degrees == 0 ? [0, 0] : [270 << 16, 0]  // a translation does not turn
    #expect(parts.header()?.rotation == degrees)
  }

  @Test(arguments: [
    [Int32(0x2_0000), 0, 0, 0x2_0000],  // scaled
    [-0x1_0000, 0, 0, 0x1_0000],  // mirrored
    [0xB505, 0xB505, -0xB505, 0xB505],  // 45 degrees
    [0, 0, 0, 0],
  ])
  func anyOtherMatrixIsLeftToFFprobe(matrix: [Int32]) {
    var parts = Parts()
    parts.matrix = matrix
    #expect(parts.header() == nil)
    var perspective = Parts()
    perspective.w = 0x2000_0000
    #expect(perspective.header() == nil)
  }

  @Test func tablesThatDoNotAgreeOrAreUnusualAreLeftToFFprobe() {
    var parts = Parts()
    parts.stszCount = 74
    #expect(parts.header() == nil)
    parts = Parts()
    parts.stts = [(74, 1024), (1, 0)]  // a zero delta
    #expect(parts.header() == nil)
    parts = Parts()
    parts.stts = [(74, 1024), (1, 0x8000_0000)]  // negative to ffmpeg
    #expect(parts.header() == nil)
    parts = Parts()
    parts.stts = [(70, 1024), (5, 2048)]  // uneven, but plain: ffmpeg's average
    let uneven: Double = 15360 * 75 / 81920  // 70 × 1024 + 5 × 2048
    #expect(parts.header()?.averageFrameRate == uneven)
    parts = Parts()
    parts.extraTableBoxes = [MP4HeaderTests.box("stts", [0, 0, 0, 0] + Self.be32(0))]
    #expect(parts.header() == nil)  // two stts
    parts = Parts()
    parts.timeScale = 0
    #expect(parts.header() == nil)
    parts = Parts()
    parts.timeScale = 0x8000_0000  // negative to ffmpeg
    #expect(parts.header() == nil)
  }

  @Test(arguments: ["mjpa", "rle ", "avc2", "\0\0\0\0"])
  func anUnknownCodecIsLeftToFFprobe(codec: String) {
    var parts = Parts()
    parts.codec = codec
    #expect(parts.header() == nil)
  }

  @Test func sizesOutOfRangeAreLeftToFFprobe() {
    var parts = Parts()
    parts.width = 0
    #expect(parts.header() == nil)
    parts = Parts()
    parts.height = 20000
    #expect(parts.header() == nil)
  }

  @Test func fragmentsCoverArtAndNoVideoAreLeftToFFprobe() {
    var parts = Parts()
    parts.extraMoovBoxes = [
      MP4HeaderTests.box("mvex", MP4HeaderTests.box("trex", [UInt8](repeating: 0, count: 24)))
    ]
    #expect(parts.header() == nil)
    parts = Parts()
    parts.extraMoovBoxes = [
      MP4HeaderTests.box("udta", MP4HeaderTests.box("meta", MP4HeaderTests.box("covr", [1, 2, 3])))
    ]
    #expect(parts.header() == nil)
    parts = Parts()
    parts.handler = "soun"
    #expect(parts.header() == nil)
    // Two video tracks: ffprobe's v:0 and ffmpeg's choice may differ.
    let trak = Parts().moov().dropFirst(108)  // after `mvhd`
    let two = Parts().moov() + trak
    #expect(MP4Header(moov: two[...]) == nil)
  }

  /// Every prefix of the `moov` body, and every byte set to 0x00, 0xFF or 0x01: nil or a
  /// header within range, never a crash.
  @Test func cutAndDamagedHeadersGiveNilOrAHeaderInRange() {
    let moov = Parts().moov()
    for length in 0..<moov.count {
      #expect(MP4Header(moov: moov.prefix(length)) == nil)
    }
    for index in moov.indices {
      for value: UInt8 in [0x00, 0xFF, 0x01] {
        var damaged = moov
        damaged[index] = value
        if let header = MP4Header(moov: damaged[...]) { Self.expectInRange(header) }
      }
    }
  }

  static func expectInRange(_ header: MP4Header) {
    #expect(header.averageFrameRate.isFinite && header.averageFrameRate > 0)
    #expect(header.averageFrameRate <= Double(Int32.max))
    #expect((1...MP4Header.maximumSide).contains(header.width))
    #expect((1...MP4Header.maximumSide).contains(header.height))
    #expect([0, 90, 180, 270].contains(header.rotation))
    #expect(header.frameCount > 0 && header.duration > 0 && header.duration.isFinite)
    #expect(MP4Header.knownCodecs.contains(header.codec))
  }

  // MARK: real clips

  private static let ffmpegPresent =
    FileManager.default.isExecutableFile(atPath: "/usr/bin/ffmpeg")
    && FileManager.default.isExecutableFile(atPath: "/usr/bin/ffprobe")
  private let tools = FFmpeg(ffmpeg: "/usr/bin/ffmpeg", ffprobe: "/usr/bin/ffprobe")

  /// Runs ffmpeg with `arguments`, requiring success.
  private func ffmpeg(_ arguments: [String]) throws {
    let process = try ChildProcess(
      executable: "/usr/bin/ffmpeg", arguments: ["-nostdin", "-v", "error", "-y"] + arguments,
      name: "ffmpeg")
    _ = process.readOutput()
    let (status, errorText) = process.finish()
    try #require(status == 0, "\(errorText)")
  }

  @Test(
    .enabled(if: ffmpegPresent, "ffmpeg/ffprobe not installed"),
    arguments: [
      ("10", "mp4", [String]()), ("30000/1001", "mp4", []),
      ("25", "mp4", ["-movflags", "+faststart"]), ("24000/1001", "mov", []),
      ("60", "mp4", ["-video_track_timescale", "600"]), ("15", "mp4", ["-c:v", "mpeg4"]),
    ])
  func aRealClipsHeaderSaysWhatFFprobeSays(rate: String, extension: String, options: [String])
    throws
  {
    let clip = try VideoStartTests.Clip(rate: rate, extension: `extension`, options: options)
    let probed = try tools.probe(clip.path)
    let header = try #require(MP4Header.read(clip.path))
    #expect(header.averageFrameRate == probed.fps)
    #expect(header.frameCount == probed.frames && header.frameCount == 6)
    #expect(header.codec == (options.contains("mpeg4") ? "mp4v" : "avc1"))
    #expect(header.width == 64 && header.height == 48 && header.rotation == 0)
  }

  /// The rotation ffprobe reads from the display matrix (counter-clockwise degrees).
  private func probedRotation(_ path: String) throws -> Int? {
    let process = try ChildProcess(
      executable: "/usr/bin/ffprobe",
      arguments: [
        "-v", "error", "-select_streams", "v:0", "-show_entries", "stream_side_data=rotation",
        "-of", "default=noprint_wrappers=1", path,
      ], name: "ffprobe")
    let output = String(decoding: process.readOutput(), as: UTF8.self)
    try #require(process.finish().status == 0)
    return output.split(separator: "\n").compactMap { line -> Int? in
      line.hasPrefix("rotation=") ? Int(line.dropFirst("rotation=".count)) : nil
    }.first
  }

  /// Made with the legacy `rotate` tag (which Debian 12's ffmpeg 5.1 writes as the opposite
  /// matrix: the check is against what ffprobe reads back, clockwise = −ffprobe's).
  @Test(.enabled(if: ffmpegPresent, "ffmpeg/ffprobe not installed"), arguments: [90, 180, 270])
  func aRotatedClipsRotationIsFFprobes(degrees: Int) throws {
    let clip = try VideoStartTests.Clip()
    let rotated = clip.directory + "/rotated.mp4"
    try ffmpeg(["-i", clip.path, "-c", "copy", "-metadata:s:v", "rotate=\(degrees)", rotated])
    let header = try #require(MP4Header.read(rotated))
    let probed = try #require(try probedRotation(rotated))
    #expect(header.rotation == ((-probed) % 360 + 360) % 360)
    #expect(header.rotation != 0)
    #expect(header.width == 64 && header.height == 48)  // coded size: ffmpeg turns it
  }

  @Test(.enabled(if: ffmpegPresent, "ffmpeg/ffprobe not installed"))
  func otherContainersAndLayoutsAreLeftToFFprobe() throws {
    let clip = try VideoStartTests.Clip(options: ["-movflags", "+faststart"])
    let directory = clip.directory
    #expect(MP4Header.read(clip.path) != nil)
    let made: [(String, [String])] = [
      ("clip.mkv", ["-i", clip.path, "-c", "copy"]),
      ("fragmented.mp4", ["-i", clip.path, "-c", "copy", "-movflags", "frag_keyframe+empty_moov"]),
      ("two.mp4", ["-i", clip.path, "-map", "0:v", "-map", "0:v", "-c", "copy"]),
      (
        "cover.mp4",
        [
          "-i", clip.path, "-i", directory + "/001.jpg", "-map", "0", "-map", "1", "-c", "copy",
          "-disposition:v:1", "attached_pic",
        ]
      ),
    ]
    for (name, arguments) in made {
      try ffmpeg(arguments + [directory + "/" + name])
      #expect(MP4Header.read(directory + "/" + name) == nil, "\(name)")
    }
    // The same header without the `ftyp` box in front: not taken for an MP4.
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: clip.path)))
    let ftypSize = bytes.prefix(4).reduce(0) { $0 << 8 | Int($1) }
    let bare = directory + "/bare.mp4"
    try Data(bytes.dropFirst(ftypSize)).write(to: URL(fileURLWithPath: bare))
    #expect(MP4Header.read(bare) == nil)
    #expect(MP4Header.read(directory + "/missing.mp4") == nil)
    #expect(MP4Header.read(directory) == nil)
  }

  /// Every prefix of a real file: nil or the whole file's header (the moov in front is whole).
  @Test(.enabled(if: ffmpegPresent, "ffmpeg/ffprobe not installed"))
  func aCutFileGivesNilOrItsHeader() throws {
    let clip = try VideoStartTests.Clip(options: ["-movflags", "+faststart"])
    let whole = try #require(MP4Header.read(clip.path))
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: clip.path)))
    let cut = clip.directory + "/cut.mp4"
    for length in stride(from: 0, through: bytes.count, by: 5) {
      try Data(bytes.prefix(length)).write(to: URL(fileURLWithPath: cut))
      if let header = MP4Header.read(cut) { #expect(header == whole) }
    }
  }

  /// Opt-in: every MP4/MOV/M4V file in the folder `BUDDY_MP4_CORPUS` (e.g. phone videos) that
  /// the header reader takes says what ffprobe says; how many it leaves to ffprobe is printed.
  @Test(
    .enabled(
      if: ffmpegPresent && ProcessInfo.processInfo.environment["BUDDY_MP4_CORPUS"] != nil,
      "set BUDDY_MP4_CORPUS to a folder of videos"))
  func aCorpusOfRealVideosAgreesWithFFprobe() throws {
    let folder = try #require(ProcessInfo.processInfo.environment["BUDDY_MP4_CORPUS"])
    let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter {
      ["mp4", "mov", "m4v"].contains(($0 as NSString).pathExtension.lowercased())
    }.sorted()
    var taken = 0
    for name in names {
      let path = folder + "/" + name
      guard let header = MP4Header.read(path) else { continue }
      taken += 1
      let probed = try tools.probe(path)
      #expect(header.averageFrameRate == probed.fps, "\(name)")
      #expect(header.frameCount == probed.frames, "\(name)")
      let rotation = try probedRotation(path) ?? 0
      #expect(header.rotation == ((-rotation) % 360 + 360) % 360, "\(name)")
    }
    print("MP4Header took \(taken) of \(names.count) videos; ffprobe is asked for the rest")
  }
}
