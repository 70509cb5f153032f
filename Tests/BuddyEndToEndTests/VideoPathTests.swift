import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

private let ffmpegPath = "/usr/bin/ffmpeg"
private let realFrames = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .appendingPathComponent("../../../shared/realdata/cases/pushup-pushfit-c11/frames")
  .standardized.path

/// Video paths reach ffmpeg and ffprobe as the local file the user named: relative to buddy's
/// working directory, and never read as a URL (issue 16, points 3 and 4).
@Suite(
  "Video paths",
  .enabled(if: FileManager.default.isExecutableFile(atPath: ffmpegPath), "ffmpeg not installed"))
struct VideoPathTests {
  @Test(arguments: ["clip.mp4", "./clip.mp4", "sub/../clip.mp4"])
  func countsAVideoNamedRelativeToTheWorkingDirectory(_ name: String) throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    try FileManager.default.createDirectory(
      atPath: buddy.home + "/sub", withIntermediateDirectories: true)
    let clip = try makeClip(at: buddy.home + "/clip.mp4")
    let result = try buddy.run(
      ["count", "--exercise", "push-up"] + clip.countOptions + [name],
      currentDirectory: buddy.home)
    clip.expectRead(result, name)
  }

  @Test(arguments: [
    "we ird/-clip 100%.mp4", "-lead.mp4", "q?x=1#frag.mp4", "pct%20name%.mp4", "concat:a.mp4",
  ])
  func countsAVideoWhoseNameLooksLikeAnOptionOrAURL(_ name: String) throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let path = buddy.home + "/" + name
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    let clip = try makeClip(at: path)
    let absolute = try buddy.run(
      ["count", "--exercise", "push-up"] + clip.countOptions + ["--", path])
    clip.expectRead(absolute, path)
    let relative = try buddy.run(
      ["count", "--exercise", "push-up"] + clip.countOptions + ["--", name],
      currentDirectory: buddy.home)
    clip.expectRead(relative, name)
  }

  @Test func readsALocalFileUnderADirectoryNamedHTTPColonWithoutConnecting() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let listener = try LocalListener()
    defer { listener.close() }
    // `http:/127.0.0.1:PORT/clip.mp4`: a directory `http:` holding `127.0.0.1:PORT/clip.mp4`.
    let name = "http:/127.0.0.1:\(listener.port)/clip.mp4"
    try FileManager.default.createDirectory(
      atPath: buddy.home + "/http:/127.0.0.1:\(listener.port)", withIntermediateDirectories: true)
    let clip = try makeClip(at: buddy.home + "/" + name)
    let relative = try buddy.run(
      ["count", "--exercise", "push-up"] + clip.countOptions + [name],
      timeout: 60, currentDirectory: buddy.home)
    clip.expectRead(relative, name)
    let absolute = try buddy.run(
      ["count", "--exercise", "push-up"] + clip.countOptions + [buddy.home + "/" + name],
      timeout: 60)
    clip.expectRead(absolute, name)
    #expect(listener.connections == 0, "ffmpeg or ffprobe connected to 127.0.0.1")
  }

  /// Makes a short video at `path`: from the real push-up frames of ../shared/realdata when
  /// present (one rep), else a synthetic test pattern (no person in it).
  private func makeClip(at path: String) throws -> Clip {
    let real = FileManager.default.fileExists(atPath: realFrames)
    let input =
      real
      ? ["-framerate", "15", "-i", realFrames + "/%05d.jpg"]
      : ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=10", "-t", "1"]
    let make = try BuddyProcess.execute(
      ffmpegPath,
      ["-nostdin", "-v", "error"] + input + [
        "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "12", "-f", "mp4", "file:" + path,
      ], environment: ProcessInfo.processInfo.environment)
    try #require(make.status == 0, "\(make.stderr)")
    return Clip(real: real)
  }
}

/// A test video and what counting it must show.
private struct Clip {
  /// Whether it was made from real frames (then the rep count is known).
  var real: Bool

  var countOptions: [String] { real ? ["--fps", "15"] : [] }

  /// Checks that buddy read the video: the real clip counts one rep; the synthetic one may find
  /// nothing to count, but must not fail on opening or decoding the file.
  func expectRead(
    _ result: BuddyProcess.Result, _ name: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    for failure in ["not a readable video", "ffmpeg failed", "no such file", "No such file"] {
      #expect(
        !result.stderr.contains(failure), "\(name): \(result.stderr)",
        sourceLocation: sourceLocation)
    }
    if real {
      #expect(result.status == 0, "\(name): \(result.stderr)", sourceLocation: sourceLocation)
      #expect(
        result.stdout.hasPrefix("push-up: 1 rep "), "\(name): \(result.stdout)",
        sourceLocation: sourceLocation)
    }
  }
}

/// A TCP listener on 127.0.0.1 at a free port that accepts and counts connections.
private final class LocalListener: @unchecked Sendable {
  let port: UInt16
  private let socketDescriptor: Int32
  private let lock = NSLock()
  private var accepted = 0
  private let done = DispatchSemaphore(value: 0)

  /// How many connections were made so far.
  var connections: Int { lock.withLock { accepted } }

  init() throws {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw ListenerFailure(reason: "cannot create a socket") }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
        bind(descriptor, generic, length) == 0
          && listen(descriptor, 16) == 0
          && getsockname(descriptor, generic, &length) == 0
      }
    }
    guard bound else {
      Glibc.close(descriptor)
      throw ListenerFailure(
        reason: "cannot listen on 127.0.0.1: \(String(cString: strerror(errno)))")
    }
    socketDescriptor = descriptor
    port = UInt16(bigEndian: address.sin_port)
    Thread.detachNewThread { [self] in
      while true {
        let connection = accept(descriptor, nil, nil)
        if connection < 0 {
          if errno == EINTR { continue }
          break
        }
        lock.withLock { accepted += 1 }
        Glibc.close(connection)
      }
      done.signal()
    }
  }

  /// Stops listening and waits for the accepting thread to end.
  func close() {
    shutdown(socketDescriptor, Int32(SHUT_RDWR))
    _ = done.wait(timeout: .now() + 5)
    Glibc.close(socketDescriptor)
  }
}

/// The test listener could not be set up.
private struct ListenerFailure: Error, CustomStringConvertible {
  var reason: String
  var description: String { reason }
}
