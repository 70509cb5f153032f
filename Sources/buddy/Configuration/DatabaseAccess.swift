/// What a command does with the database, which decides where a multi-host URL connects it:
/// reads (`history`, `stats`, `workout show`, `export`, `whoami`) prefer a standby, everything
/// else goes to the primary (see ``ReplicaRead``).
enum DatabaseAccess {
  /// Only reads: may use a standby (`target_session_attrs=prefer-standby`) and writes nothing.
  case read
  /// Writes: the primary (`target_session_attrs=read-write`); the WAL position is remembered
  /// afterwards (``LastWritePosition``).
  case write
}
