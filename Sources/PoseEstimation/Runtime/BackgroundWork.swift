#if canImport(Glibc)
internal import Glibc
#endif

/// Work started now on a thread of its own and waited for later, so that start-up steps that
/// do not depend on each other overlap (one model loads while the other does, or while the
/// first frame is read and decoded).
///
/// `wait()` returns what the work returned or throws what it threw; the thread is joined
/// there, so everything the work wrote is visible to the caller afterwards. The work is
/// handed over whole: the caller must not touch what the closure captured until `wait()`
/// returns. When no thread can be started the work runs inside `wait()` instead, and when
/// `wait()` is never called the thread is joined (and its result dropped) on release.
public final class BackgroundWork<Value, Failure: Error>: @unchecked Sendable {
  private let task: BackgroundTask<Value, Failure>
  private var thread: pthread_t?

  /// Starts `work` on a new thread.
  public init(_ work: @escaping () throws(Failure) -> Value) {
    task = BackgroundTask(work)
    thread = startThread(running: task)
  }

  deinit {
    if let thread { pthread_join(thread, nil) }
  }

  /// Waits for the work to end; returns its value or throws its error (the same on every
  /// call).
  public func wait() throws(Failure) -> Value {
    if let thread {
      pthread_join(thread, nil)
      self.thread = nil
    }
    task.run()  // nothing left to do when the thread ran it; the work itself when none started
    guard let result = task.result else {
      // Unreachable: `run` sets the result whenever the work was there, and only `run`
      // takes the work away.
      preconditionFailure("BackgroundWork finished without a result")
    }
    return try result.get()
  }
}

/// What a thread runs: the non-generic face of `BackgroundTask`, so the thread's C entry
/// point can call it.
private class BackgroundRunnable: @unchecked Sendable {
  func run() {}
}

/// The work and its result, shared with the thread, which holds a reference until it ends.
private final class BackgroundTask<Value, Failure: Error>: BackgroundRunnable,
  @unchecked Sendable
{
  private var work: (() throws(Failure) -> Value)?
  private(set) var result: Result<Value, Failure>?

  init(_ work: @escaping () throws(Failure) -> Value) { self.work = work }

  /// Runs the work once and keeps its result.
  override func run() {
    guard let work else { return }
    self.work = nil
    do throws(Failure) {
      result = .success(try work())
    } catch {
      result = .failure(error)
    }
  }
}

/// Starts a thread running `runnable` (which it keeps until it ends); nil when no thread
/// could be started.
private func startThread(running runnable: BackgroundRunnable) -> pthread_t? {
  let context = Unmanaged.passRetained(runnable)
  var handle = pthread_t()
  let status = pthread_create(
    &handle, nil,
    { raw in
      guard let raw else { return nil }
      Unmanaged<BackgroundRunnable>.fromOpaque(raw).takeRetainedValue().run()
      return nil
    }, context.toOpaque())
  guard status == 0 else {
    context.release()
    return nil
  }
  return handle
}
