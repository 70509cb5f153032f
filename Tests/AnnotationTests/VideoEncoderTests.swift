import Foundation
import Testing

@testable import Annotation

/// The ffmpeg behind annotated videos: a failure is reported with ffmpeg's last line, and its
/// standard error goes to an unnamed temporary file (before, a `/tmp/buddy-ffmpeg-*` file that
/// stayed behind when `buddy` died before unlinking it).
@Suite struct VideoEncoderTests {
  /// A stand-in `ffmpeg` that reads nothing, writes two lines to standard error and fails.
  static func failingFFmpeg(in directory: URL) throws -> String {
    let path = directory.appendingPathComponent("ffmpeg").path
    try "#!/bin/sh\necho first >&2\necho 'the last line' >&2\nexit 3\n"
      .write(toFile: path, atomically: true, encoding: .utf8)
    #expect(chmod(path, 0o755) == 0)
    return path
  }

  @Test func aFailingFFmpegIsReportedWithItsLastLineAndLeavesNothingBehind() throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("buddy-video-encoder-\(getpid())-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let ffmpeg = try Self.failingFFmpeg(in: directory)
    let named = { () throws -> Set<String> in
      Set(
        try FileManager.default.contentsOfDirectory(atPath: "/tmp").filter {
          $0.hasPrefix("buddy-ffmpeg-")
        })
    }
    let namedBefore = try named()
    let output = directory.appendingPathComponent("out.mp4").path
    do {
      // The stand-in may have exited before the frame is written (the write then fails) or
      // not (then finish() does): either way the error names its last line, once.
      let encoder = try VideoEncoder(ffmpeg: ffmpeg, path: output, width: 4, height: 2, fps: 30)
      var failure: AnnotationError?
      do {
        try encoder.write([UInt8](repeating: 0, count: 4 * 2 * 3))
        try encoder.finish()
      } catch {
        failure = error
      }
      #expect(failure?.reason.contains("the last line") == true, "\(String(describing: failure))")
      #expect(throws: Never.self) { try encoder.finish() }
    }
    do {
      let encoder = try VideoEncoder(ffmpeg: ffmpeg, path: output, width: 4, height: 2, fps: 30)
      do {
        try encoder.finish()
        Issue.record("a failing ffmpeg finished")
      } catch {
        #expect(error.reason.contains("the last line"), "\(error)")
        #expect(error.path == output)
      }
    }
    #expect(try named().isSubset(of: namedBefore))
  }
}
