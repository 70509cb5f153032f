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

  /// `count DIR` reads what `import DIR` reads: `.ndjson` files too, in subdirectories too.
  @Test func countsTheNDJSONFilesOfADirectoryLikeImport() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "count-ndjson-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: directory.appendingPathComponent("deeper"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try FileManager.default.copyItem(
      atPath: Self.fixtures + "/coco17-oblique30-15fps-starts-ends-mid-rep.jsonl",
      toPath: directory.path + "/session.ndjson")
    try FileManager.default.copyItem(
      atPath: Self.fixtures + "/mp33-side-15fps-steady.json",
      toPath: directory.path + "/deeper/steady.JSON")
    let result = try run(["count", "--exercise", "push-up", directory.path])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count == 2, "\(result.stdout)")
    #expect(lines.first?.hasPrefix(directory.path + "/deeper/steady.JSON: push-up: 6 reps") == true)
    #expect(lines.last?.hasPrefix(directory.path + "/session.ndjson: push-up: 6 reps") == true)
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
    #expect(result.stderr.contains("no .json, .jsonl or .ndjson file"))
  }

  @Test func usageErrorsExit64() throws {
    #expect(try run(["count"]).status == 64)
    #expect(try run(["count", "--exercise", "push-up", "--fps", "0", "x.json"]).status == 64)
    #expect(try run(["count", "--exercise", "push-up", "--size", "big", "x.json"]).status == 64)
    #expect(try run(["count", "--exercise", "burpee", "x.json"]).status == 64)
  }

  @Test func helpShowsExamples() throws {
    let result = try run(["count", "--help"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("cat session.jsonl | buddy count --exercise push-up -"))
  }

  @Test func autoDetectsJumpRopeByDefault() throws {
    let result = try run(["count", Self.fixtures + "/rope-mp33-front-30fps-two-foot-bounce.json"])
    #expect(result.status == 0)
    #expect(result.stdout.hasPrefix("jump-rope: 14 reps in 0:0"))
    #expect(result.stdout.contains("/s)"))
  }

  @Test func jsonShowsTheDetectionAndLandingTimes() throws {
    let result = try run([
      "count", "--format", "json",
      Self.fixtures + "/rope-coco17-front-30fps-double-unders-fast.json",
    ])
    #expect(result.status == 0)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(object["exercise"] as? String == "jump-rope")
    let detected = try #require(object["detected"] as? [String: Any])
    #expect(detected["exercise"] as? String == "jump-rope")
    #expect((detected["confidence"] as? Double ?? 0) > 0.5)
    #expect(object["reps"] as? Int == 16)
    let details = try #require(object["reps_detail"] as? [[String: Any]])
    #expect(details.count == 16)
    #expect(details.allSatisfy { $0["landing"] is Double && $0["takeoff"] is Double })
    #expect(object["engine_version"] as? String == "jump-rope/11")
    #expect((object["notes"] as? [Any])?.isEmpty == true)
    #expect((object["other_exercises"] as? [Any])?.isEmpty == true)
  }

  @Test func walkingIsNeitherExercise() throws {
    let path = Self.fixtures + "/walk-coco17-side-30fps.json"
    let text = try run(["count", path])
    #expect(text.status == 0)
    #expect(text.stdout.hasPrefix("none: 0 reps"))
    let json = try run(["count", "--format", "json", path])
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(object["exercise"] as? String == "none")
    #expect((object["detected"] as? [String: Any])?["exercise"] as? String == "none")
    #expect(object["reps"] as? Int == 0)
  }

  @Test func mixedSessionCountsBoth() throws {
    let result = try run([
      "count", Self.fixtures + "/mixed-coco17-side-30fps-pushups-then-rope.jsonl",
    ])
    #expect(result.status == 0)
    #expect(result.stdout.hasPrefix("jump-rope: 12 reps"))
    #expect(result.stdout.contains("also push-up: 4 reps"))
  }

  @Test func exerciseOverridesDetection() throws {
    let result = try run([
      "count", "--exercise", "push-up",
      Self.fixtures + "/rope-mp33-front-30fps-two-foot-bounce.json",
    ])
    #expect(result.status == 0)
    #expect(result.stdout.hasPrefix("push-up: 0 reps"))
  }

  @Test func followPrintsEachRepThenTheSummary() throws {
    let text = try String(
      contentsOfFile: Self.fixtures + "/rope-coco17-front-30fps-alternate-foot-fast.json",
      encoding: .utf8)
    let result = try run(["count", "--follow", "-"], stdin: text)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(result.status == 0)
    #expect(lines.count == 29)
    #expect(lines.first?.hasPrefix("rep   1   0:0") == true)
    #expect(lines[27].hasPrefix("rep  28   0:0"))
    #expect(lines[27].hasSuffix("  jump-rope"))
    #expect(lines.last?.hasPrefix("jump-rope: 28 reps") == true)
  }

  /// Frames written through a pipe at three times real time: every rep line must arrive before
  /// standard input is closed, shortly after the frame that completed the rep was written.
  @Test func followStreamsLinesBeforeEndOfInput() throws {
    let text = try String(
      contentsOfFile: Self.fixtures + "/rope-mp33-front-30fps-two-foot-bounce.json",
      encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    final class Arrivals: @unchecked Sendable {
      let lock = NSLock()
      var lines: [(Date, String)] = []
      var buffer = ""
    }
    let arrivals = Arrivals()
    let process = try ChildRun(
      BuddyProcess.binary,
      ["count", "--follow", "--format", "json", "--exercise", "jump-rope", "-"],
      environment: .exactly(buddy.fullEnvironment), stdin: .pipe,
      stdout: .stream { data in
        let chunk = String(decoding: data, as: UTF8.self)
        arrivals.lock.lock()
        arrivals.buffer += chunk
        while let newline = arrivals.buffer.firstIndex(of: "\n") {
          arrivals.lines.append((Date(), String(arrivals.buffer[..<newline])))
          arrivals.buffer = String(arrivals.buffer[arrivals.buffer.index(after: newline)...])
        }
        arrivals.lock.unlock()
      }, stderr: .discard
    ).start()
    var written: [(Double, Date)] = []  // frame time, when it was written
    for line in lines {
      try process.write(Data((line + "\n").utf8))
      if let range = line.range(of: "\"t\":") {
        let number = line[range.upperBound...].prefix { "0123456789.".contains($0) }
        if let time = Double(number) {
          written.append((time, Date()))
          Thread.sleep(forTimeInterval: 1.0 / 90)
        }
      }
    }
    // Before closing stdin: the rep lines must already be there.
    Thread.sleep(forTimeInterval: 0.3)
    arrivals.lock.lock()
    let beforeEOF = arrivals.lines
    arrivals.lock.unlock()
    process.closeInput()
    let ended = process.wait(timeout: 120) ?? process.terminate()
    #expect(ended?.termination == .exited(0))
    let events = beforeEOF.compactMap { arrival -> (Date, [String: Any])? in
      guard
        let object = try? JSONSerialization.jsonObject(with: Data(arrival.1.utf8))
          as? [String: Any], object["event"] as? String == "rep"
      else { return nil }
      return (arrival.0, object)
    }
    #expect(events.count == 14)
    var latencies: [Double] = []
    for (arrived, object) in events {
      let time = try #require(object["final_at"] as? Double)
      let sent = try #require(written.first { abs($0.0 - time) < 0.0005 }?.1)
      latencies.append(arrived.timeIntervalSince(sent))
    }
    let sorted = latencies.sorted()
    print(
      "--follow latency (completing frame written -> line read) over \(sorted.count) reps: "
        + "median \(sorted[sorted.count / 2]) s, worst \(sorted.last ?? 0) s")
    #expect((sorted.last ?? 1) < 0.25)
  }
}
