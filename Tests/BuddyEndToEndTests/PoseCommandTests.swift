import Foundation
import PoseEstimation
import TestSupport
import Testing

/// `buddy pose` end to end: exit codes (checked before the models load), output shape, order,
/// bad frames, MJPEG on standard input, and `buddy count` reading the output back.
@Suite("buddy pose")
struct PoseCommandTests {
  /// The models of the developer's environment (the test HOME is private).
  static let modelDirectory = PoseModelFiles(environment: ProcessInfo.processInfo.environment)
    .directory
  static let realFrames = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("../shared/realdata/cases/pushup-pushfit-c11/frames").path
  static var haveModels: Bool {
    FileManager.default.fileExists(atPath: modelDirectory + "/pose_landmark_full.tflite")
  }
  static var haveModelsAndFrames: Bool {
    haveModels && FileManager.default.fileExists(atPath: realFrames + "/00001.jpg")
  }

  private func scratch() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "buddy-pose-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  private func grayJPEG(width: Int, height: Int) throws -> Data {
    let image = try #require(
      RGBImage(
        width: width, height: height,
        pixels: [UInt8](repeating: 90, count: width * height * 3)))
    return Data(try JPEGDecoder.encode(image))
  }

  @Test func helpHasExamples() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let help = try buddy.run(["pose", "--help"])
    #expect(help.status == 0)
    #expect(help.stdout.contains("Examples:") && help.stdout.contains("--static"))
  }

  @Test func missingSourceAndEmptyDirectoryExit66() throws {
    let buddy = try BuddyProcess(environment: ["BUDDY_MODEL_DIR": "/nonexistent"])
    defer { buddy.cleanUp() }
    let missing = try buddy.run(["pose", "/nonexistent/frames"])
    #expect(missing.status == 66)
    #expect(missing.stderr.hasPrefix("buddy: /nonexistent/frames: "))
    let empty = try scratch()
    defer { try? FileManager.default.removeItem(at: empty) }
    try Data("x".utf8).write(to: empty.appendingPathComponent("notes.txt"))
    let result = try buddy.run(["pose", empty.path])
    #expect(result.status == 66)
    #expect(result.stdout.isEmpty)
  }

  @Test func noDecodableFrameExits65BeforeTheModelsAreNeeded() throws {
    let buddy = try BuddyProcess(environment: ["BUDDY_MODEL_DIR": "/nonexistent"])
    defer { buddy.cleanUp() }
    let dir = try scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    try Data("not a jpeg".utf8).write(to: dir.appendingPathComponent("a.jpg"))
    try Data([0xFF, 0xD8, 0xFF]).write(to: dir.appendingPathComponent("b.jpg"))
    let result = try buddy.run(["pose", "--fps", "15", dir.path])
    #expect(result.status == 65)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("a.jpg") && result.stderr.contains("b.jpg"))
    #expect(result.stderr.contains("no frame could be decoded"))
  }

  @Test func missingModelsExit78NamingTheFetchScript() throws {
    let models = try scratch()
    defer { try? FileManager.default.removeItem(at: models) }
    let buddy = try BuddyProcess(environment: ["BUDDY_MODEL_DIR": models.path])
    defer { buddy.cleanUp() }
    let photo = models.appendingPathComponent("photo.jpg")
    try grayJPEG(width: 32, height: 24).write(to: photo)
    let result = try buddy.run(["pose", "--fps", "15", photo.path])
    #expect(result.status == 78)
    #expect(result.stderr.contains("scripts/fetch-pose-models.sh"))
    #expect(result.stderr.split(separator: "\n").count == 1)
  }

  @Test(.enabled(if: haveModelsAndFrames, "needs the pose models and ../shared/realdata"))
  func directoryGivesOneLinePerFrameInNaturalOrderSkippingBadFrames() throws {
    let buddy = try BuddyProcess(environment: ["BUDDY_MODEL_DIR": Self.modelDirectory])
    defer { buddy.cleanUp() }
    let dir = try scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    let manager = FileManager.default
    try manager.copyItem(
      atPath: Self.realFrames + "/00001.jpg", toPath: dir.appendingPathComponent("frame2.jpg").path)
    try manager.copyItem(
      atPath: Self.realFrames + "/00002.jpg", toPath: dir.appendingPathComponent("frame10.jpg").path
    )
    try Data("broken".utf8).write(to: dir.appendingPathComponent("frame3.jpg"))
    try grayJPEG(width: 40, height: 30).write(to: dir.appendingPathComponent("frame4.JPG"))
    let result = try buddy.run(["pose", "--fps", "15", dir.path], timeout: 300)
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    try #require(lines.count == 4)
    let objects = try lines.map {
      try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
    #expect(objects[0]["width"] as? Int == 480 && objects[0]["height"] as? Int == 270)
    #expect(objects[1]["width"] == nil)
    let times = objects.map { $0["t"] as? Double ?? -1 }
    #expect(zip(times, [0, 1.0 / 15, 2.0 / 15, 3.0 / 15]).allSatisfy { abs($0 - $1) < 1e-5 })
    for index in [0, 3] {
      let landmarks = try #require(objects[index]["landmarks"] as? [[Double]])
      #expect(landmarks.count == 33 && landmarks.allSatisfy { $0.count == 4 })
      #expect(objects[index]["error"] == nil)
    }
    for index in [1, 2] {
      #expect(objects[index]["landmarks"] is NSNull)
      #expect(objects[index]["error"] is String)
    }
    let warnings = result.stderr.split(separator: "\n").filter { $0.contains("warning") }
    #expect(warnings.count == 2)
    #expect(warnings[0].contains("frame3.jpg") && warnings[1].contains("frame4.JPG"))
    // `buddy count` reads the output back unchanged.
    let output = dir.appendingPathComponent("landmarks.jsonl")
    try Data(result.stdout.utf8).write(to: output)
    let count = try buddy.run(["count", "--exercise", "push-up", "--format", "json", output.path])
    #expect(count.status == 0, "\(count.stderr)")
  }

  @Test(.enabled(if: haveModelsAndFrames, "needs the pose models and ../shared/realdata"))
  func threadsChangeTheSpeedNotTheOutput() throws {
    let buddy = try BuddyProcess(environment: ["BUDDY_MODEL_DIR": Self.modelDirectory])
    defer { buddy.cleanUp() }
    let dir = try scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    for index in 1...20 {
      let name = String(format: "%05d.jpg", index)
      try FileManager.default.copyItem(
        atPath: Self.realFrames + "/" + name, toPath: dir.appendingPathComponent(name).path)
    }
    let one = try buddy.run(["pose", "--fps", "15", "--threads", "1", dir.path], timeout: 300)
    let two = try buddy.run(["pose", "--fps", "15", "--threads", "2", dir.path], timeout: 300)
    #expect(one.status == 0 && two.status == 0, "\(one.stderr) \(two.stderr)")
    #expect(one.stdout.split(separator: "\n").count == 20)
    #expect(two.stdout == one.stdout)
    // The same frames named one by one: one sequence, the same lines.
    let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    let listed = try buddy.run(
      ["pose", "--fps", "15"] + names.map { dir.appendingPathComponent($0).path }, timeout: 300)
    #expect(listed.status == 0, "\(listed.stderr)")
    #expect(listed.stdout == one.stdout)
    let mixed = try buddy.run(["pose", dir.appendingPathComponent(names[0]).path, dir.path])
    #expect(mixed.status == 64)
    let zero = try buddy.run(["pose", "--threads", "0", dir.path])
    #expect(zero.status == 64)
    #expect(zero.stderr.contains("--threads must be 1 to 64"))
  }

  @Test(.enabled(if: haveModels, "needs the pose models"))
  func mjpegStreamOnStandardInput() throws {
    let buddy = try BuddyProcess(environment: ["BUDDY_MODEL_DIR": Self.modelDirectory])
    defer { buddy.cleanUp() }
    let frame = try grayJPEG(width: 64, height: 48)
    // A frame with no person, then a frame cut off by the end of the stream.
    let stream = frame + frame.prefix(frame.count / 2)
    let result = try BuddyProcess.execute(
      BuddyProcess.binary, ["pose", "--static", "-"], environment: buddy.fullEnvironment,
      stdin: stream, timeout: 300)
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n")
    try #require(lines.count == 2)
    #expect(lines[0] == #"{"t":0,"width":64,"height":48,"landmarks":null}"#)
    #expect(lines[1].hasPrefix(#"{"t":0.033333,"landmarks":null,"error":"#))
    #expect(result.stderr.contains("30 fps"))
    #expect(result.stderr.contains("<stdin> frame 1"))
  }
}
