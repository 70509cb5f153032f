import Foundation
import TestSupport
import Testing

private let realdataCases = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .appendingPathComponent("../../../shared/realdata/cases").standardized.path
private let realdataPresent = FileManager.default.fileExists(atPath: realdataCases)

/// Counting straight from JPEG frames, MJPEG streams and video files (the dev clips of
/// ../shared/realdata; skipped when that folder is absent).
@Suite(
  "Counting from frames and video",
  .enabled(if: realdataPresent, "../shared/realdata not found: skipped"))
struct CountFromFramesTests {
  private func frames(_ name: String) -> String { "\(realdataCases)/\(name)/frames" }

  @Test func aDirectoryOfFramesIsOneSession() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let result = try buddy.run(["count", "--fps", "15", frames("pushup-pushfit-c11")])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasPrefix("push-up: 1 rep "))
  }

  @Test func anMJPEGStreamCountsLikeItsDirectory() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let directory = frames("pushup-pushfit-w94")
    let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    var stream = Data()
    for name in names {
      stream.append(try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(name)")))
    }
    let fromDirectory = try buddy.run(["count", "--format", "json", "--fps", "15", directory])
    let fromStream = try BuddyProcess.execute(
      BuddyProcess.binary, ["count", "--format", "json", "--fps", "15", "-"],
      environment: buddy.fullEnvironment, stdin: stream)
    #expect(fromStream.status == 0, "\(fromStream.stderr)")
    func reps(_ json: String) -> Substring? {
      json.firstRange(of: #""reps":"#).map { json[$0.upperBound...].prefix { $0.isNumber } }
    }
    #expect(reps(fromDirectory.stdout) == "3")
    #expect(reps(fromStream.stdout) == reps(fromDirectory.stdout))
  }

  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/ffmpeg")))
  func aVideoMadeFromTheFramesCountsLikeTheFrames() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let video = buddy.home + "/jump.mp4"
    let make = try BuddyProcess.execute(
      "/usr/bin/ffmpeg",
      [
        "-v", "error", "-framerate", "29.97", "-i", frames("jumprope-alt04") + "/%05d.jpg", "-c:v",
        "libx264", "-pix_fmt", "yuv420p", "-crf", "12", video,
      ], environment: ProcessInfo.processInfo.environment)
    try #require(make.status == 0, "\(make.stderr)")
    let fromFrames = try buddy.run(["count", "--fps", "29.97", frames("jumprope-alt04")])
    let fromVideo = try buddy.run(["count", "--fps", "29.97", video])
    #expect(fromVideo.status == 0, "\(fromVideo.stderr)")
    #expect(fromFrames.stdout.hasPrefix("jump-rope: 8 reps"))
    #expect(fromVideo.stdout.hasPrefix("jump-rope: 8 reps"), "\(fromVideo.stdout)")
  }

  @Test(
    .enabled(
      if: TestDatabase.isAvailable
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/ffmpeg")
    ))
  func importFindsVideosInDirectories() throws {
    let user = try SignedInUser("videos")
    defer { user.close() }
    let (database, buddy) = (user.database, user.buddy)
    let folder = buddy.home + "/videos/rope"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let make = try BuddyProcess.execute(
      "/usr/bin/ffmpeg",
      [
        "-v", "error", "-framerate", "29.97", "-i", frames("jumprope-alt04") + "/%05d.jpg", "-c:v",
        "libx264", "-pix_fmt", "yuv420p", "-crf", "12", folder + "/Jump.MP4",
      ], environment: ProcessInfo.processInfo.environment)
    try #require(make.status == 0, "\(make.stderr)")
    let imported = try buddy.run(["import", "--format", "json", buddy.home + "/videos"])
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stdout.contains(#""imported":1"#), "\(imported.stdout)")
    let stored = try #require(
      try database.connect().query(
        "SELECT reps_count, details->'source'->>'format' FROM workouts"
      ).first)
    #expect(try stored.decode(0, as: Int32.self) == 8)
    #expect(try stored.decode(1, as: String.self) == "video")
  }

  @Test func withoutFFmpegAVideoIsExit69WithTheInstallCommand() throws {
    var buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    buddy.environment["PATH"] = "/nonexistent-bin"
    let video = buddy.home + "/clip.mp4"
    try Data([0, 0, 0, 0x18] + Array("ftypmp42".utf8) + [UInt8](repeating: 0, count: 64)).write(
      to: URL(fileURLWithPath: video))
    let result = try buddy.run(["count", video])
    #expect(result.status == 69)
    #expect(result.stderr.contains("apt-get install -y ffmpeg"))
  }

  @Test(.enabled(if: TestDatabase.isAvailable))
  func recordAndImportTakeFrameDirectoriesWithADigestOverTheFrames() throws {
    let user = try SignedInUser("frames")
    defer { user.close() }
    let (database, buddy) = (user.database, user.buddy)
    let directory = frames("pushup-pushfit-c11")
    let record = try buddy.run(["record", "--fps", "15", directory])
    #expect(record.status == 0, "\(record.stderr)")
    #expect(record.stdout.contains("Saved push-up: 1 rep"))
    let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    let hasher = try ChildRun(
      "/bin/sh", ["-c", "cd '\(directory)' && cat \(names.joined(separator: " ")) | sha256sum"]
    ).run()
    let expected = hasher.stdoutText.prefix(64)
    let stored = try #require(
      try database.connect().query(
        "SELECT encode(source_digest, 'hex'), details->'source'->>'format' FROM workouts"
      ).first)
    #expect(try stored.decode(0, as: String.self) == String(expected))
    #expect(try stored.decode(1, as: String.self) == "jpeg-directory")

    // import: the same frame directory is skipped; a second one is one more session.
    let folder = buddy.home + "/sessions"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: directory, toPath: folder + "/c11")
    try FileManager.default.copyItem(atPath: frames("pushup-pushfit-w94"), toPath: folder + "/w94")
    let imported = try buddy.run(["import", "--fps", "15", folder])
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stdout == "imported 1, skipped 1 (already recorded), empty 0, failed 0\n")

    // The same frames named one by one (a shell glob) are the same session: same digest.
    let files = names.map { "\(directory)/\($0)" }
    let again = try buddy.run(["record", "--fps", "15"] + files)
    #expect(again.status == 0, "\(again.stderr)")
    #expect(again.stdout.contains("Already recorded"), "\(again.stdout)")
    let two = try buddy.run(["record", "--fps", "15", directory, directory])
    #expect(two.status == 64)
    #expect(two.stderr.contains("record saves one session"))
  }

  @Test func jpegFilesNamedOneByOneAreOneSession() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let directory = frames("pushup-pushfit-w94")
    let files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
      .map { "\(directory)/\($0)" }
    let fromDirectory = try buddy.run(["count", "--format", "json", "--fps", "15", directory])
    let fromFiles = try buddy.run(["count", "--format", "json", "--fps", "15"] + files)
    #expect(fromFiles.status == 0, "\(fromFiles.stderr)")
    let lines = fromFiles.stdout.split(separator: "\n")
    try #require(lines.count == 1)
    #expect(lines[0].contains("(\(files.count) files)"))
    func reps(_ json: Substring) -> Substring? {
      json.firstRange(of: #""reps":"#).map { json[$0.upperBound...].prefix { $0.isNumber } }
    }
    #expect(reps(lines[0]) != nil && reps(lines[0]) == reps(Substring(fromDirectory.stdout)))
    // A missing file in the list is named, exit 66, before any counting.
    let missing = try buddy.run(["count", "--fps", "15", files[0], directory + "/nope.jpg"])
    #expect(missing.status == 66)
    #expect(missing.stderr.contains("nope.jpg: no such file or directory"))
  }
}
