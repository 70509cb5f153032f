import CSpawn
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child started by ``ChildRun/start()``: a server, or a program whose standard input the test
/// writes bit by bit while it reads the output.
///
/// One monitor thread reads every output pipe as data arrives (so neither stream can fill up
/// and block the child), notices the exit and reaps the child; ``wait(timeout:)`` returns once
/// the child has exited and its output is read. The child stays unreaped until then, so
/// ``signal(_:)`` can never reach a process that reused its pid.
///
///     let server = try ChildRun("/usr/bin/cat", stdin: .pipe).start()
///     try server.write(Data("hello\n".utf8))
///     server.closeInput()
///     let result = try #require(server.wait(timeout: 10))
public final class RunningChild: @unchecked Sendable {
  /// Where an output pipe's bytes go.
  enum Sink {
    case captured
    case streamed(@Sendable (Data) -> Void)
  }

  /// An output pipe the monitor thread reads.
  struct Reader {
    var descriptor: Int32
    /// 1 for standard output, 2 for standard error.
    var stream: Int32
    var sink: Sink
  }

  /// The child's process id.
  public let pid: pid_t
  /// The command line, for messages.
  public let command: String
  private let group: Bool
  private let state = NSCondition()
  // Guarded by `state`.
  private var input: Int32
  private var termination: ChildRun.Termination?
  private var finished = false
  private var stdout = Data()
  private var stderr = Data()

  init(pid: pid_t, command: String, group: Bool, input: Int32, readers: [Reader]) {
    self.pid = pid
    self.command = command
    self.group = group
    self.input = input
    let thread = Thread { [self] in monitor(readers) }
    thread.name = "child \(pid)"
    thread.start()
  }

  deinit {
    if input >= 0 { close(input) }
  }

  /// Whether the child has not exited yet.
  public var isRunning: Bool {
    state.lock()
    defer { state.unlock() }
    return termination == nil
  }

  /// Writes `data` to the child's standard input (``ChildRun/Input/pipe``), waiting while the
  /// pipe is full; throws when the child has closed its end or the input was closed.
  public func write(_ data: Data) throws {
    state.lock()
    let descriptor = input
    state.unlock()
    guard descriptor >= 0 else { throw ChildRunError(command, "standard input", EBADF) }
    try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
      guard let base = bytes.baseAddress else { return }  // nothing to write
      var offset = 0
      while offset < bytes.count {
        let written = cspawn_write_quietly(descriptor, base + offset, bytes.count - offset)
        guard written >= 0 else { throw ChildRunError(command, "standard input", errno) }
        offset += written
      }
    }
  }

  /// Closes the child's standard input (it reads end of file).
  public func closeInput() {
    state.lock()
    defer { state.unlock() }
    if input >= 0 {
      close(input)
      input = -1
    }
  }

  /// Sends `signal` to the child (to its process group when it leads one), unless it has
  /// already exited.
  public func signal(_ signal: Int32) {
    state.lock()
    defer { state.unlock() }
    guard termination == nil else { return }
    _ = kill(group ? -pid : pid, signal)
  }

  /// Waits at most `timeout` seconds for the child to exit and its output to be read; nil when
  /// it is still running.
  public func wait(timeout: TimeInterval) -> ChildRun.Result? {
    let deadline = Date().addingTimeInterval(timeout)
    state.lock()
    defer { state.unlock() }
    while !finished {
      if !state.wait(until: deadline) && !finished { return nil }
    }
    guard let termination else { return nil }
    return ChildRun.Result(termination: termination, stdout: stdout, stderr: stderr)
  }

  /// Sends SIGTERM, then SIGKILL after `grace` seconds, and waits for the end.
  @discardableResult
  public func terminate(grace: TimeInterval = 5) -> ChildRun.Result? {
    signal(SIGTERM)
    if let result = wait(timeout: grace) { return result }
    signal(SIGKILL)
    return wait(timeout: 30)
  }

  /// The monitor thread: reads the pipes until the child has exited and they are drained.
  private func monitor(_ readers: [Reader]) {
    var open = readers
    for reader in open {
      let flags = fcntl(reader.descriptor, F_GETFL)
      _ = fcntl(reader.descriptor, F_SETFL, flags | O_NONBLOCK)
    }
    var buffer = [UInt8](repeating: 0, count: 65_536)
    var ended = false
    while true {
      if open.isEmpty {
        // Nothing left to read: wait for the exit itself.
        if !ended { ended = cspawn_has_ended(pid, 1) != 0 }
      } else {
        var polled = open.map { pollfd(fd: $0.descriptor, events: Int16(POLLIN), revents: 0) }
        // A short timeout: a daemon the child started may hold the pipes after it exits.
        _ = poll(&polled, nfds_t(polled.count), ended ? 0 : 20)
        open = open.filter { drain($0, into: &buffer) }
        if !ended { ended = cspawn_has_ended(pid, 0) != 0 }
      }
      guard ended else { continue }
      // It has exited, so everything it wrote is in the pipes now: read that and stop.
      for reader in open {
        if drain(reader, into: &buffer) { close(reader.descriptor) }
      }
      break
    }
    var status: Int32 = 0
    state.lock()
    var waited = waitpid(pid, &status, 0)
    while waited < 0 && errno == EINTR { waited = waitpid(pid, &status, 0) }
    let signal = status & 0x7f
    if waited < 0 {
      termination = .unknown(errno)
    } else {
      termination = signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }
    finished = true
    state.broadcast()
    state.unlock()
  }

  /// Reads what `reader`'s pipe holds now; false (and the descriptor closed) at end of file.
  private func drain(_ reader: Reader, into buffer: inout [UInt8]) -> Bool {
    while true {
      let count = buffer.withUnsafeMutableBytes {
        read(reader.descriptor, $0.baseAddress, $0.count)
      }
      if count > 0 {
        let chunk = Data(buffer[0..<count])
        switch reader.sink {
        case .captured:
          state.lock()
          if reader.stream == 1 { stdout.append(chunk) } else { stderr.append(chunk) }
          state.unlock()
        case .streamed(let handler): handler(chunk)
        }
        continue
      }
      if count < 0 && errno == EINTR { continue }
      if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return true }
      close(reader.descriptor)
      return false
    }
  }
}
