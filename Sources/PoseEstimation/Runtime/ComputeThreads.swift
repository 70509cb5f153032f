internal import CThreads
internal import PoseKernelTypes
import Synchronization

#if canImport(Glibc)
internal import Glibc
#endif

/// A team of threads that share the chunks of one job: the caller and `count − 1` helper
/// threads take chunks until none is left, and `run` returns when every chunk is done.
///
/// Made for the models' kernels, which come back to back during an inference. Chunks are
/// claimed one at a time, so the caller never waits for a helper that the system has not
/// scheduled: it takes the remaining chunks itself and waits only for chunks already being
/// worked on. Between jobs a helper spins for about 0.8 ms (the next kernel reaches it within
/// a microsecond), yielding the CPU every eighth round so that a runnable thread (the frame
/// reader, ffmpeg decoding a video) gets the core first, then sleeps. A job is a C function pointer and a context
/// pointer, so dispatching allocates nothing. Between jobs a helper also runs errands
/// (``post(errand:)``: the pose command's JPEG decoding), so that work needs no third thread.
///
/// One caller at a time: a team belongs to one pipeline, like the executors it serves.
public final class ComputeThreads: @unchecked Sendable {
  /// One chunk of a job: `(context, chunk, chunks, thread)`; `thread` (0 for the caller,
  /// below `count`) tells which per-thread scratch memory the chunk may use.
  public typealias Job = @convention(c) (UnsafeMutableRawPointer, Int, Int, Int) -> Void

  /// Threads that work on each job, the caller included (1: the caller alone).
  public var count: Int { shared.threads }
  private let shared: Shared
  private var helpers: [pthread_t] = []

  /// A team of `count` threads (the caller and `count − 1` helpers started now), capped at
  /// 64. Ask for `ComputeThreads.availableCores` to use every CPU this process may run on.
  public init(count requested: Int) {
    let wanted = min(max(requested, 1), 64)
    shared = Shared(threads: 1)
    for thread in 1..<wanted {
      let start = Unmanaged.passRetained(HelperStart(shared: shared, thread: thread))
      var handle = pthread_t()
      let status = pthread_create(
        &handle, nil,
        { raw in
          guard let raw else { return nil }
          let start = Unmanaged<HelperStart>.fromOpaque(raw).takeRetainedValue()
          start.shared.helperLoop(thread: start.thread)
          return nil
        }, start.toOpaque())
      guard status == 0 else {
        start.release()
        break
      }
      helpers.append(handle)
    }
    shared.threads = helpers.count + 1
  }

  deinit {
    shared.stop()
    for thread in helpers { pthread_join(thread, nil) }
  }

  /// The CPUs this process may run on (its affinity mask, so `taskset -c 0` gives 1).
  public static var availableCores: Int { Int(cthreads_available_cpus()) }

  /// Runs `job(context, chunk, chunks, thread)` for every chunk in `0..<chunks`, each exactly
  /// once, on the calling thread and the helpers; returns when all have finished (their
  /// writes are then visible to the caller).
  public func run(_ job: Job, context: UnsafeMutableRawPointer, chunks: Int) {
    guard chunks > 0 else { return }
    guard shared.threads > 1, chunks > 1 else {
      for chunk in 0..<chunks { job(context, chunk, chunks, 0) }
      return
    }
    shared.run(job, context: context, chunks: chunks)
  }

  /// Runs `errand` on a helper as soon as one is free, before any job it has not started: a
  /// job posted meanwhile is done by the caller and the other helpers (the caller never waits
  /// for a chunk nobody claimed). For work that would otherwise take a thread of its own
  /// beside the team, like decoding the next frame: with as many threads as cores, a third
  /// runnable thread preempts a helper in the middle of a claimed chunk, and the caller then
  /// waits for that chunk a whole scheduler slice. Without helpers, or once the team is
  /// stopping, or while another errand still waits for a helper, `errand` runs here and now.
  /// A waiting errand still runs when the team stops.
  public func post(errand: @escaping @Sendable () -> Void) {
    guard shared.threads > 1, shared.post(errand) else {
      errand()
      return
    }
  }

