import Foundation

/// The login throttling rule: after `maximumFailures` failed attempts for one account within
/// `window`, attempts are refused for `lockout` after the last failure, without checking the
/// password. A successful login resets the count.
public struct LoginThrottle: Sendable {
  public var maximumFailures = 5
  public var window: TimeInterval = 15 * 60
  public var lockout: TimeInterval = 15 * 60

  public init() {}

  /// When the account is locked until, given its most recent failures (newest first, at most
  /// `maximumFailures`, all after the last success) and the current time; nil when not locked.
  func lockedUntil(recentFailures: [Date], now: Date) -> Date? {
    guard recentFailures.count >= maximumFailures, let newest = recentFailures.first,
      let oldest = recentFailures.last
    else { return nil }
    guard newest.timeIntervalSince(oldest) <= window else { return nil }
    let until = newest.addingTimeInterval(lockout)
    return now < until ? until : nil
  }
}
