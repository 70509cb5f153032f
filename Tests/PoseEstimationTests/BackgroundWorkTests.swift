import Foundation
import Synchronization
import Testing

@testable import PoseEstimation

#if canImport(Glibc)
import Glibc
#endif

/// Work started on a thread of its own and waited for: its value or its typed error, on
/// another thread, joined even when nobody waits.
@Suite("Background work")
struct BackgroundWorkTests {
  struct Refused: Error, Equatable { var reason: String }

  /// A counter the work and the test share.
  final class Counter: Sendable {
    private let value = Atomic<Int>(0)
    func add() { value.add(1, ordering: .sequentiallyConsistent) }
    var count: Int { value.load(ordering: .sequentiallyConsistent) }
  }

  @Test func waitReturnsTheValueComputedOnAnotherThread() throws {
    let caller = pthread_self()
    let work = BackgroundWork { () throws(Refused) -> (Int, Bool) in
      (6 * 7, pthread_equal(pthread_self(), caller) != 0)
    }
    let (value, onCaller) = try work.wait()
    #expect(value == 42)
    #expect(!onCaller)
    // A second wait gives the same value, without running the work again.
    #expect(try work.wait().0 == 42)
  }

  @Test func waitThrowsTheWorksTypedError() {
    let runs = Counter()
    let work = BackgroundWork { () throws(Refused) -> Int in
      runs.add()
      throw Refused(reason: "no model")
    }
    for _ in 0..<2 {
      #expect(throws: Refused(reason: "no model")) { try work.wait() }
    }
    #expect(runs.count == 1)
  }

  @Test func workRunsWhileTheCallerDoesSomethingElse() throws {
    let started = Counter()
    let work = BackgroundWork { () throws(Refused) -> Int in
      started.add()
      return 1
    }
    // Nobody has waited yet, and the work starts anyway.
    let deadline = ContinuousClock.now + .seconds(10)
    while started.count == 0 && ContinuousClock.now < deadline {
      usleep(1000)
    }
    #expect(started.count == 1)
    #expect(try work.wait() == 1)
  }

  @Test func releasingUnwaitedWorkJoinsItsThread() {
    let finished = Counter()
    do {
      _ = BackgroundWork { () throws(Refused) -> Int in
        usleep(20_000)
        finished.add()
        return 0
      }
    }
    #expect(finished.count == 1)
  }
}
