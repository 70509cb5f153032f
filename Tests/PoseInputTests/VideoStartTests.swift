import Foundation
import PoseEstimation
import RepCounting
import Synchronization
import Testing

@testable import PoseInput

#if canImport(Glibc)
import Glibc
#endif

private let ffmpegPresent =
  FileManager.default.isExecutableFile(atPath: "/usr/bin/ffmpeg")
  && FileManager.default.isExecutableFile(atPath: "/usr/bin/ffprobe")

/// ffprobe and ffmpeg started side by side (``VideoStart``): the stream is byte for byte the
/// one ffmpeg gives when started after ffprobe, at the same rate, whether the rate started
/// early was right or not; an unreadable video is still ffprobe's `.badData` error; with 2
/// threads the models load meanwhile, their error still after the source's.
@Suite(.enabled(if: ffmpegPresent, "ffmpeg/ffprobe not installed"))
struct VideoStartTests {
  /// A scratch directory holding `clip.mp4` (or `clip.EXTENSION`): 6 frames of 64×48 at
  /// `rate` fps, and any `options` for the output.
  final class Clip {
    let directory: String
    let path: String

    init(rate: String = "10", extension: String = "mp4", options: [String] = []) throws {
      directory =
        FileManager.default.temporaryDirectory.appendingPathComponent(
          "video-start-\(UUID().uuidString.prefix(8))"
        ).path
      path = directory + "/clip." + `extension`
      try FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true)
      for index in 1...6 {
        let pixels = (0..<(64 * 48)).flatMap { pixel -> [UInt8] in
          let value = UInt8(truncatingIfNeeded: pixel % 64 * 3 + index * 40)
          return [value, 255 - value, UInt8(truncatingIfNeeded: pixel / 64 * 5)]
        }
        let image = try #require(RGBImage(width: 64, height: 48, pixels: pixels))
        try Data(try JPEGDecoder.encode(image, quality: 90)).write(
          to: URL(fileURLWithPath: directory + String(format: "/%03d.jpg", index)))
      }
      let make = try ChildProcess(
        executable: "/usr/bin/ffmpeg",
        arguments: [
          "-nostdin", "-v", "error", "-framerate", rate, "-i", directory + "/%03d.jpg", "-c:v",
          "libx264", "-pix_fmt", "yuv420p",
        ] + options + [path], name: "ffmpeg")
      _ = make.readOutput()
      let (status, errorText) = make.finish()
      try #require(status == 0, "\(errorText)")
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }
  }

  private let tools = FFmpeg(ffmpeg: "/usr/bin/ffmpeg", ffprobe: "/usr/bin/ffprobe")

  /// Everything `process` writes, then its end checked as the reader does.
  private func drain(_ process: ChildProcess, _ path: String) throws -> [UInt8] {
    let bytes = process.readOutput()
    try FFmpeg.finish(process, source: path)
    return bytes
  }

  /// What ffmpeg writes when started after ffprobe (as before `VideoStart`) at `rate`.
  private func sequential(_ path: String, rate: Double, singleThreaded: Bool) throws -> [UInt8] {
    _ = try tools.probe(path)
    return try drain(
      try tools.mjpegStream(path, fps: rate, singleThreaded: singleThreaded), path)
  }

  @Test(arguments: [false, true])
  func theDefaultRateStartedEarlyIsKeptForAFasterVideo(singleThreaded: Bool) throws {
    let clip = try Clip()
    let start = try VideoStart(
      clip.path, tools: tools, fps: nil, videoFPS: 5, singleThreaded: singleThreaded)
    let (process, rate) = try start.stream()
    #expect(rate == 5 && start.guess == 5)
    #expect(!start.startedAgain)
    let bytes = try drain(process, clip.path)
    #expect(bytes == (try sequential(clip.path, rate: 5, singleThreaded: singleThreaded)))
    #expect(MJPEGCount.frames(bytes) == 3)
  }

  @Test func aSlowerMP4IsStartedAtOnceAtTheRateItsHeaderStates() throws {
    let clip = try Clip()
    let start = try VideoStart(
      clip.path, tools: tools, fps: nil, videoFPS: 30, singleThreaded: false)
    let (process, rate) = try start.stream()
    #expect(start.guess == 10 && rate == 10)  // never above the video's own rate
    #expect(!start.startedAgain)
    let bytes = try drain(process, clip.path)
    #expect(bytes == (try sequential(clip.path, rate: 10, singleThreaded: false)))
    #expect(MJPEGCount.frames(bytes) == 6)
  }

  @Test func aSlowerVideoOfAnotherContainerIsStartedAgainAtItsOwnRate() throws {
    let clip = try Clip(extension: "mkv")
    let start = try VideoStart(
      clip.path, tools: tools, fps: nil, videoFPS: 30, singleThreaded: false)
    let (process, rate) = try start.stream()
    #expect(start.guess == 30)
    #expect(rate == 10)  // never above the video's own rate
    #expect(start.startedAgain)
    let bytes = try drain(process, clip.path)
    #expect(bytes == (try sequential(clip.path, rate: 10, singleThreaded: false)))
    #expect(MJPEGCount.frames(bytes) == 6)
  }

  @Test func theCallersRateIsStartedOnceAboveTheVideosRateToo() throws {
    let clip = try Clip()
    let start = try VideoStart(
      clip.path, tools: tools, fps: 20, videoFPS: 5, singleThreaded: true)
    let (process, rate) = try start.stream()
    #expect(rate == 20 && !start.startedAgain)
    let bytes = try drain(process, clip.path)
    #expect(bytes == (try sequential(clip.path, rate: 20, singleThreaded: true)))
  }

  @Test(arguments: [1, 2])
  func anUnreadableVideoIsBadDataBeforeTheModelsError(threads: Int) throws {
    let clip = try Clip()
    let junk = clip.directory + "/junk.mp4"
    try Data([0, 0, 0, 0x18] + Array("ftypmp42".utf8) + [UInt8](repeating: 7, count: 4000))
      .write(to: URL(fileURLWithPath: junk))
    let start = try VideoStart(junk, tools: tools, fps: nil, videoFPS: 15, singleThreaded: true)
    #expect {
      _ = try start.stream()
    } throws: { error in
      let error = error as? PoseInputError
      return error?.kind == .badData && error?.reason.hasPrefix("not a readable video") == true
    }
    struct ModelsMissing: Error {}
    #expect {
      _ = try PoseFrameSource(
        .path(junk), options: .init(threads: threads),
        makeEstimator: { throw ModelsMissing() }, onRawBytes: nil, onNotice: { _ in })
    } throws: { error in
      (error as? PoseInputError)?.kind == .badData
    }
  }

  @Test(.enabled(if: ComputeThreads.availableCores > 1, "needs two CPUs"))
  func withTwoThreadsTheModelsLoadWhileFFprobeRunsAndTheFramesAreTheSame() throws {
    let clip = try Clip()
    let made = Made()
    func source(threads: Int) throws -> PoseFrameSource {
      try PoseFrameSource(
        .path(clip.path), options: .init(videoFPS: 30, threads: threads),
        makeEstimator: {
          made.add()
          return { image, time in
            [Landmark(x: time, y: Double(image.pixels[image.pixels.count / 2]))]
          }
        }, onRawBytes: nil, onNotice: { _ in })
    }
    let early = try source(threads: 2)
    let deadline = ContinuousClock.now + .seconds(30)
    while made.count == 0 && ContinuousClock.now < deadline {
      usleep(1000)
    }
    #expect(made.count == 1)  // no frame asked for yet
    var frames: [PoseFrame] = []
    while let frame = try early.next() { frames.append(frame) }
    let late = try source(threads: 1)
    var expected: [PoseFrame] = []
    while let frame = try late.next() { expected.append(frame) }
    #expect(made.count == 2)
    #expect(frames.count == 6 && frames == expected)
  }

  /// With one thread too, a video's models load while ffmpeg starts (a process of its own on
  /// another CPU); a JPEG file's still load at its first image.
  @Test(.enabled(if: ComputeThreads.availableCores > 1, "needs two CPUs"))
  func withOneThreadAVideosModelsLoadWhileFFmpegStarts() throws {
    let clip = try Clip()
    let made = Made()
    func source(_ path: String) throws -> PoseFrameSource {
      try PoseFrameSource(
        .path(path), options: .init(videoFPS: 30, threads: 1),
        makeEstimator: {
          made.add()
          return { _, time in [Landmark(x: time, y: 0)] }
        }, onRawBytes: nil, onNotice: { _ in })
    }
    let video = try source(clip.path)
    let deadline = ContinuousClock.now + .seconds(30)
    while made.count == 0 && ContinuousClock.now < deadline {
      usleep(1000)
    }
    #expect(made.count == 1)  // no frame asked for yet
    var frames = 0
    while try video.next() != nil { frames += 1 }
    #expect(frames == 6 && made.count == 1)
    let image = try source(clip.directory + "/001.jpg")
    usleep(50_000)
    #expect(made.count == 1)  // not before its first image
    #expect(try image.next() != nil && made.count == 2)
  }

  @Test func ffprobeAndFFmpegRunSideBySide() throws {
    let clip = try Clip(extension: "mkv")  // an MP4 header would answer without ffprobe
    // ffprobe answers only once ffmpeg has started: one after the other, it would give up.
    let mark = clip.directory + "/ffmpeg-started"
    let ffmpeg = clip.directory + "/ffmpeg"
    let ffprobe = clip.directory + "/ffprobe"
    try writeScript(ffmpeg, "#!/bin/sh\ntouch '\(mark)'\nexec /usr/bin/ffmpeg \"$@\"\n")
    try writeScript(
      ffprobe,
      """
      #!/bin/sh
      for i in $(seq 200); do [ -e '\(mark)' ] && exec /usr/bin/ffprobe "$@"; sleep 0.05; done
      echo "ffmpeg was not started beside ffprobe" >&2; exit 3

      """)
    let start = try VideoStart(
      clip.path, tools: FFmpeg(ffmpeg: ffmpeg, ffprobe: ffprobe), fps: nil, videoFPS: 10,
      singleThreaded: true)
    let (process, rate) = try start.stream()
    #expect(rate == 10 && !start.startedAgain)
    #expect(
      try drain(process, clip.path) == (try sequential(clip.path, rate: 10, singleThreaded: true)))
  }

  /// ffprobe standing in as a script that notes each run in `ffprobe.log` and hands over to
  /// the real one.
  private func recordingProbe(in directory: String) throws -> (tools: FFmpeg, log: String) {
    let log = directory + "/ffprobe.log"
    let ffprobe = directory + "/ffprobe"
    try writeScript(ffprobe, "#!/bin/sh\necho ran >> '\(log)'\nexec /usr/bin/ffprobe \"$@\"\n")
    return (FFmpeg(ffmpeg: "/usr/bin/ffmpeg", ffprobe: ffprobe), log)
  }

  @Test(arguments: [nil, 20.0])
  func aPlainMP4StartsWithoutFFprobe(fps: Double?) throws {
    let clip = try Clip()
    let (tools, log) = try recordingProbe(in: clip.directory)
    let start = try VideoStart(
      clip.path, tools: tools, fps: fps, videoFPS: 30, singleThreaded: true)
    let (process, rate) = try start.stream()
    #expect(start.header?.averageFrameRate == 10)
    #expect(rate == fps ?? 10 && !start.startedAgain)
    #expect(
      try drain(process, clip.path)
        == (try sequential(clip.path, rate: fps ?? 10, singleThreaded: true)))
    #expect(!FileManager.default.fileExists(atPath: log))
  }

  @Test(arguments: [
    ("mkv", [String]()), ("mp4", ["-movflags", "frag_keyframe+empty_moov"]),
  ])
  func otherContainersStillAskFFprobe(extension: String, options: [String]) throws {
    let clip = try Clip(extension: `extension`, options: options)
    let (tools, log) = try recordingProbe(in: clip.directory)
    let start = try VideoStart(
      clip.path, tools: tools, fps: nil, videoFPS: 30, singleThreaded: true)
    let (process, rate) = try start.stream()
    #expect(start.header == nil && rate == 10)
    #expect(
      try drain(process, clip.path) == (try sequential(clip.path, rate: 10, singleThreaded: true)))
    #expect(try String(contentsOfFile: log, encoding: .utf8) == "ran\n")
  }

  /// ffmpeg runs on one thread when the pose models take every core: the same bytes (the
  /// digest `record` stores) and so the same pixels as with its own threads.
  @Test func ffmpegOnOneThreadOrItsOwnWritesTheSameBytes() throws {
    let clip = try Clip()
    let one = try drain(try tools.mjpegStream(clip.path, fps: 10, singleThreaded: true), clip.path)
    let own = try drain(
      try tools.mjpegStream(clip.path, fps: 10, singleThreaded: false), clip.path)
    #expect(MJPEGCount.frames(one) == 6)
    #expect(one == own)
  }

  @Test func stopEndsAProgramAtOnceAndWaitsForIt() throws {
    let sleeper = try ChildProcess(executable: "/bin/sleep", arguments: ["30"], name: "sleep")
    let started = ContinuousClock.now
    sleeper.stop()
    #expect(ContinuousClock.now - started < .seconds(10))
    #expect(sleeper.finish().status == 128 + SIGKILL)
    sleeper.stop()  // waited for already: nothing to do
  }
}

/// Writes an executable script through a close-on-exec descriptor: a child that another test
/// forks meanwhile must not inherit it open for writing, or running the script fails (ETXTBSY).
private func writeScript(_ path: String, _ text: String) throws {
  let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
  try #require(descriptor >= 0)
  let written = text.utf8CString.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count - 1) }
  close(descriptor)
  try #require(written == text.utf8.count)
}

/// Counts how often the estimator was made (from any thread).
private final class Made: Sendable {
  private let times = Mutex(0)
  func add() { times.withLock { $0 += 1 } }
  var count: Int { times.withLock { $0 } }
}

/// Counts the JPEG frames of an MJPEG stream.
private enum MJPEGCount {
  static func frames(_ bytes: [UInt8]) -> Int? {
    var splitter = MJPEGSplitter()
    return (try? splitter.append(bytes[...]))?.count
  }
}