  /// `run` with a typed context (a local variable of the caller).
  public func run<Context>(_ context: inout Context, chunks: Int, _ job: Job) {
    withUnsafeMutablePointer(to: &context) { pointer in
      run(job, context: UnsafeMutableRawPointer(pointer), chunks: chunks)
    }
  }

  /// The contiguous share of `0..<total` that part `part` of `parts` takes: shares are
  /// multiples of `multiple` (except the last) and differ by at most one `multiple`.
  public static func share(of total: Int, part: Int, parts: Int, multiple: Int = 1)
    -> Range<Int>
  {
    WorkShare.share(of: total, part: part, parts: parts, multiple: multiple)
  }
}

/// What a helper thread is started with.
private final class HelperStart {
  let shared: ComputeThreads.Shared
  let thread: Int
  init(shared: ComputeThreads.Shared, thread: Int) {
    self.shared = shared
    self.thread = thread
  }
}

extension ComputeThreads {
  /// The state the caller and the helpers share.
  ///
  /// `ticket` holds the job's generation (high 32 bits) and the number of unclaimed chunks
  /// (low 32 bits); chunks are claimed from the last down. A claim is a compare-and-swap that
  /// also checks the generation, so a helper that wakes late never takes a chunk of a later
  /// job. The job, its context and its chunk count are published before the ticket of their
  /// generation (sequentially consistent) and rewritten only once every chunk of the previous
  /// job is done, so a helper whose claim succeeds read that job's values.
  final class Shared: @unchecked Sendable {
    /// Spins of a helper before it sleeps (7 of 8 a pause, ~25 ns here, the eighth a
    /// `sched_yield`, ~0.6 µs: ~0.8 ms in all), and of the caller before it yields the CPU
    /// while chunks others took are finishing.
    static let helperSpins = 8_000
    /// A spinning helper yields the CPU when `spins & helperYieldMask` is the mask. Measured
    /// (`buddy count --threads 2` on the 5 s clip, ffmpeg beside it, 40 alternating runs): median
    /// 635 → 620 ms, CPU 1,150 → 1,105 ms; pure two-thread inference unchanged.
    static let helperYieldMask = 7
    static let callerSpins = 2_000

    var threads: Int
    let ticket = Atomic<UInt64>(0)
    let completed = Atomic<Int>(0)
    let job = Atomic<UInt>(0)
    let context = Atomic<UInt>(0)
    let chunks = Atomic<Int>(0)
    let sleepers = Atomic<Int>(0)
    let stopping = Atomic<Bool>(false)
    /// Whether `errand` holds an errand no helper took yet.
    let errandWaiting = Atomic<Bool>(false)
    /// The errand waiting for a helper (``ComputeThreads/post(errand:)``), under `mutex`.
    private var errand: (@Sendable () -> Void)?
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    init(threads: Int) {
      self.threads = threads
      mutex = .allocate(capacity: 1)
      pthread_mutex_init(mutex, nil)
      condition = .allocate(capacity: 1)
      pthread_cond_init(condition, nil)
    }

    deinit {
      pthread_cond_destroy(condition)
      pthread_mutex_destroy(mutex)
      condition.deallocate()
      mutex.deallocate()
    }

    static func generation(_ ticket: UInt64) -> UInt64 { ticket >> 32 }

    /// The caller's side of one job.
    func run(_ function: Job, context pointer: UnsafeMutableRawPointer, chunks count: Int) {
      job.store(UInt(bitPattern: unsafeBitCast(function, to: Int.self)), ordering: .relaxed)
      context.store(UInt(bitPattern: Int(bitPattern: pointer)), ordering: .relaxed)
      chunks.store(count, ordering: .relaxed)
      completed.store(0, ordering: .relaxed)
      let generation = (Self.generation(ticket.load(ordering: .relaxed)) &+ 1) & 0xFFFF_FFFF
      ticket.store(generation << 32 | UInt64(count), ordering: .sequentiallyConsistent)
      if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
        pthread_mutex_lock(mutex)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
      }
      work(generation: generation, job: function, context: pointer, chunks: count, thread: 0)
      var spins = 0
      while completed.load(ordering: .acquiring) < count {
        spins += 1
        if spins < Self.callerSpins {
          cthreads_spin_pause()
        } else {
          sched_yield()
        }
      }
    }

