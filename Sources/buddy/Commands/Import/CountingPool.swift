import Foundation
import Recording

/// Counts files on `jobs` threads and hands the results to one consumer as they finish, with a
/// bounded number of finished results waiting so memory stays flat on any number of files.
final class CountingPool: @unchecked Sendable {
  /// One file's outcome.
  struct Result {
    var index: Int
    var outcome: Swift.Result<CountedSession, any Error>
  }

  private let files: [String]
  private let runner: CountRunner
  private let lock = NSLock()
  private let ready = DispatchSemaphore(value: 0)
  private let slots: DispatchSemaphore
  private var nextIndex = 0
  private var finished: [Result] = []

  /// Starts counting `files` on `jobs` threads; at most `backlog` results wait for the consumer.
  init(files: [String], runner: CountRunner, jobs: Int, backlog: Int = 512) {
    self.files = files
    self.runner = runner
    slots = DispatchSemaphore(value: max(backlog, jobs))
    for _ in 0..<max(1, min(jobs, files.count)) {
      let thread = Thread { [self] in work() }
      thread.stackSize = 1 << 22
      thread.start()
    }
  }

  /// The next finished result, waiting for one; call exactly `files.count` times.
  func next() -> Result {
    ready.wait()
    let result = lock.withLock { finished.removeFirst() }
    slots.signal()
    return result
  }

  private func work() {
    while true {
      slots.wait()
      let index: Int? = lock.withLock {
        guard nextIndex < files.count else { return nil }
        defer { nextIndex += 1 }
        return nextIndex
      }
      guard let index else {
        slots.signal()
        return
      }
      let outcome = Swift.Result { try runner.session(.path(files[index])) }
      lock.withLock { finished.append(Result(index: index, outcome: outcome)) }
      ready.signal()
    }
  }
}
