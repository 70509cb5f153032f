import Foundation
import Logging
import Postgres
import WorkoutStore

/// The logged-in user's write connection for `record` and `import`, kept through a failover.
///
/// On a URL that names several hosts, a write whose server goes away (killed, or demoted to a
/// standby: ``PostgresError/meansServerGone``) reconnects through the same URL, where libpq's
/// `target_session_attrs=read-write` finds the new primary, and runs again from the start of
/// its transaction; the caller makes that re-run idempotent (client-chosen ids). Reconnecting is
/// tried for `BUDDY_FAILOVER_WAIT_MS` milliseconds (default 30000, 0 to 600000; 0 on a one-host
/// URL, where nothing can take over) with pauses from 100 ms to 1 s (``FailoverRetry``).
/// The same bound applies when the command starts and no host takes writes yet.
final class FailoverWriter {
  /// The user and the connection the next write uses (a new one after a failover).
  private(set) var user: CurrentUser
  /// How long a lost primary is waited for.
  let retry: FailoverRetry
  /// Called before the "primary lost" note, e.g. to clear a progress line.
  var beforeNote: () -> Void = {}
  private let location: DatabaseLocation

  private init(user: CurrentUser, retry: FailoverRetry, location: DatabaseLocation) {
    self.user = user
    self.retry = retry
    self.location = location
  }

  /// `BUDDY_FAILOVER_WAIT_MS`, 0 to 600000; unset or empty gives 30000 on a multi-host URL and 0
  /// on one host. Exit 78 for anything else.
  static func waitMilliseconds(_ text: String?, replicated: Bool) throws -> Int {
    guard let text, !text.isEmpty else {
      return replicated ? FailoverRetry.defaultWaitMilliseconds : 0
    }
    guard text.count <= 6, text.allSatisfy(\.isASCII), let value = Int(text),
      (0...FailoverRetry.maximumWaitMilliseconds).contains(value)
    else {
      throw CLIError(
        .config,
        "BUDDY_FAILOVER_WAIT_MS must be a whole number of milliseconds from 0 to "
          + "\(FailoverRetry.maximumWaitMilliseconds), not '\(text.prefix(20))'")
    }
    return value
  }

  /// Connects as ``CurrentUser/require(_:outbox:access:)`` does (exit 77, 69, 78 the same way);
  /// when no host takes writes, it first waits up to the bound for one to (said on stderr).
  static func connect(
    _ database: DatabaseOptions, outbox: CurrentUser.OutboxStep
  ) throws -> FailoverWriter {
    let location = try database.location()
    let wait = try waitMilliseconds(
      Paths.environment("BUDDY_FAILOVER_WAIT_MS"),
      replicated: SessionTarget.isReplicated(location.url))
    let retry = FailoverRetry(waitMilliseconds: wait)
    do {
      let user = try CurrentUser.require(database, outbox: outbox)
      return FailoverWriter(user: user, retry: retry, location: location)
    } catch let error as CLIError where error.status == .unavailable && wait > 0 {
      Terminal.note(
        "no server takes writes yet; waiting up to \(wait) ms for a primary "
          + "(BUDDY_FAILOVER_WAIT_MS)")
      do {
        try retry.awaitReconnection(
          since: FailoverRetry.Clock.system.now(),
          lastError: PostgresError(kind: .connectionFailure, message: error.description)
        ) {
          try PostgresConnection(
            location.url, connectTimeout: 5, target: .readWrite, logger: Log.database
          ).close()
        }
      } catch let failure as PostgresError {
        throw CLIError(
          .unavailable,
          "cannot reach the database (\(location.redactedWithSource)): \(failure.message)")
      }
      let user = try CurrentUser.require(database, outbox: outbox)
      return FailoverWriter(user: user, retry: retry, location: location)
    }
  }

  /// Runs `work` with the user's connection; when the server goes away in it, reconnects to the
  /// primary within the bound and runs it again (`rerun` true: the lost attempt may have
  /// committed). Throws the give-up error (`.connectionFailure`) when no primary came back.
  func perform<T>(_ work: (_ user: CurrentUser, _ rerun: Bool) throws -> T) throws -> T {
    guard retry.waitMilliseconds > 0 else { return try work(user, false) }
    return try retry.perform(
      { attempt in try work(user, attempt > 0) },
      reconnect: reconnect,
      lost: { error in
        beforeNote()
        Terminal.note("primary lost, reconnecting… (\(error.message))")
      })
  }

  /// A new connection to whichever host now takes writes, signed in with the same session.
  private func reconnect() throws {
    let connection = try PostgresConnection(
      location.url, connectTimeout: 5, target: .readWrite, logger: Log.database)
    if SessionTarget.isReplicated(location.url) {
      LastWritePosition.track(connection, url: location.url)
    }
    let store = AccountStore(connection: connection)
    let authenticated = try store.authenticate(user.token)
    user.connection.close()
    user = CurrentUser(
      connection: connection, store: store, token: user.token, authenticated: authenticated)
    Terminal.note(
      "reconnected to the primary \(connection.host):\(connection.port); "
        + "running the interrupted write again")
  }
}
