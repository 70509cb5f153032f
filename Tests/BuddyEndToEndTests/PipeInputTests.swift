import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// FIFOs and process substitution are read once, sniffed from the bytes already read (issue 16,
/// point 2): before, the input was opened three times to guess its kind and lost its first bytes.
@Suite("Inputs that can be read only once")
struct PipeInputTests {
  static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/mp33-side-15fps-fast-no-lockout.json").path

  @Test func aFIFOCountsLikeItsFile() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let expected = try buddy.run(["count", Self.fixture])
    #expect(expected.stdout.hasPrefix("push-up: 12 reps"))
    for arguments in [["count"], ["count", "--follow"], ["count", "--exercise", "push-up"]] {
      let fifo = try Self.fifo(
        in: buddy.home, feeding: Data(contentsOf: URL(fileURLWithPath: Self.fixture)))
      let result = try buddy.run(arguments + [fifo], timeout: 30)
      #expect(result.status == 0, "\(arguments): \(result.stderr)")
      #expect(result.stdout.contains("12 reps"), "\(arguments): \(result.stdout)")
    }
  }

  @Test func processSubstitutionCountsLikeItsFile() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let result = try BuddyProcess.execute(
      "/bin/bash", ["-c", "\"$0\" count <(cat \"$1\")", BuddyProcess.binary, Self.fixture],
      environment: buddy.fullEnvironment, timeout: 30)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasPrefix("push-up: 12 reps"), "\(result.stdout)")
  }

  /// A writer that stops halfway (dies) gives one error line, never a hang.
  @Test func aWriterThatDiesHalfwayIsAnErrorNotAHang() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.fixture))
    let fifo = try Self.fifo(in: buddy.home, feeding: bytes.prefix(bytes.count / 2))
    let result = try buddy.run(["count", fifo], timeout: 30)
    #expect(result.status == 65, "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1)
  }

  @Test func aVideoThroughAPipeIsRefusedWithAHint() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    var head = Data([0, 0, 0, 0x20])
    head += Data("ftypisom".utf8) + Data(repeating: 0, count: 64)
    let fifo = try Self.fifo(in: buddy.home, feeding: head)
    let result = try buddy.run(["count", fifo], timeout: 30)
    #expect(result.status == 65)
    #expect(result.stderr.contains("a video cannot be read from a pipe"))
  }

  /// Makes a FIFO and a thread that writes `bytes` into it once a reader opens it, then closes.
  static func fifo(in directory: String, feeding bytes: Data) throws -> String {
    let path = directory + "/fifo-\(UUID().uuidString.prefix(8))"
    guard mkfifo(path, 0o600) == 0 else {
      throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
    }
    let writer = Thread {
      let descriptor = open(path, O_WRONLY)
      guard descriptor >= 0 else { return }
      signal(SIGPIPE, SIG_IGN)
      bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
          let written = write(
            descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
          if written <= 0 { break }
          offset += written
        }
      }
      close(descriptor)
    }
    writer.start()
    return path
  }
}