    /// Claims and runs chunks of job `generation` until none is left.
    private func work(
      generation: UInt64, job: Job, context: UnsafeMutableRawPointer, chunks: Int, thread: Int
    ) {
      var current = ticket.load(ordering: .acquiring)
      while Self.generation(current) == generation && current & 0xFFFF_FFFF > 0 {
        let exchange = ticket.compareExchange(
          expected: current, desired: current - 1, ordering: .acquiringAndReleasing)
        if exchange.exchanged {
          job(context, Int(current & 0xFFFF_FFFF) - 1, chunks, thread)
          completed.add(1, ordering: .releasing)
          current = ticket.load(ordering: .acquiring)
        } else {
          current = exchange.original
        }
      }
    }

    func stop() {
      // Under the mutex, so an errand is either posted before (and a helper runs it before it
      // returns) or refused (and runs in the poster).
      pthread_mutex_lock(mutex)
      stopping.store(true, ordering: .sequentiallyConsistent)
      let generation = (Self.generation(ticket.load(ordering: .relaxed)) &+ 1) & 0xFFFF_FFFF
      ticket.store(generation << 32, ordering: .sequentiallyConsistent)
      pthread_cond_broadcast(condition)
      pthread_mutex_unlock(mutex)
    }

    /// Hands `errand` to the helpers; false once the team is stopping or while another
    /// errand waits (the poster then runs it).
    func post(_ errand: @escaping @Sendable () -> Void) -> Bool {
      pthread_mutex_lock(mutex)
      defer { pthread_mutex_unlock(mutex) }
      guard !stopping.load(ordering: .sequentiallyConsistent), self.errand == nil else {
        return false
      }
      self.errand = errand
      errandWaiting.store(true, ordering: .sequentiallyConsistent)
      pthread_cond_broadcast(condition)
      return true
    }

    /// The waiting errand, taken (nil when there is none).
    private func takeErrand() -> (@Sendable () -> Void)? {
      guard errandWaiting.load(ordering: .acquiring) else { return nil }
      pthread_mutex_lock(mutex)
      defer { pthread_mutex_unlock(mutex) }
      let taken = errand
      errand = nil
      errandWaiting.store(false, ordering: .relaxed)
      return taken
    }

    /// A helper: waits for each new generation and helps with its chunks.
    func helperLoop(thread: Int) {
      var seen: UInt64 = 0
      while true {
        // An errand first: the caller does the chunks of the jobs meanwhile.
        if let errand = takeErrand() {
          errand()
          continue
        }
        var generation = Self.generation(ticket.load(ordering: .acquiring))
        var spins = 0
        while generation == seen && spins < Self.helperSpins
          && !errandWaiting.load(ordering: .relaxed)
        {
          if spins & Self.helperYieldMask == Self.helperYieldMask {
            sched_yield()
          } else {
            cthreads_spin_pause()
          }
          spins += 1
          generation = Self.generation(ticket.load(ordering: .acquiring))
        }
        if generation == seen && errandWaiting.load(ordering: .relaxed) { continue }
        if generation == seen {
          pthread_mutex_lock(mutex)
          sleepers.add(1, ordering: .sequentiallyConsistent)
          while Self.generation(ticket.load(ordering: .sequentiallyConsistent)) == seen
            && !stopping.load(ordering: .sequentiallyConsistent)
            && !errandWaiting.load(ordering: .sequentiallyConsistent)
          {
            pthread_cond_wait(condition, mutex)
          }
          sleepers.subtract(1, ordering: .sequentiallyConsistent)
          pthread_mutex_unlock(mutex)
          generation = Self.generation(ticket.load(ordering: .acquiring))
        }
        if stopping.load(ordering: .acquiring) {
          takeErrand()?()
          return
        }
        if generation == seen { continue }  // woken for an errand
        seen = generation
        // Read after seeing the generation: this job's values, or (if the job is already
        // finished) a later job's, which `work` then never uses: its claims check the
        // generation.
        let function = unsafeBitCast(Int(bitPattern: job.load(ordering: .relaxed)), to: Job.self)
        guard let pointer = UnsafeMutableRawPointer(bitPattern: context.load(ordering: .relaxed))
        else { continue }
        work(
          generation: generation, job: function, context: pointer,
          chunks: chunks.load(ordering: .relaxed), thread: thread)
      }
    }
  }
}
