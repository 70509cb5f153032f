import Foundation
import Testing

@testable import PoseEstimation

/// The thread team behind the parallel kernels: every part of every job runs exactly once,
/// on the right thread count, with its writes visible to the caller when `run` returns.
@Suite("Compute threads")
struct ComputeThreadsTests {
  @Test("shares are contiguous, cover the range once and start at multiples")
  func shares() {
    for total in 0...100 {
      for parts in 1...5 {
        for multiple in [1, 6] {
          var next = 0
          for part in 0..<parts {
            let share = ComputeThreads.share(
              of: total, part: part, parts: parts, multiple: multiple)
            #expect(share.lowerBound == next, "\(total) \(part)/\(parts) ×\(multiple)")
            #expect(share.isEmpty || share.lowerBound % multiple == 0)
            #expect(share.count <= (total + parts - 1) / parts + multiple)
            next = share.upperBound
          }
          #expect(next == total, "\(total) in \(parts) parts ×\(multiple)")
        }
      }
    }
  }

  /// What the test jobs write: one counter per chunk, and per thread the chunks it ran.
  struct Tally {
    var perChunk: UnsafeMutablePointer<Int>
    var perThread: UnsafeMutablePointer<Int>
    var chunks: Int
  }

  @Test(
    "every chunk of every job runs exactly once, on the team's threads",
    arguments: [1, 2, 3], [1, 2, 7, 64])
  func everyChunkOnce(threads: Int, chunks: Int) {
    let team = ComputeThreads(count: threads)
    #expect(team.count == threads)
    let perChunk = UnsafeMutablePointer<Int>.allocate(capacity: chunks)
    let perThread = UnsafeMutablePointer<Int>.allocate(capacity: threads)
    perChunk.initialize(repeating: 0, count: chunks)
    perThread.initialize(repeating: 0, count: threads)
    defer {
      perChunk.deallocate()
      perThread.deallocate()
    }
    var tally = Tally(perChunk: perChunk, perThread: perThread, chunks: chunks)
    let jobs = 1_000
    for job in 0..<jobs {
      team.run(&tally, chunks: chunks) { raw, chunk, chunks, thread in
        let tally = raw.assumingMemoryBound(to: Tally.self).pointee
        precondition(chunks == tally.chunks)
        // Each chunk is written by one thread only; the counters are not atomic.
        tally.perChunk[chunk] += 1
        tally.perThread[thread] += 1
      }
      // Each job's writes are visible as soon as `run` returns.
      #expect(perChunk[chunks - 1] == job + 1)
    }
    for chunk in 0..<chunks { #expect(perChunk[chunk] == jobs, "chunk \(chunk)") }
    let total = (0..<threads).reduce(0) { $0 + perThread[$1] }
    #expect(total == jobs * chunks)
  }

  @Test("helpers that went to sleep wake up and help with the next job")
  func wakesAfterSleeping() {
    let team = ComputeThreads(count: 2)
    let perChunk = UnsafeMutablePointer<Int>.allocate(capacity: 64)
    let perThread = UnsafeMutablePointer<Int>.allocate(capacity: 2)
    perChunk.initialize(repeating: 0, count: 64)
    perThread.initialize(repeating: 0, count: 2)
    defer {
      perChunk.deallocate()
      perThread.deallocate()
    }
    var tally = Tally(perChunk: perChunk, perThread: perThread, chunks: 64)
    for round in 1...5 {
      usleep(20_000)  // far longer than the helpers spin: they are asleep
      team.run(&tally, chunks: 64) { raw, chunk, _, thread in
        let tally = raw.assumingMemoryBound(to: Tally.self).pointee
        tally.perChunk[chunk] += 1
        tally.perThread[thread] += 1
        usleep(200)  // long enough for a woken helper to take some chunks
      }
      #expect((0..<64).allSatisfy { perChunk[$0] == round })
    }
    #expect(perThread[1] > 0, "the helper never took a chunk")
  }

  @Test("teams are started and stopped cleanly, many times")
  func startAndStop() {
    for _ in 0..<50 {
      let team = ComputeThreads(count: 2)
      var values = (0, 0)
      team.run(&values, chunks: 2) { raw, chunk, _, _ in
        let values = raw.assumingMemoryBound(to: (Int, Int).self)
        if chunk == 0 { values.pointee.0 = 7 } else { values.pointee.1 = 9 }
      }
      #expect(values == (7, 9))
    }
  }

  /// Counts and where an errand ran, written by the errand and read after it signalled.
  final class ErrandLog: @unchecked Sendable {
    let condition = NSCondition()
    var runs = 0
    var onCaller = false
    var done = false

    func record(onCaller caller: Bool) {
      condition.lock()
      runs += 1
      onCaller = onCaller || caller
      done = true
      condition.broadcast()
      condition.unlock()
    }

    /// Waits (at most 10 s) for the errand; false when it never ran.
    func waitForErrand() -> Bool {
      condition.lock()
      defer { condition.unlock() }
      let deadline = Date().addingTimeInterval(10)
      while !done { if !condition.wait(until: deadline) { return false } }
      done = false
      return true
    }
  }

  @Test("an errand runs once on a helper, and jobs posted meanwhile complete without it")
  func errandsRunOnAHelperBesideJobs() {
    let team = ComputeThreads(count: 2)
    let perChunk = UnsafeMutablePointer<Int>.allocate(capacity: 16)
    let perThread = UnsafeMutablePointer<Int>.allocate(capacity: 2)
    defer {
      perChunk.deallocate()
      perThread.deallocate()
    }
    let caller = pthread_self()
    for _ in 0..<20 {
      let log = ErrandLog()
      let started = NSCondition()
      nonisolated(unsafe) var running = false
      nonisolated(unsafe) var release = false
      // The errand holds its helper until the jobs below are done: they must finish without it.
      team.post {
        started.lock()
        running = true
        started.broadcast()
        while !release { started.wait() }
        started.unlock()
        log.record(onCaller: pthread_equal(pthread_self(), caller) != 0)
      }
      started.lock()
      while !running { started.wait() }
      started.unlock()
      perChunk.initialize(repeating: 0, count: 16)
      perThread.initialize(repeating: 0, count: 2)
      var tally = Tally(perChunk: perChunk, perThread: perThread, chunks: 16)
      for _ in 0..<3 {
        team.run(&tally, chunks: 16) { raw, chunk, _, thread in
          let tally = raw.assumingMemoryBound(to: Tally.self).pointee
          tally.perChunk[chunk] += 1
          tally.perThread[thread] += 1
        }
      }
      #expect((0..<16).allSatisfy { perChunk[$0] == 3 })
      #expect(perThread[1] == 0, "the helper ran chunks while on its errand")
      // The only helper is busy: a second errand waits, a third runs here at once.
      let second = ErrandLog()
      let third = ErrandLog()
      team.post { second.record(onCaller: pthread_equal(pthread_self(), caller) != 0) }
      team.post { third.record(onCaller: pthread_equal(pthread_self(), caller) != 0) }
      #expect(third.runs == 1 && third.onCaller)
      started.lock()
      release = true
      started.broadcast()
      started.unlock()
      #expect(log.waitForErrand())
      #expect(log.runs == 1)
      #expect(!log.onCaller)
      #expect(second.waitForErrand())
      #expect(second.runs == 1 && !second.onCaller)
    }
  }

  @Test("without helpers an errand runs at once in the poster; a waiting errand runs at stop")
  func errandsRunInlineAloneAndAtStop() {
    let alone = ComputeThreads(count: 1)
    let log = ErrandLog()
    let caller = pthread_self()
    alone.post { log.record(onCaller: pthread_equal(pthread_self(), caller) != 0) }
    #expect(log.runs == 1 && log.onCaller)
    for _ in 0..<50 {
      let stopped = ErrandLog()
      do {
        let team = ComputeThreads(count: 2)
        team.post { stopped.record(onCaller: false) }
      }
      // The team is gone: its helper ran the errand before it returned.
      #expect(stopped.runs == 1)
    }
  }

  @Test("the available cores are at least one; a team has at least the caller")
  func availableCores() {
    #expect(ComputeThreads.availableCores >= 1)
    #expect(ComputeThreads(count: 0).count == 1)
  }
}
