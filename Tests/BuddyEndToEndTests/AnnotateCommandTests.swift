import Foundation
import PoseEstimation
import TestSupport
import Testing

private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures").path
private let realCase = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .appendingPathComponent("../../../shared/realdata/cases/pushup-pushfit-c11").standardized.path
private let realCasePresent = FileManager.default.fileExists(atPath: realCase + "/frames")
private let ffmpegPresent =
  FileManager.default.isExecutableFile(atPath: "/usr/bin/ffmpeg")
  && FileManager.default.isExecutableFile(atPath: "/usr/bin/ffprobe")

/// `count --annotate` and `record --annotate` run as a user would: the frames written, their
/// size, the skeleton where the landmarks are, and the video's frame count.
@Suite struct AnnotateCommandTests {
  /// The joint colour (magenta) of the annotator; JPEG moves it a little.
  static let joint = (red: 255, green: 0, blue: 200)

  /// The frames of a landmark document: each one's landmarks as (x, y, visibility).
  static func landmarks(_ path: String) throws -> (
    frames: [[(x: Double, y: Double, visibility: Double)]], width: Int?, height: Int?
  ) {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let frames = try #require(document["frames"] as? [[String: Any]])
    let parsed = try frames.map { frame in
      let marks = try #require(frame["landmarks"] as? [[Double]])
      return marks.map { (x: $0[0], y: $0[1], visibility: $0.count > 3 ? $0[3] : 1) }
    }
    return (parsed, document["width"] as? Int, document["height"] as? Int)
  }

  static func decode(_ path: String) throws -> RGBImage {
    try JPEGDecoder().decode(contentsOfFile: path)
  }

  static func isJointColour(_ pixel: (red: UInt8, green: UInt8, blue: UInt8)) -> Bool {
    abs(Int(pixel.red) - joint.red) <= 60 && abs(Int(pixel.green) - joint.green) <= 60
      && abs(Int(pixel.blue) - joint.blue) <= 60
  }

  /// A landmark seen well, away from the panel (top left) and the gauge (top right): the hips
  /// (MediaPipe 23, 24), else any with visibility ≥ 0.9 in the lower two thirds.
  static func drawnLandmark(_ marks: [(x: Double, y: Double, visibility: Double)]) -> (
    x: Double, y: Double
  )? {
    let candidates = [23, 24].filter { $0 < marks.count } + Array(marks.indices)
    for index in candidates {
      let mark = marks[index]
      if mark.visibility >= 0.9, mark.y > 0.4, mark.y < 0.95, mark.x > 0.05, mark.x < 0.95 {
        return (mark.x, mark.y)
      }
    }
    return nil
  }

