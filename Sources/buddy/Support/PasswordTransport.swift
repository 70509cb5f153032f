import Postgres

/// Warns, once per process, before a password goes to a remote server over a connection that is
/// not encrypted. libpq's `sslmode` (in the URL, `PGSSLMODE` or a service file) decides whether
/// TLS is used; `sslmode=verify-full` is the setting for a server across a network.
enum PasswordTransport {
  nonisolated(unsafe) private static var warned = false

  /// Call before sending a password over `connection`.
  static func check(_ connection: PostgresConnection) {
    guard !warned, !connection.isLocal, !connection.isEncrypted else { return }
    warned = true
    Terminal.note(
      "warning: sending a password to \(connection.host) over a connection that is not "
        + "encrypted; add sslmode=verify-full to the database URL")
  }
}
