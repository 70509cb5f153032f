import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

private let ffmpegPresent =
  FileManager.default.isExecutableFile(atPath: "/usr/bin/ffmpeg")
  && FileManager.default.isExecutableFile(atPath: "/usr/bin/ffprobe")

/// A video's ffprobe and ffmpeg start side by side, ffmpeg at the rate it most likely needs,
/// and the models load meanwhile (issue 21 point 3): the counters get the same frames as from
/// ffmpeg's MJPEG stream, a video slower than the default rate restarts ffmpeg at its own,
/// and the errors keep their order and form (65 for the source before 78 for the models; a
/// failing ffmpeg is one line and stores nothing). ffmpeg and ffprobe are stand-in scripts on
/// PATH where a test needs them to misbehave.
@Suite("Video start (buddy)")
struct VideoStartCommandTests {
  /// A directory on PATH with stand-ins: `ffprobe` prints `rate` as the video's average frame
  /// rate; `ffmpeg` appends its arguments to `ffmpeg.log` there, writes the first `frames` dev
  /// frames as MJPEG, then, when `failing`, says so on standard error and exits 1.
  private func standIns(in home: String, rate: String, frames: Int, failing: Bool) throws
    -> String
  {
    let bin = home + "/fake-bin"
    try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
    let names = try FileManager.default.contentsOfDirectory(atPath: PoseCommandTests.realFrames)
      .filter { $0.hasSuffix(".jpg") }.sorted().prefix(frames)
    let files = names.map { "'\(PoseCommandTests.realFrames)/\($0)'" }.joined(separator: " ")
    let ending = failing ? "echo 'corrupt macroblock at frame \(frames)' >&2\nexit 1" : "exit 0"
    try writeScript(
      bin + "/ffmpeg",
      "#!/bin/sh\necho \"$*\" >> '\(bin)/ffmpeg.log'\n/bin/cat \(files)\n\(ending)\n")
    try writeScript(
      bin + "/ffprobe", "#!/bin/sh\necho avg_frame_rate=\(rate)\necho nb_frames=\(frames)\n")
    // Any bytes: the stand-ins never read the video.
    try Data([0, 0, 0, 0x18] + Array("ftypmp42".utf8) + [UInt8](repeating: 0, count: 64)).write(
      to: URL(fileURLWithPath: home + "/clip.mp4"))
    return bin
  }

  /// Writes an executable script through a close-on-exec descriptor (replacing any file
  /// there): a child another test forks meanwhile must not inherit it open for writing, or
  /// running the script fails (ETXTBSY).
  private func writeScript(_ path: String, _ text: String) throws {
    unlink(path)
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
    try #require(descriptor >= 0)
    let written = text.utf8CString.withUnsafeBytes {
      write(descriptor, $0.baseAddress, $0.count - 1)
    }
    close(descriptor)
    try #require(written == text.utf8.count)
  }

