import Foundation
import Testing

@testable import PoseInput

#if canImport(Glibc)
import Glibc
#endif

/// The frame rate predicted from an MP4 header (``MP4FrameRate``) is ffprobe's, to the bit, for
/// the rates videos have; anything else is nil, and damaged headers never crash.
@Suite(
  .enabled(
    if: FileManager.default.isExecutableFile(atPath: "/usr/bin/ffmpeg")
      && FileManager.default.isExecutableFile(atPath: "/usr/bin/ffprobe"),
    "ffmpeg/ffprobe not installed"))
struct MP4FrameRateTests {
  private let tools = FFmpeg(ffmpeg: "/usr/bin/ffmpeg", ffprobe: "/usr/bin/ffprobe")

  @Test(arguments: [
    ("10", "mp4", [String]()), ("30000/1001", "mp4", []),
    ("25", "mp4", ["-movflags", "+faststart"]),
    ("24000/1001", "mov", []), ("60", "mp4", ["-video_track_timescale", "600"]),
  ])
  func theHeaderGivesFFprobesRate(rate: String, extension: String, options: [String]) throws {
    let clip = try VideoStartTests.Clip(rate: rate, extension: `extension`, options: options)
    let probed = try #require(try tools.probe(clip.path).fps)
    #expect(MP4FrameRate.average(clip.path) == probed)
  }

  @Test func otherFilesHaveNoPrediction() throws {
    let clip = try VideoStartTests.Clip(extension: "mkv")
    #expect(MP4FrameRate.average(clip.path) == nil)
    #expect(MP4FrameRate.average(clip.directory + "/missing.mp4") == nil)
    let empty = clip.directory + "/empty.mp4"
    #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
    #expect(MP4FrameRate.average(empty) == nil)
    let junk = clip.directory + "/junk.mp4"
    try Data([0, 0, 0, 0x18] + Array("ftypmp42".utf8) + [UInt8](repeating: 0, count: 64)).write(
      to: URL(fileURLWithPath: junk))
    #expect(MP4FrameRate.average(junk) == nil)
  }

  /// Every prefix of the file and every byte of its `moov` set to 0x00, 0xFF or 0x01: a rate or
  /// nil, never a crash, and the whole file still gives the rate.
  @Test func damagedHeadersGiveNilOrARate() throws {
    let clip = try VideoStartTests.Clip(options: ["-movflags", "+faststart"])
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: clip.path)))
    let cut = clip.directory + "/cut.mp4"
    for length in stride(from: 0, through: min(bytes.count, 4096), by: 7) {
      try Data(bytes.prefix(length)).write(to: URL(fileURLWithPath: cut))
      if let rate = MP4FrameRate.average(cut) { #expect(rate.isFinite && rate > 0) }
    }
    let moovStart = try #require(
      (0..<(bytes.count - 8)).first { bytes[$0 + 4..<$0 + 8].elementsEqual(Array("moov".utf8)) })
    let size = bytes[moovStart..<moovStart + 4].reduce(0) { $0 << 8 | Int($1) }
    let moov = Array(bytes[moovStart + 8..<moovStart + size])
    #expect(MP4FrameRate.average(moov: moov) == 10)
    for index in moov.indices {
      for value: UInt8 in [0x00, 0xFF, 0x01] {
        var damaged = moov
        damaged[index] = value
        if let rate = MP4FrameRate.average(moov: damaged) { #expect(rate.isFinite && rate > 0) }
      }
    }
  }
}
