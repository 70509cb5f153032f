extension PostgresError {
  /// SQLSTATEs that end a connection because its server is going away (57P01 admin shutdown,
  /// 57P02 crash shutdown, 57P03 cannot connect now) or is no longer the primary (25006
  /// read_only_sql_transaction: a write reached a server demoted to standby).
  static let serverGoneStates: Set<String> = ["57P01", "57P02", "57P03", "25006"]

  /// What libpq says (it sends no SQLSTATE then) when the connection broke, or when no host of
  /// the URL accepted a connection for writing. Lowercased.
  static let serverGonePhrases = [
    "server closed the connection unexpectedly", "no connection to the server",
    "could not send data to server", "could not receive data from server",
    "connection reset by peer", "broken pipe", "connection refused", "connection timed out",
    "timeout expired", "no route to host", "network is unreachable",
    "terminating connection", "eof detected", "ssl connection has been closed unexpectedly",
    "session is read-only", "server is in hot standby mode", "server does not allow writes",
    "the database system is starting up", "the database system is shutting down",
    "the database system is in recovery mode", "the database system is not yet accepting",
    "no such file or directory",
  ]

  /// Whether this error means that the server is gone or no longer the primary, so that the
  /// same URL may lead to another one (a failover): the connection broke or could not be made
  /// (SQLSTATE class 08, 57P01–57P03, or libpq's own words for a lost or refused connection),
  /// or a write met a read-only server (25006). A refused login (class 28, or an authentication
  /// message), a missing database or any error about the statement itself is not.
  ///
  /// A transaction that failed this way may or may not have committed: whoever retries it must
  /// make the retry idempotent.
  public var meansServerGone: Bool {
    if let state = sqlState {
      if state.hasPrefix("08") || Self.serverGoneStates.contains(state) { return true }
      // The connection went bad after an error that names something else (not a login).
      return kind == .connectionFailure && !state.hasPrefix("28")
    }
    guard kind == .connectionFailure else { return false }
    let text = message.lowercased()
    if text.contains("authentication failed") || text.contains("password") { return false }
    return Self.serverGonePhrases.contains { text.contains($0) }
  }
}