  @Test func drawsOneFramePerLandmarkFrameOnAPlainBackground() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let input = fixtures + "/mp33-side-30fps-steady.json"
    let out = buddy.home + "/annotated"
    let result = try buddy.run(["count", "--exercise", "push-up", "--annotate", out, input])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasPrefix("push-up: 6 reps"))
    let document = try Self.landmarks(input)
    let names = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
    #expect(names.count == document.frames.count)
    #expect(names.first == "00001.jpg")
    #expect(names.last == String(format: "%05d.jpg", document.frames.count))

    let width = try #require(document.width)
    let height = try #require(document.height)
    var flashes = 0
    for (index, marks) in document.frames.enumerated() {
      let image = try Self.decode(out + "/" + names[index])
      #expect(image.width == width && image.height == height)
      // A counted rep flashes a green border on its frame.
      let edge = image.pixel(x: 2, y: height / 2)
      if edge.green > 180 && edge.red < 80 { flashes += 1 }
      if index % 50 == 0, let mark = Self.drawnLandmark(marks) {
        let pixel = image.pixel(x: Int(mark.x * Double(width)), y: Int(mark.y * Double(height)))
        #expect(Self.isJointColour(pixel), "frame \(index + 1): \(pixel)")
      }
    }
    #expect(flashes == 6)
  }

  @Test(.enabled(if: realCasePresent, "../shared/realdata/cases/pushup-pushfit-c11 not found"))
  func drawsOnTheGivenFramesAtTheirSize() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let out = buddy.home + "/on-frames"
    let result = try buddy.run([
      "count", "--exercise", "push-up", "--annotate", out, "--frames", realCase + "/frames",
      realCase + "/landmarks.json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let document = try Self.landmarks(realCase + "/landmarks.json")
    let names = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
    #expect(names.count == document.frames.count)
    let source = try Self.decode(realCase + "/frames/00001.jpg")
    for index in [0, names.count / 2, names.count - 1] {
      let image = try Self.decode(out + "/" + names[index])
      #expect(image.width == source.width && image.height == source.height)
      let mark = try #require(Self.drawnLandmark(document.frames[index]))
      let pixel = image.pixel(
        x: Int(mark.x * Double(image.width)), y: Int(mark.y * Double(image.height)))
      #expect(Self.isJointColour(pixel), "frame \(index + 1): \(pixel)")
    }
    // The drawing is over the photo, not a plain background: a corner keeps the photo's colour.
    let first = try Self.decode(out + "/" + names[0])
    let photo = source.pixel(x: source.width / 2, y: source.height - 5)
    let drawn = first.pixel(x: source.width / 2, y: source.height - 5)
    #expect(
      abs(Int(photo.red) - Int(drawn.red)) < 30 && abs(Int(photo.blue) - Int(drawn.blue)) < 30)
  }

  @Test(.enabled(if: ffmpegPresent, "ffmpeg/ffprobe not installed"))
  func writesAVideoWithOneFramePerInputFrame() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let input = fixtures + "/squat-mp33-side-30fps-steady.json"
    let video = buddy.home + "/counted.mp4"
    let result = try buddy.run(["count", "--annotate", video, input])
    #expect(result.status == 0, "\(result.stderr)")
    let probe = try BuddyProcess.execute(
      "/usr/bin/ffprobe",
      [
        "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
        "stream=nb_read_frames,width,height,avg_frame_rate", "-of", "default=noprint_wrappers=1",
        video,
      ], environment: ProcessInfo.processInfo.environment)
    #expect(probe.status == 0, "\(probe.stderr)")
    let document = try Self.landmarks(input)
    #expect(probe.stdout.contains("nb_read_frames=\(document.frames.count)\n"), "\(probe.stdout)")
    #expect(probe.stdout.contains("width=\(document.width ?? 640)\n"))
    #expect(probe.stdout.contains("avg_frame_rate=30/1\n"), "\(probe.stdout)")
  }

  @Test(
    .enabled(if: ffmpegPresent, "ffmpeg/ffprobe not installed"),
    .enabled(if: realCasePresent, "../shared/realdata/cases/pushup-pushfit-c11 not found"))
  func drawsImageInputOnItsOwnFramesIntoAVideo() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let video = buddy.home + "/frames.mp4"
    let result = try buddy.run(["count", "--fps", "15", "--annotate", video, realCase + "/frames"])
    #expect(result.status == 0, "\(result.stderr)")
    let frames = try FileManager.default.contentsOfDirectory(atPath: realCase + "/frames")
      .filter { $0.hasSuffix(".jpg") }
    let source = try Self.decode(realCase + "/frames/00001.jpg")
    let probe = try BuddyProcess.execute(
      "/usr/bin/ffprobe",
      [
        "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
        "stream=nb_read_frames,width,height,avg_frame_rate", "-of", "default=noprint_wrappers=1",
        video,
      ], environment: ProcessInfo.processInfo.environment)
    #expect(probe.stdout.contains("nb_read_frames=\(frames.count)\n"), "\(probe.stdout)")
    #expect(probe.stdout.contains("width=\(source.width)\nheight=\(source.height)\n"))
    #expect(probe.stdout.contains("avg_frame_rate=15/1\n"), "\(probe.stdout)")
  }

  @Test func aVideoWithoutFFmpegExits69() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    var environment = buddy.fullEnvironment
    environment["PATH"] = buddy.home + "/no-programs"
    let result = try BuddyProcess.execute(
      BuddyProcess.binary,
      ["count", "--annotate", buddy.home + "/out.mp4", fixtures + "/mp33-side-15fps-steady.json"],
      environment: environment)
    #expect(result.status == 69)
    #expect(result.stderr.contains("writing a video needs ffmpeg"), "\(result.stderr)")
  }

  @Test func refusesWhatItCannotDraw() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let input = fixtures + "/mp33-side-15fps-steady.json"
    let withoutAnnotate = try buddy.run(["count", "--frames", buddy.home, input])
    #expect(withoutAnnotate.status == 64)
    #expect(withoutAnnotate.stderr.contains("--frames DIR goes with --annotate OUT"))

    let full = buddy.home + "/full"
    try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: full + "/keep.txt", contents: Data("x".utf8))
    let nonEmpty = try buddy.run(["count", "--annotate", full, input])
    #expect(nonEmpty.status == 64)
    #expect(nonEmpty.stderr.contains("already holds files"), "\(nonEmpty.stderr)")

    let two = try buddy.run([
      "count", "--annotate", buddy.home + "/two", input, fixtures + "/mp33-side-30fps-steady.json",
    ])
    #expect(two.status == 64)
    #expect(two.stderr.contains("draws one input"), "\(two.stderr)")
  }

  @Test func recordRefusesToAnnotateAManualEntry() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let manual = try buddy.run([
      "record", "--exercise", "push-up", "--reps", "3", "--duration", "1m", "--annotate",
      buddy.home + "/manual",
    ])
    #expect(manual.status == 64)
    #expect(manual.stderr.contains("not a manual entry"), "\(manual.stderr)")
  }
}
