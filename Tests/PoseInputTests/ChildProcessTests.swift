import Foundation
import Testing

@testable import PoseInput

#if canImport(Glibc)
import Glibc
#endif

/// ffprobe and ffmpeg inherit nothing but their standard input, output and error: `buddy
/// import` starts them on several threads at once, and a program that kept another's pipe
/// open would hold back that reader's end of output until it ended itself (an ffprobe's
/// answer waiting for a whole other video's ffmpeg).
@Suite struct ChildProcessTests {
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

  @Test func aProgramStartedWhileAnotherPipeIsOpenDoesNotHoldIt() throws {
    // A pipe made without close-on-exec, as another thread's is for a moment: the worst case.
    var ends: [Int32] = [0, 0]
    try #require(pipe(&ends) == 0)
    defer { close(ends[0]) }
    let sleeper = try ChildProcess(executable: "/bin/sleep", arguments: ["60"], name: "sleep")
    defer { sleeper.stop() }
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
    let lister = try ChildProcess(
      executable: "/bin/sh", arguments: ["-c", "for d in /proc/$$/fd/*; do echo ${d##*/}; done"],
      name: "sh")
    let listed = String(decoding: lister.readOutput(), as: UTF8.self).split(separator: "\n")
    #expect(lister.finish().status == 0)
    #expect(Set(listed).isSubset(of: ["0", "1", "2", "3"]), "\(listed)")
    #expect(!listed.contains(Substring(String(ends[0]))) || ends[0] <= 3)
    #expect(!listed.contains(Substring(String(ends[1]))) || ends[1] <= 3)
  }

  @Test func standardErrorIsReadBackAndLeavesNoFileBehind() throws {
    let before = try FileManager.default.contentsOfDirectory(atPath: "/tmp").filter {
      $0.hasPrefix("buddy-ffmpeg-")
    }
    let failing = try ChildProcess(
      executable: "/bin/sh", arguments: ["-c", "echo first >&2; echo 'the last line' >&2; exit 3"],
      name: "sh")
    let (status, errorText) = failing.finish()
    #expect(status == 3)
    #expect(ChildProcess.lastLine(errorText) == "the last line")
    let after = try FileManager.default.contentsOfDirectory(atPath: "/tmp").filter {
      $0.hasPrefix("buddy-ffmpeg-")
    }
    #expect(Set(after).isSubset(of: Set(before)))
  }
}
