import Foundation

/// How a write waits for a primary after its server went away (``PostgresError/meansServerGone``):
/// reconnect at once, then after 100 ms, doubling up to 1 s between attempts, until a
/// connection is made or `waitMilliseconds` have passed since the loss; then re-run the
/// interrupted work from its start.
///
/// Reconnecting through the same multi-host URL with `target_session_attrs=read-write` lets
/// libpq try every host and settle on whichever has become the primary. The interrupted
/// transaction may have committed before the connection died, so the work must be idempotent
/// (a client-chosen id, a source digest).
///
/// ```swift
/// let retry = FailoverRetry(waitMilliseconds: 30_000)
/// let saved = try retry.perform { attempt in try store(on: connection) } reconnect: {
///   connection = try PostgresConnection(url, target: .readWrite, logger: logger)
/// }
/// ```
public struct FailoverRetry: Sendable, Equatable {
  /// The default bound: 30 s, several times the time pg_auto_failover needs to promote.
  public static let defaultWaitMilliseconds = 30_000
  /// The largest bound accepted: 10 minutes.
  public static let maximumWaitMilliseconds = 600_000
  /// The pause before the second reconnection attempt (the first is immediate).
  public static let firstDelayMilliseconds = 100
  /// The longest pause between two attempts.
  public static let longestDelayMilliseconds = 1_000

  /// How long after a loss reconnection is tried; 0 gives up at once.
  public let waitMilliseconds: Int

  /// A policy waiting at most `waitMilliseconds` (clamped to 0…``maximumWaitMilliseconds``).
  public init(waitMilliseconds: Int) {
    self.waitMilliseconds = min(max(waitMilliseconds, 0), Self.maximumWaitMilliseconds)
  }

  /// What to do before the next reconnection attempt.
  public enum Decision: Sendable, Equatable {
    /// Pause this many milliseconds (0: none), then try.
    case retry(afterMilliseconds: Int)
    /// The bound is spent: give up.
    case giveUp
  }

  /// The pause before attempt `attempt` (1 is the first): 0, 100, 200, 400, 800, then 1000 ms.
  public static func delay(beforeAttempt attempt: Int) -> Int {
    guard attempt > 1 else { return 0 }
    let doublings = min(attempt - 2, 10)
    return min(firstDelayMilliseconds << doublings, longestDelayMilliseconds)
  }

  /// Whether and when to make attempt `attempt` (1 is the first), `elapsed` milliseconds after
  /// the loss: never past the bound, so the last pause is shortened to end on it (and the last
  /// attempt is made there).
  public func decision(beforeAttempt attempt: Int, elapsedMilliseconds elapsed: Int) -> Decision {
    let remaining = waitMilliseconds - max(elapsed, 0)
    guard remaining > 0 else { return .giveUp }
    return .retry(afterMilliseconds: min(Self.delay(beforeAttempt: attempt), remaining))
  }

  /// The clock the retry loop reads and sleeps on (tests pass a fake one).
  public struct Clock {
    /// Milliseconds since any fixed point.
    public var now: () -> Int
    /// Sleeps this many milliseconds.
    public var sleep: (Int) -> Void

    /// Makes a clock from its two functions.
    public init(now: @escaping () -> Int, sleep: @escaping (Int) -> Void) {
      self.now = now
      self.sleep = sleep
    }

    /// The monotonic system clock and `usleep`.
    public static var system: Clock {
      Clock(
        now: { Int(DispatchTime.now().uptimeNanoseconds / 1_000_000) },
        sleep: { usleep(UInt32(max($0, 0)) * 1000) })
    }
  }

  /// Runs `work` (passing 0, then 1, 2, … for each re-run after a reconnection). When it throws
  /// an error that means the server is gone, `lost` is told, `reconnect` is tried by this policy
  /// (its own server-gone errors are retried, any other is thrown), and `work` runs again. The
  /// bound counts from the first loss, so a flapping server cannot keep it going. Gives up with
  /// a `.connectionFailure` error that says how long it waited and the last reason.
  public func perform<T>(
    _ work: (_ attempt: Int) throws -> T,
    reconnect: () throws -> Void,
    lost: (PostgresError) -> Void = { _ in },
    clock: Clock = .system
  ) throws -> T {
    var firstLoss: Int?
    var rerun = 0
    while true {
      do {
        return try work(rerun)
      } catch let error as PostgresError where error.meansServerGone {
        lost(error)
        let start = firstLoss ?? clock.now()
        firstLoss = start
        try awaitReconnection(since: start, lastError: error, clock: clock, reconnect)
        rerun += 1
      }
    }
  }

  /// Calls `reconnect` until it succeeds, pausing between attempts and retrying only errors
  /// that mean no server (or no primary) answered yet, until the bound, counted from `start`
  /// (a ``Clock/now`` reading), is spent; then throws a `.connectionFailure` error naming the
  /// bound and `lastError`'s message (or the last attempt's).
  public func awaitReconnection(
    since start: Int, lastError: PostgresError, clock: Clock = .system,
    _ reconnect: () throws -> Void
  ) throws {
    var last = lastError
    var attempt = 1
    while true {
      switch decision(beforeAttempt: attempt, elapsedMilliseconds: clock.now() - start) {
      case .giveUp:
        throw PostgresError(
          kind: .connectionFailure,
          message: "no primary accepted writes within \(waitMilliseconds) ms: \(last.message)")
      case .retry(let pause):
        if pause > 0 { clock.sleep(pause) }
      }
      do {
        try reconnect()
        return
      } catch let error as PostgresError where error.meansServerGone {
        last = error
      }
      attempt += 1
    }
  }
}
