import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The tests' posix_spawn helper: statuses and signals told apart, both output streams read at
/// once, standard input from bytes, a file or a pipe, timeouts that kill, and no descriptor
/// leaking into the child or staying open in the test process.
@Suite("ChildRun")
struct ChildRunTests {
  /// Entries of /proc/self/fd: the descriptors open in this process.
  static func openDescriptors() -> Int {
    ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).count
  }

  /// Whether `pid` is gone or a zombie (dead, not yet reaped by its new parent).
  static func isDead(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = stat.lastIndex(of: ")")
    else { return true }
    return stat[stat.index(close, offsetBy: 2)] == "Z"
  }

  /// Fields after the command name of /proc/PID/stat text: state, ppid, pgrp, …
  static func statFields(_ stat: String) -> [Substring] {
    guard let close = stat.lastIndex(of: ")") else { return [] }
    return stat[stat.index(after: close)...].split(separator: " ")
  }

  @Test(arguments: [0, 1, 3, 78, 255] as [Int32])
  func reportsTheExitStatus(status: Int32) throws {
    let result = try ChildRun("/bin/sh", ["-c", "exit \(status)"]).run(timeout: 30)
    #expect(result.termination == .exited(status))
    #expect(result.status == status)
  }

  @Test(arguments: [SIGTERM, SIGKILL, SIGSEGV])
  func reportsASignalApartFromAnExitStatus(signal: Int32) throws {
    let result = try ChildRun("/bin/sh", ["-c", "kill -\(signal) $$"]).run(timeout: 30)
    #expect(result.termination == .signalled(signal))
    #expect(result.status == 128 + signal)
    #expect(result.termination != .exited(128 + signal))
  }

  @Test func readsLargeOutputOnBothStreamsWithoutBlocking() throws {
    // 3 MB on standard error before anything on standard output: reading only one stream at a
    // time would leave the child blocked on a full pipe.
    let size = 3_000_000
    let result = try ChildRun(
      "/bin/sh",
      [
        "-c",
        "head -c \(size) /dev/zero | tr '\\0' e >&2; head -c \(size) /dev/zero | tr '\\0' o;"
          + " head -c 1000 /dev/zero | tr '\\0' E >&2",
      ]
    ).run(timeout: 60)
    #expect(result.termination == .exited(0))
    #expect(result.stdout == Data(repeating: UInt8(ascii: "o"), count: size))
    #expect(
      result.stderr
        == Data(repeating: UInt8(ascii: "e"), count: size)
        + Data(repeating: UInt8(ascii: "E"), count: 1000))
  }

  @Test func givesStandardInputFromBytesAsARegularFile() throws {
    var bytes = Data(count: 1_000_003)
    for index in bytes.indices { bytes[index] = UInt8(truncatingIfNeeded: index &* 31 &+ 7) }
    let copied = try ChildRun("/bin/cat", stdin: .data(bytes)).run(timeout: 30)
    #expect(copied.termination == .exited(0))
    #expect(copied.stdout == bytes)
    // Like `buddy < file`: the programs under test look at what kind of file stdin is.
    let kind = try ChildRun("/bin/sh", ["-c", "test -f /dev/stdin"], stdin: .data(Data("x".utf8)))
      .run(timeout: 30)
    #expect(kind.termination == .exited(0))
  }

  @Test func givesStandardInputFromAFileOrNothing() throws {
    let path = NSTemporaryDirectory() + "child-run-input-\(UUID().uuidString)"
    try Data("from a file\n".utf8).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let fromFile = try ChildRun("/bin/cat", stdin: .file(path)).run(timeout: 30)
    #expect(fromFile.stdoutText == "from a file\n")
    let fromNothing = try ChildRun("/bin/cat").run(timeout: 30)
    #expect(fromNothing.termination == .exited(0))
    #expect(fromNothing.stdout.isEmpty)
    #expect(throws: ChildRunError.self) {
      try ChildRun("/bin/cat", stdin: .file(path + "-missing")).run(timeout: 30)
    }
  }

  @Test func sendsOutputToAFileOrNowhere() throws {
    let path = NSTemporaryDirectory() + "child-run-output-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: path) }
    let result = try ChildRun(
      "/bin/sh", ["-c", "echo out; echo err >&2"], stdout: .file(path), stderr: .discard
    ).run(timeout: 30)
    #expect(result.termination == .exited(0))
    #expect(result.stdout.isEmpty && result.stderr.isEmpty)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "out\n")
  }

  @Test func streamsOutputWhileTheTestWritesStandardInput() throws {
    final class Received: @unchecked Sendable {
      let lock = NSCondition()
      var text = ""
    }
    let received = Received()
    let child = try ChildRun(
      "/bin/cat", stdin: .pipe,
      stdout: .stream { data in
        received.lock.lock()
        received.text += String(decoding: data, as: UTF8.self)
        received.lock.broadcast()
        received.lock.unlock()
      }
    ).start()
    for line in ["one\n", "two\n", "three\n"] {
      try child.write(Data(line.utf8))
      // Each line comes back while standard input is still open.
      let deadline = Date().addingTimeInterval(30)
      received.lock.lock()
      while !received.text.hasSuffix(line) && received.lock.wait(until: deadline) {}
      let echoed = received.text
      received.lock.unlock()
      #expect(echoed.hasSuffix(line))
    }
    #expect(child.isRunning)
    child.closeInput()
    let result = try #require(child.wait(timeout: 30))
    #expect(result.termination == .exited(0))
    #expect(received.text == "one\ntwo\nthree\n")
    #expect(!child.isRunning)
  }

  @Test func writingToAChildThatHasGoneThrowsInsteadOfRaisingSIGPIPE() throws {
    let child = try ChildRun("/bin/true", stdin: .pipe).start()
    _ = try #require(child.wait(timeout: 30))
    #expect(throws: ChildRunError.self) { try child.write(Data(count: 100_000)) }
  }

  @Test func aTimeoutKillsTheChildAndItsProcessGroup() throws {
    let pidFile = NSTemporaryDirectory() + "child-run-pid-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: pidFile) }
    let started = Date()
    #expect(throws: ChildRunTimeout.self) {
      try ChildRun("/bin/sh", ["-c", "sleep 120 & echo $! > '\(pidFile)'; wait"]).run(timeout: 1)
    }
    #expect(Date().timeIntervalSince(started) < 60)
    let background = try #require(
      Int32(
        try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(
          in: .whitespacesAndNewlines)))
    let deadline = Date().addingTimeInterval(10)
    while !Self.isDead(background) && Date() < deadline { usleep(20_000) }
    #expect(Self.isDead(background), "the background sleep \(background) survived the timeout")
  }

  @Test func aChildThatIgnoresSIGTERMIsKilledAfterTheGrace() throws {
    let child = try ChildRun("/bin/sh", ["-c", "trap '' TERM; sleep 120 & wait; wait"]).start()
    #expect(child.wait(timeout: 0.5) == nil)
    let result = try #require(child.terminate(grace: 1))
    #expect(result.termination == .signalled(SIGKILL))
  }

  @Test func aDaemonHoldingTheOutputDoesNotHoldUpTheRun() throws {
    let result = try ChildRun("/bin/sh", ["-c", "sleep 120 & echo $!"]).run(timeout: 60)
    #expect(result.termination == .exited(0))
    let daemon = try #require(Int32(result.stdoutText.trimmingCharacters(in: .newlines)))
    #expect(!Self.isDead(daemon))
    kill(daemon, SIGKILL)
  }

  @Test func leavesNoDescriptorOpenAfterTwoHundredRuns() throws {
    let before = Self.openDescriptors()
    for index in 0..<200 {
      let result = try ChildRun(
        "/bin/sh", ["-c", "cat; echo \(index) >&2"], stdin: .data(Data("\(index)\n".utf8))
      ).run(timeout: 30)
      try #require(result.stdoutText == "\(index)\n" && result.stderrText == "\(index)\n")
    }
    let child = try ChildRun("/bin/cat", stdin: .pipe).start()
    child.closeInput()
    _ = try #require(child.wait(timeout: 30))
    // Other suites open and close descriptors in this process meanwhile, so the count may
    // move a little; a leak of even one descriptor per run would add 200.
    let after = Self.openDescriptors()
    #expect(after - before < 50, "\(before) descriptors open before 200 runs, \(after) after")
  }

  @Test func theChildInheritsOnlyTheThreeStandardStreams() throws {
    // A descriptor opened here without close-on-exec, as C libraries sometimes do.
    let stray = open("/dev/null", O_RDONLY)
    try #require(stray > 2)
    defer { close(stray) }
    // `ls` itself opens one descriptor (3) to read the directory.
    let result = try ChildRun("/bin/ls", ["/proc/self/fd"], stdin: .data(Data("in".utf8)))
      .run(timeout: 30)
    #expect(result.termination == .exited(0))
    #expect(result.stdoutText.split(separator: "\n") == ["0", "1", "2", "3"])
  }

  @Test func setsTheEnvironmentExactlyOrOnTopOfThisProcesss() throws {
    let exact = try ChildRun(
      "/usr/bin/env", environment: .exactly(["ONLY": "this", "EMPTY": ""])
    ).run(timeout: 30)
    #expect(Set(exact.stdoutText.split(separator: "\n")) == ["ONLY=this", "EMPTY="])
    let inherited = try ChildRun("/usr/bin/env", environment: .inherited(["ADDED": "yes"]))
      .run(timeout: 30)
    let lines = Set(inherited.stdoutText.split(separator: "\n").map(String.init))
    #expect(lines.contains("ADDED=yes"))
    let path = try #require(ProcessInfo.processInfo.environment["PATH"])
    #expect(lines.contains("PATH=\(path)"))
  }

  @Test func startsInTheGivenDirectoryAndFindsProgramsOnPATH() throws {
    let directory = NSTemporaryDirectory() + "child-run-cwd-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let result = try ChildRun("pwd", ["-P"], currentDirectory: directory).run(timeout: 30)
    #expect(result.termination == .exited(0))
    let resolved = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
    #expect(result.stdoutText == resolved + "\n")
    #expect(throws: ChildRunError.self) {
      try ChildRun("no-such-program-\(UUID().uuidString)").run(timeout: 30)
    }
    #expect(throws: ChildRunError.self) { try ChildRun("/nonexistent/program").run(timeout: 30) }
    #expect(throws: ChildRunError.self) {
      try ChildRun("/bin/true", currentDirectory: directory + "/missing").run(timeout: 30)
    }
  }

  @Test func theChildLeadsItsOwnGroupWithDefaultSignals() throws {
    // A signal blocked on the spawning thread stays blocked in a child of plain posix_spawn.
    var blocked = sigset_t()
    var previous = sigset_t()
    sigemptyset(&blocked)
    sigaddset(&blocked, SIGUSR2)
    pthread_sigmask(SIG_BLOCK, &blocked, &previous)
    let spawned = Result {
      try ChildRun("/bin/cat", ["/proc/self/stat", "/proc/self/status"]).start()
    }
    pthread_sigmask(SIG_SETMASK, &previous, nil)
    let child = try spawned.get()
    let result = try #require(child.wait(timeout: 30))
    let fields = Self.statFields(String(result.stdoutText.prefix { $0 != "\n" }))
    #expect(fields.count > 3 && fields[2] == "\(child.pid)", "pgrp of \(child.pid): \(fields)")
    // Signals 1-31 neither blocked nor ignored (glibc keeps its internal 32 and 33 as they are).
    for field in ["SigBlk:", "SigIgn:"] {
      let line = result.stdoutText.split(separator: "\n").first { $0.hasPrefix(field) }
      let mask = try #require(line.flatMap { UInt64($0.dropFirst(field.count + 1), radix: 16) })
      #expect(mask & 0x7fff_ffff == 0, "\(field) \(String(mask, radix: 16))")
    }
    let same = try ChildRun("/bin/cat", ["/proc/self/stat"], newProcessGroup: false).start()
    let sameFields = Self.statFields(try #require(same.wait(timeout: 30)).stdoutText)
    #expect(sameFields.count > 3 && sameFields[2] == "\(getpgrp())")
  }
}
