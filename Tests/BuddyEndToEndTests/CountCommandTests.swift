import Foundation
import TestSupport
import Testing

/// `buddy count` run as a user would: exit codes, stdout and stderr.
@Suite struct CountCommandTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures").path

  func run(_ arguments: [String], stdin: String? = nil) throws -> BuddyProcess.Result {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    return try buddy.run(arguments, stdin: stdin)
  }

  func temporaryFile(_ text: String, name: String = "input.json") throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "count-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let path = directory.appendingPathComponent(name).path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test func countsAFixtureAsText() throws {
    let result = try run(
      ["count", "--exercise", "push-up", Self.fixtures + "/mp33-side-15fps-steady.json"])
    #expect(result.status == 0)
    #expect(result.stdout.hasPrefix("push-up: 6 reps in 0:"))
    #expect(result.stdout.contains("cadence"))
    #expect(result.stderr.isEmpty)
  }

  @Test func countsAFixtureAsJSON() throws {
    let result = try run([
      "count", "--exercise", "push-up", "--format", "json",
      Self.fixtures + "/mp33-oblique45-30fps-partials.json",
    ])
    #expect(result.status == 0)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(object["exercise"] as? String == "push-up")
    #expect(object["reps"] as? Int == 5)
    #expect(object["partial_reps"] as? Int == 2)
    #expect((object["reps_detail"] as? [Any])?.count == 5)
    #expect(object["engine_version"] as? String == "push-up/1")
  }

  @Test func readsJSONLinesFromStandardInput() throws {
    let text = try String(
      contentsOfFile: Self.fixtures + "/coco17-oblique30-15fps-starts-ends-mid-rep.jsonl",
      encoding: .utf8)
    let result = try run(["count", "--exercise", "push-up", "-"], stdin: text)
    #expect(result.status == 0)
    #expect(result.stdout.hasPrefix("push-up: 6 reps"))
  }

  @Test func countsEveryFileOfADirectory() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "count-dir-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    for name in ["mp33-side-15fps-steady.json", "coco17-oblique30-15fps-starts-ends-mid-rep.jsonl"]
    {
      try FileManager.default.copyItem(
        atPath: Self.fixtures + "/" + name, toPath: directory.path + "/" + name)
    }
    let result = try run(["count", "--exercise", "push-up", directory.path])
    #expect(result.status == 0)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count == 2)
    #expect(
      lines.first?.hasSuffix("coco17-oblique30-15fps-starts-ends-mid-rep.jsonl: push-up: 6 reps")
        == false)
    #expect(
      lines.first?.contains("coco17-oblique30-15fps-starts-ends-mid-rep.jsonl: push-up: 6 reps")
        == true)
    #expect(lines.last?.contains("mp33-side-15fps-steady.json: push-up: 6 reps") == true)
  }

  @Test func zeroRepsStillExitsZero() throws {
    let path = try temporaryFile("{\"fps\": 30, \"frames\": []}")
    let result = try run(["count", "--exercise", "push-up", path])
    #expect(result.status == 0)
    #expect(result.stdout == "push-up: 0 reps\n")
  }

  @Test func notesTheAssumedFrameRate() throws {
    let frame = "{\"landmarks\": null}"
    let path = try temporaryFile([frame, frame].joined(separator: "\n"), name: "x.jsonl")
    let result = try run(["count", "--exercise", "push-up", path])
    #expect(result.status == 0)
    #expect(result.stderr.contains("assuming 30 fps"))
  }

  @Test func badDataExits65WithThePosition() throws {
    let path = try temporaryFile(
      "{\"fps\": 30, \"frames\": [\n  {\"t\": 0, \"landmarks\": [[1, 2, NaN]]}\n]}")
    let result = try run(["count", "--exercise", "push-up", path])
    #expect(result.status == 65)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.hasPrefix("buddy: \(path):2:"))
    #expect(result.stderr.contains("found NaN"))
  }

  @Test func emptyInputExits65() throws {
    let result = try run(["count", "--exercise", "push-up", "-"], stdin: "")
    #expect(result.status == 65)
    #expect(result.stderr == "buddy: <stdin>:1:1: empty input\n")
  }

  @Test func truncatedDocumentExits65() throws {
    let path = try temporaryFile("{\"frames\": [{\"t\": 0, \"landmarks\": null}")
    let result = try run(["count", "--exercise", "push-up", path])
    #expect(result.status == 65)
    #expect(result.stderr.contains("end of input"))
  }

  @Test func missingFileExits66() throws {
    let result = try run(["count", "--exercise", "push-up", "/nonexistent/session.json"])
    #expect(result.status == 66)
    #expect(result.stderr.hasPrefix("buddy: /nonexistent/session.json: no such file"))
  }

  @Test func emptyDirectoryExits66() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "count-empty-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let result = try run(["count", "--exercise", "push-up", directory.path])
    #expect(result.status == 66)
    #expect(result.stderr.contains("no .json or .jsonl file"))
  }

  @Test func autoIsRefusedForNow() throws {
    let result = try run(["count", "--exercise", "auto", "-"], stdin: "")
    #expect(result.status == 64)
    #expect(result.stderr.contains("--exercise push-up"))
  }

  @Test func usageErrorsExit64() throws {
    #expect(try run(["count", "x.json"]).status == 64)
    #expect(try run(["count", "--exercise", "push-up", "--fps", "0", "x.json"]).status == 64)
    #expect(try run(["count", "--exercise", "push-up", "--size", "big", "x.json"]).status == 64)
    #expect(try run(["count", "--exercise", "squat", "x.json"]).status == 64)
  }

  @Test func helpShowsExamples() throws {
    let result = try run(["count", "--help"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("cat session.jsonl | buddy count --exercise push-up -"))
  }
}