  @Test(
    .enabled(if: PoseCommandTests.haveModelsAndFrames, "needs the pose models and realdata"),
    arguments: ["1", "2"])
  func ffmpegFailingMidStreamIsOneLineExit65(threads: String) throws {
    var buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    buddy.environment["PATH"] = try standIns(
      in: buddy.home, rate: "30/1", frames: 12, failing: true)
    let result = try buddy.run(
      ["count", "--exercise", "push-up", "--threads", threads, buddy.home + "/clip.mp4"],
      timeout: 300)
    #expect(result.status == 65, "\(result.stderr)")
    #expect(result.stdout.isEmpty)
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count == 1, "\(result.stderr)")
    #expect(lines.first?.contains("ffmpeg failed: corrupt macroblock at frame 12") == true)
    #expect(lines.first?.contains("clip.mp4") == true)
  }

  @Test(
    .enabled(
      if: PoseCommandTests.haveModelsAndFrames && TestDatabase.isAvailable,
      "needs the pose models, realdata and PostgreSQL"))
  func ffmpegFailingMidStreamStoresNothing() throws {
    let user = try SignedInUser("midstream")
    defer { user.close() }
    var buddy = user.buddy
    buddy.environment["PATH"] = try standIns(
      in: buddy.home, rate: "30/1", frames: 40, failing: true)
    for threads in ["1", "2"] {
      let record = try buddy.run(
        ["record", "--exercise", "push-up", "--threads", threads, buddy.home + "/clip.mp4"],
        timeout: 300)
      #expect(record.status == 65, "\(record.stderr)")
      #expect(record.stderr.split(separator: "\n").count == 1, "\(record.stderr)")
      #expect(record.stderr.contains("ffmpeg failed: corrupt macroblock at frame 40"))
    }
    let imported = try buddy.run(["import", "--exercise", "push-up", buddy.home + "/clip.mp4"])
    #expect(imported.stdout.contains("failed 1"), "\(imported.stdout)\(imported.stderr)")
    #expect(try user.count() == 0)
  }

  @Test(.enabled(if: PoseCommandTests.haveModelsAndFrames, "needs the pose models and realdata"))
  func aVideoSlowerThanTheDefaultRateRestartsFFmpegAtItsOwnRate() throws {
    var buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    // push-up's default rate is 15: a 30 fps video keeps the ffmpeg started at 15 …
    buddy.environment["PATH"] = try standIns(
      in: buddy.home, rate: "30/1", frames: 10, failing: false)
    let fast = try buddy.run(
      ["count", "--exercise", "push-up", "--format", "json", buddy.home + "/clip.mp4"],
      timeout: 300)
    #expect(fast.status == 0, "\(fast.stderr)")
    let log = buddy.home + "/fake-bin/ffmpeg.log"
    let once = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
    #expect(once.count == 1 && once.first?.contains("fps=15.0") == true, "\(once)")
    #expect(fast.stdout.contains(#""clip_seconds":0.6"#), "\(fast.stdout)")  // 10 frames at 15
    // … a 10 fps video stops it and starts ffmpeg again at 10.
    try FileManager.default.removeItem(atPath: log)
    buddy.environment["PATH"] = try standIns(
      in: buddy.home, rate: "10/1", frames: 10, failing: false)
    let slow = try buddy.run(
      ["count", "--exercise", "push-up", "--format", "json", buddy.home + "/clip.mp4"],
      timeout: 300)
    #expect(slow.status == 0, "\(slow.stderr)")
    let again = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
    // The first may have been stopped before it wrote its line.
    #expect(again.last?.contains("fps=10.0") == true, "\(again)")
    #expect(again.dropLast().allSatisfy { $0.contains("fps=15.0") }, "\(again)")
    #expect(slow.stdout.contains(#""clip_seconds":0.9"#), "\(slow.stdout)")  // 10 frames at 10
  }

  @Test(.enabled(if: ffmpegPresent, "ffmpeg not installed"), arguments: ["1", "2"])
  func anUnreadableVideoExits65BeforeMissingModels78(threads: String) throws {
    let models = FileManager.default.temporaryDirectory.appendingPathComponent(
      "buddy-video-start-models-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: models) }
    let buddy = try BuddyProcess(environment: ["BUDDY_MODEL_DIR": models.path])
    defer { buddy.cleanUp() }
    let junk = buddy.home + "/junk.mp4"
    try Data([0, 0, 0, 0x18] + Array("ftypmp42".utf8) + [UInt8](repeating: 7, count: 4000))
      .write(to: URL(fileURLWithPath: junk))
    let result = try buddy.run(["count", "--exercise", "push-up", "--threads", threads, junk])
    #expect(result.status == 65, "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    #expect(result.stderr.contains("not a readable video"))
    #expect(!result.stderr.contains("fetch-pose-models"))
  }

  @Test(
    .enabled(
      if: ffmpegPresent && PoseCommandTests.haveModelsAndFrames,
      "needs ffmpeg, the pose models and realdata"))
  func theCountersGetWhatFFmpegsMJPEGStreamGives() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let video = buddy.home + "/clip.mp4"
    let make = try BuddyProcess.execute(
      "/usr/bin/ffmpeg",
      [
        "-nostdin", "-v", "error", "-framerate", "30", "-i",
        PoseCommandTests.realFrames + "/%05d.jpg", "-frames:v", "40", "-c:v", "libx264",
        "-pix_fmt", "yuv420p", video,
      ], environment: ProcessInfo.processInfo.environment)
    try #require(make.status == 0, "\(make.stderr)")
    // The video counted at push-up's default rate (15, below the video's 30), 1 and 2
    // threads, against ffmpeg's MJPEG stream at that rate piped into `count -` at --fps 15.
    var dumps: [String: Data] = [:]
    for threads in ["1", "2"] {
      let dump = buddy.home + "/video-\(threads).dump"
      let result = try buddy.run(
        [
          "count", "--exercise", "push-up", "--threads", threads, "--dump-frames", dump, video,
        ], timeout: 300)
      #expect(result.status == 0, "\(result.stderr)")
      dumps[threads] = try Data(contentsOf: URL(fileURLWithPath: dump))
    }
    let piped = buddy.home + "/stream.dump"
    let stream = try BuddyProcess.execute(
      "/bin/sh",
      [
        "-c",
        "/usr/bin/ffmpeg -nostdin -v error -i \"$1\" -an -vf fps=15.0 -f mjpeg -q:v 2 - | "
          + "\"$2\" count --exercise push-up --fps 15 --threads 2 --dump-frames \"$3\" -",
        "sh", video, BuddyProcess.binary, piped,
      ], environment: buddy.fullEnvironment, timeout: 300)
    #expect(stream.status == 0, "\(stream.stderr)")
    // The video's first line also carries the rate it was decoded at; the rest is the same.
    let rate = try Regex(#","video_fps":15(\.0)?"#)
    #expect(String(decoding: dumps["2"] ?? Data(), as: UTF8.self).contains(rate))
    func frames(_ dump: Data?) -> [String] {
      String(decoding: dump ?? Data(), as: UTF8.self).replacing(rate, with: "")
        .split(separator: "\n").map(String.init)
    }
    let expected = frames(try Data(contentsOf: URL(fileURLWithPath: piped)))
    #expect(expected.count == 20)
    #expect(frames(dumps["1"]) == expected)
    #expect(frames(dumps["2"]) == expected)
  }

  /// A plain MP4 is counted without starting ffprobe (its header says what ffprobe would);
  /// the same video in Matroska still starts it; both count the same.
  @Test(
    .enabled(
      if: ffmpegPresent && PoseCommandTests.haveModelsAndFrames,
      "needs ffmpeg, the pose models and realdata"))
  func aPlainMP4IsCountedWithoutFFprobe() throws {
    var buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let bin = buddy.home + "/probe-bin"
    try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: bin + "/ffmpeg", withDestinationPath: "/usr/bin/ffmpeg")
    let log = bin + "/ffprobe.log"
    try writeScript(
      bin + "/ffprobe", "#!/bin/sh\necho ran >> '\(log)'\nexec /usr/bin/ffprobe \"$@\"\n")
    buddy.environment["PATH"] = bin
    // 25 fps: times in whole milliseconds, so Matroska's (1 ms) time base keeps them and
    // ffmpeg's fps filter picks the same frames from both containers.
    let make = try BuddyProcess.execute(
      "/usr/bin/ffmpeg",
      [
        "-nostdin", "-v", "error", "-framerate", "25", "-i",
        PoseCommandTests.realFrames + "/%05d.jpg", "-frames:v", "40", "-c:v", "libx264",
        "-pix_fmt", "yuv420p", buddy.home + "/clip.mp4",
      ], environment: ProcessInfo.processInfo.environment)
    try #require(make.status == 0, "\(make.stderr)")
    let copy = try BuddyProcess.execute(
      "/usr/bin/ffmpeg",
      [
        "-nostdin", "-v", "error", "-i", buddy.home + "/clip.mp4", "-c", "copy",
        buddy.home + "/clip.mkv",
      ],
      environment: ProcessInfo.processInfo.environment)
    try #require(copy.status == 0, "\(copy.stderr)")
    var outputs: [String: String] = [:]
    for container in ["mp4", "mkv"] {
      let video = buddy.home + "/clip." + container
      let result = try buddy.run(
        ["count", "--exercise", "push-up", "--threads", "2", "--format", "json", video],
        timeout: 300)
      #expect(result.status == 0, "\(result.stderr)")
      outputs[container] = result.stdout.replacingOccurrences(of: "clip." + container, with: "")
      let ran = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
      #expect(ran == (container == "mp4" ? "" : "ran\n"), "\(container)")
    }
    #expect(outputs["mp4"] == outputs["mkv"] && outputs["mp4"]?.contains("\"reps\"") == true)
  }
}
