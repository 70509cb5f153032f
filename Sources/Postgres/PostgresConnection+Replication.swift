/// What a connection can tell about streaming replication.
extension PostgresConnection {
  /// Whether the server is a standby (`pg_is_in_recovery()`): it replays the primary's WAL and
  /// refuses every write with 25006 read_only_sql_transaction.
  public func isInRecovery() throws -> Bool {
    try query("SELECT pg_is_in_recovery()")[0].decode(0, as: Bool.self)
  }

  /// The primary's current WAL insert position (`pg_current_wal_insert_lsn()`): at or after
  /// the end of every transaction this connection has committed.
  public func currentWALInsertPosition() throws -> WALPosition {
    let text = try query("SELECT pg_current_wal_insert_lsn()::text")[0].decode(0, as: String.self)
    guard let position = WALPosition(text) else {
      throw PostgresError(kind: .typeMismatch, message: "unexpected WAL position \(text)")
    }
    return position
  }

  /// Whether this standby has replayed the WAL up to `position` (`pg_last_wal_replay_lsn()`);
  /// false when it has replayed nothing yet.
  public func hasReplayed(_ position: WALPosition) throws -> Bool {
    try query(
      "SELECT coalesce(pg_last_wal_replay_lsn() >= $1::text::pg_lsn, false)",
      [position.description]
    )[0].decode(0, as: Bool.self)
  }
}
