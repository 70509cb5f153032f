import Foundation
import Spawn
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Helper programs inherit nothing but their standard input, output and error: `buddy import`
/// starts ffprobe and ffmpeg on several threads at once, and a program that kept another's
/// pipe open would hold back that reader's end of output until it ended itself (an ffprobe's
/// answer waiting for a whole other video's ffmpeg).
@Suite struct SpawnedProgramTests {
  /// Whether the read end `descriptor` sees the end of its pipe (every write end closed)
  /// within `milliseconds`.
  private func seesEnd(_ descriptor: Int32, within milliseconds: Int32) -> Bool {
    var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
    while true {
      let ready = poll(&entry, 1, milliseconds)
      if ready < 0 && errno == EINTR { continue }
      guard ready == 1 else { return false }
      var byte: UInt8 = 0
      return read(descriptor, &byte, 1) == 0  // nobody writes: ready means at its end
    }
  }

  /// Everything `program` writes to standard output, as text.
  private func outputText(_ program: SpawnedProgram) -> String {
    String(decoding: program.readOutput(), as: UTF8.self)
  }

  @Test func aProgramStartedWhileAnotherPipeIsOpenDoesNotHoldIt() throws {
    // A pipe made without close-on-exec, as another thread's is for a moment: the worst case.
    var ends: [Int32] = [0, 0]
    try #require(pipe(&ends) == 0)
    defer { close(ends[0]) }
    let sleeper = try SpawnedProgram(executable: "/bin/sleep", arguments: ["60"], output: .pipe)
    defer { sleeper.kill() }
    close(ends[1])
    #expect(seesEnd(ends[0], within: 10_000), "the child holds the other pipe's write end")
  }

  @Test func theProgramSeesOnlyItsThreeStandardDescriptors() throws {
    var ends: [Int32] = [0, 0]
    try #require(pipe(&ends) == 0)  // open, not close-on-exec, while the program starts
    defer {
      close(ends[0])
      close(ends[1])
    }
    // The shell lists the descriptors it was started with (before opening any itself).
    let lister = try SpawnedProgram(
      executable: "/bin/sh", arguments: ["-c", "for d in /proc/$$/fd/*; do echo ${d##*/}; done"],
      output: .pipe)
    let listed = outputText(lister).split(separator: "\n")
    #expect(lister.wait().status == 0)
    #expect(Set(listed).isSubset(of: ["0", "1", "2", "3"]), "\(listed)")
    #expect(!listed.contains(Substring(String(ends[0]))) || ends[0] <= 3)
    #expect(!listed.contains(Substring(String(ends[1]))) || ends[1] <= 3)
  }

  @Test func standardErrorIsReadBackWithTheExitCode() throws {
    let failing = try SpawnedProgram(
      executable: "/bin/sh", arguments: ["-c", "echo first >&2; echo 'the last line' >&2; exit 3"],
      output: .null)
    let outcome = failing.wait()
    #expect(outcome.status == 3)
    #expect(outcome.captured == "first\nthe last line\n")
    #expect(SpawnedProgram.lastLine(outcome.captured) == "the last line")
    // Waiting again gives the same.
    #expect(failing.wait().status == 3)
  }

  @Test func outputWithErrorsKeepsBothInOrderUpToTheLimit() throws {
    let program = try SpawnedProgram(
      executable: "/bin/sh", arguments: ["-c", "echo out; echo err >&2; echo out again"],
      output: .withErrors)
    #expect(program.output == -1 && program.input == -1)
    #expect(program.wait().captured == "out\nerr\nout again\n")
    let long = try SpawnedProgram(
      executable: "/bin/sh", arguments: ["-c", "head -c 100000 /dev/zero | tr '\\0' x"],
      output: .withErrors)
    #expect(long.wait(limit: 10).captured == "xxxxxxxxxx")
  }

  @Test func aSignalIsTheExitCode128PlusIt() throws {
    let sleeper = try SpawnedProgram(executable: "/bin/sleep", arguments: ["60"], output: .null)
    sleeper.kill()
    #expect(sleeper.wait().status == 128 + SIGKILL)
  }

  @Test func aChildReapedElsewhereIsAFailureNotASuccess() throws {
    let program = try SpawnedProgram(executable: "/bin/true", arguments: [], output: .null)
    var status: Int32 = 0
    while waitpid(program.pid, &status, 0) < 0 && errno == EINTR {}  // reaped here, not by wait()
    let outcome = program.wait()
    #expect(outcome.waitError == ECHILD)
    #expect(outcome.status == 255)
  }

  @Test func standardInputIsAPipeOrNothing() throws {
    let cat = try SpawnedProgram(executable: "/bin/cat", arguments: [], input: .pipe, output: .pipe)
    let failure = Array("frames".utf8).withUnsafeBytes { cat.write($0) }
    #expect(failure == nil)
    cat.closeInput()
    #expect(outputText(cat) == "frames")
    let nothing = try SpawnedProgram(executable: "/bin/cat", arguments: [], output: .pipe)
    #expect(outputText(nothing) == "")
    #expect(nothing.wait().status == 0)
  }

  @Test func writingToAProgramThatHasGoneIsEPIPENotASignal() throws {
    let gone = try SpawnedProgram(
      executable: "/bin/sh", arguments: ["-c", "exit 0"], input: .pipe, output: .null)
    // Writes until the pipe notices the program has gone (its buffer may take the first).
    let chunk = [UInt8](repeating: 0, count: 1 << 16)
    var failure: Int32?
    for _ in 0..<1000 where failure == nil {
      failure = chunk.withUnsafeBytes { gone.write($0) }
      if failure == nil { usleep(1000) }
    }
    #expect(failure == EPIPE)
    #expect(gone.wait().status == 0)
  }

  @Test func aMissingProgramIsAProgramFailureNamingIt() {
    #expect {
      _ = try SpawnedProgram(executable: "/nonexistent/ffmpeg", arguments: [], output: .pipe)
    } throws: { error in
      guard let failure = error as? SpawnedProgram.Failure else { return false }
      return failure.kind == .program
        && failure.reason.hasPrefix("cannot run /nonexistent/ffmpeg: ")
    }
  }

  @Test func pathsAreMadeAbsoluteAgainstTheCurrentDirectory() {
    let current = FileManager.default.currentDirectoryPath
    #expect(SpawnedProgram.absolutePath("/tmp/clip.mp4") == "/tmp/clip.mp4")
    #expect(SpawnedProgram.absolutePath("clip.mp4") == current + "/clip.mp4")
    #expect(SpawnedProgram.absolutePath("http:x.mp4") == current + "/http:x.mp4")
    #expect(SpawnedProgram.absolutePath("-x/../y.mp4") == current + "/-x/../y.mp4")
  }

  @Test func executablesAreFoundInTheGivenDirectoriesThenOnPath() {
    #expect(SpawnedProgram.executable(named: "sh", in: ["/nonexistent"]) != nil)
    #expect(SpawnedProgram.executable(named: "ls", in: ["/bin"]) == "/bin/ls")
    #expect(SpawnedProgram.executable(named: "no-such-program-anywhere") == nil)
    // A directory is not an executable.
    #expect(SpawnedProgram.executable(named: "tmp", in: ["/"]) == nil)
  }
}
