import Foundation
import PoseEstimation
import RepCounting
import TestSupport
import Testing

@testable import PoseInput

private let ffmpeg = "/usr/bin/ffmpeg"
private let ffprobe = "/usr/bin/ffprobe"

/// Phones store a video sideways (landscape-coded pixels) and say in the display matrix how to
/// turn it for showing (issue 18 point 3). buddy reads videos through ffmpeg, which turns the
/// frames upright on decode (autorotate), so the frames, their size and the session's geometry
/// must be the upright ones, whichever way the matrix turns.
@Suite(
  .enabled(
    if: FileManager.default.isExecutableFile(atPath: ffmpeg)
      && FileManager.default.isExecutableFile(atPath: ffprobe),
    "ffmpeg/ffprobe not installed: skipped"))
struct RotatedVideoTests {
  /// `tag` is written with `-c copy -metadata:s:v:0 rotate=TAG`; ffmpeg versions differ in the
  /// sign of the matrix they write for it (Debian 12's 5.1 writes rotate=90 as +90), so the
  /// expected picture follows the rotation ffprobe reads back: -90 (as a phone held upright
  /// writes it: turn clockwise to show) gives the original picture, +90 the original turned
  /// by 180 degrees.
  @Test(arguments: ["90", "270"])
  func aVideoWithARotationMatrixIsReadUprightAtItsDisplaySize(tag: String) throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("rotated-\(UUID().uuidString.prefix(8))").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let jpeg = try JPEGDecoder.encode(try #require(quadrants()), quality: 95)
    for index in 1...6 {
      try Data(jpeg).write(to: URL(fileURLWithPath: folder + String(format: "/%03d.jpg", index)))
    }
    // Stored sideways: the upright 64x48 picture turned 90 degrees counter-clockwise (48x64).
    let sideways = folder + "/sideways.mp4"
    let video = folder + "/tagged.mp4"
    _ = try run(
      ffmpeg,
      [
        "-v", "error", "-nostdin", "-framerate", "10", "-i", folder + "/%03d.jpg", "-vf",
        "transpose=cclock", "-c:v", "libx264", "-pix_fmt", "yuv420p", sideways,
      ])
    _ = try run(
      ffmpeg,
      [
        "-v", "error", "-nostdin", "-i", sideways, "-c", "copy", "-metadata:s:v:0", "rotate=" + tag,
        video,
      ])
    let probed = try run(
      ffprobe,
      [
        "-v", "error", "-select_streams", "v:0", "-show_entries",
        "stream=width,height:stream_side_data=rotation", "-of", "default=noprint_wrappers=1", video,
      ])
    #expect(probed.contains("width=48") && probed.contains("height=64"), "stored size: \(probed)")
    let rotation = try #require(
      probed.split(separator: "\n").first { $0.hasPrefix("rotation=") }.map { $0.dropFirst(9) }
        .flatMap { Int($0) }, "no display matrix: \(probed)")
    try #require(rotation == 90 || rotation == -90)

    let tools = try FFmpeg.locate(for: video)
    let probe = try tools.probe(video)
    #expect(probe.fps == 10)
    #expect(probe.frames == 6)

    let log = ReadLog()
    let source = try PoseFrameSource(
      .path(video), options: .init(videoFPS: 30),
      makeEstimator: {
        { image, _ in
          log.images.append(image)
          return []
        }
      }, onRawBytes: nil, onNotice: { log.notices.append($0) })
    var frames = 0
    while try source.next() != nil { frames += 1 }
    #expect(frames == 6)
    #expect(log.notices.isEmpty)
    #expect(source.frameRate == 10)
    #expect(source.geometry == ImageGeometry(width: 64, height: 48))
    #expect(log.images.map { "\($0.width)x\($0.height)" } == Array(repeating: "64x48", count: 6))

    // Quadrant centres, top-left, top-right, bottom-left, bottom-right: the original order for
    // a -90 matrix, the reverse (turned by 180 degrees) for +90.
    let image = try #require(log.images.first)
    let centres = [(16, 12), (48, 12), (16, 36), (48, 36)]
    let expected = rotation == -90 ? colours : colours.reversed()
    for ((x, y), colour) in zip(centres, expected) {
      let pixel = image.pixel(x: x, y: y)
      let seen = [pixel.red, pixel.green, pixel.blue]
      let close = zip(seen, colour).allSatisfy { abs(Int($0) - Int($1)) <= 48 }
      #expect(close, "at \(x),\(y) (matrix \(rotation)): \(seen), expected \(colour)")
    }
  }
}

/// Top-left red, top-right green, bottom-left blue, bottom-right white.
private let colours: [[UInt8]] = [[220, 40, 40], [40, 200, 40], [40, 40, 220], [235, 235, 235]]

/// A 64x48 picture of four 32x24 quadrants in ``colours``.
private func quadrants() -> RGBImage? {
  var pixels: [UInt8] = []
  for y in 0..<48 {
    for x in 0..<64 { pixels += colours[(y / 24) * 2 + x / 32] }
  }
  return RGBImage(width: 64, height: 48, pixels: pixels)
}

/// The images the stand-in estimator saw, and the source's notices.
private final class ReadLog: @unchecked Sendable {
  var images: [RGBImage] = []
  var notices: [PoseFrameSource.Notice] = []
}

/// Runs `executable`; its standard output, or a failure naming the exit status.
private func run(_ executable: String, _ arguments: [String]) throws -> String {
  let result = try ChildRun(executable, arguments).run()
  try #require(
    result.termination == .exited(0), "\(executable) \(arguments) failed: \(result.stderrText)")
  return result.stdoutText
}
