import Foundation
import TestSupport
import Testing

private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .appendingPathComponent("../..").standardized.path
/// The probe clip: the shared real-data set next to the checkout (not in the repository).
private let probeFrames = repository + "/../shared/realdata/cases/jumprope-alt04/frames"
private let installedModels =
  ProcessInfo.processInfo.environment["BUDDY_MODEL_DIR"]
  ?? (ProcessInfo.processInfo.environment["XDG_DATA_HOME"]
    ?? FileManager.default.homeDirectoryForCurrentUser.path + "/.local/share")
  + "/exercise-buddy/models"
private let probeAvailable =
  FileManager.default.fileExists(atPath: probeFrames + "/00001.jpg")
  && FileManager.default.fileExists(atPath: installedModels + "/pose_landmark_full.tflite")
  && FileManager.default.isExecutableFile(atPath: "/usr/bin/ffmpeg")

/// `scripts/pose-cache-key.sh`, the key of the variant sweep's pose cache
/// (`scripts/eval-realdata.sh --variants`): it follows the frames a binary's pose gives on a
/// short probe, the model files and ffmpeg, not the source files.
@Suite(
  "Pose cache key", .enabled(if: probeAvailable, "needs ../shared/realdata, the models, ffmpeg"))
struct PoseCacheKeyTests {
  /// Runs the key script (the one in the repository, or `script`) with `binary`; the models
  /// from `models` when given.
  private func key(
    _ buddy: BuddyProcess, binary: String = BuddyProcess.binary,
    script: String = repository + "/scripts/pose-cache-key.sh", models: String? = nil,
    work: String
  ) throws -> BuddyProcess.Result {
    var buddy = buddy
    if let models { buddy.environment["BUDDY_MODEL_DIR"] = models }
    return try buddy.run(
      [script, binary, probeFrames, buddy.home + "/" + work], timeout: 600,
      executable: "/bin/bash")
  }

  /// A stand-in for `buddy` that runs the real one, then appends `line` to the frame dump
  /// when the arguments contain `when` (every run when empty).
  private func wrapper(_ buddy: BuddyProcess, named name: String, line: String, when: String = "")
    throws -> String
  {
    let path = buddy.home + "/" + name
    let script = """
      #!/bin/sh
      "\(BuddyProcess.binary)" "$@" || exit $?
      case " $* " in *"\(when)"*) ;; *) exit 0 ;; esac
      prev=
      for a in "$@"; do
        if [ "$prev" = --dump-frames ]; then printf '%s\\n' '\(line)' >> "$a"; fi
        prev=$a
      done

      """
    try script.write(toFile: path, atomically: true, encoding: .utf8)
    #expect(chmod(path, 0o755) == 0)
    return path
  }

  @Test func theKeyFollowsTheFramesNotTheSources() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let first = try key(buddy, work: "a")
    try #require(first.status == 0, "\(first.stderr)")
    let value = first.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(value.count == 12 && value.allSatisfy(\.isHexDigit), "\(value)")

    // The same script outside the checkout (it reads no source file, so editing a comment in
    // Sources/PoseEstimation cannot change the key), another binary that gives the same
    // frames, and the same models in another directory: the same key.
    let outside = buddy.home + "/pose-cache-key.sh"
    try FileManager.default.copyItem(
      atPath: repository + "/scripts/pose-cache-key.sh", toPath: outside)
    let same = try wrapper(buddy, named: "same-frames", line: "", when: "no such argument")
    let models = buddy.home + "/models-copy"
    try FileManager.default.copyItem(atPath: installedModels, toPath: models)
    let again = try key(buddy, binary: same, script: outside, models: models, work: "b")
    #expect(again.status == 0, "\(again.stderr)")
    #expect(again.stdout == first.stdout)

    // A binary whose frames differ in one line: another key.
    let changed = try wrapper(buddy, named: "other-frames", line: #"{"t":9,"landmarks":null}"#)
    let other = try key(buddy, binary: changed, work: "c")
    #expect(other.status == 0, "\(other.stderr)")
    #expect(other.stdout != first.stdout)
  }

  @Test func framesThatDependOnTheThreadCountAreRefused() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let racy = try wrapper(
      buddy, named: "racy", line: #"{"t":9,"landmarks":null}"#, when: "--threads 2")
    let result = try key(buddy, binary: racy, work: "a")
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    #expect(
      result.stderr.contains("differ between --threads 1 and --threads 2"), "\(result.stderr)")
  }

  @Test func aDamagedModelFailsTheProbeWithOneLine() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let models = buddy.home + "/models"
    try FileManager.default.copyItem(atPath: installedModels, toPath: models)
    let path = models + "/pose_detection.tflite"
    var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    bytes[bytes.count / 2] ^= 0x01
    try bytes.write(to: URL(fileURLWithPath: path))
    let result = try key(buddy, models: models, work: "a")
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.first?.hasPrefix("pose-cache-key: probe jpegs-1") == true, "\(result.stderr)")
    #expect(result.stderr.contains("SHA-256"), "\(result.stderr)")
  }
}
