import ArgumentParser
import Logging
import Postgres
import WorkoutStore

/// The `--database-url` option shared by every command that uses the database.
struct DatabaseOptions: ParsableArguments {
  @Option(
    name: .customLong("database-url"),
    help: ArgumentHelp(
      "PostgreSQL URL or conninfo (overrides $BUDDY_DATABASE_URL, $DATABASE_URL and the config).",
      valueName: "url"))
  var databaseURL: String?

  /// Where the database is.
  func location() throws -> DatabaseLocation {
    try DatabaseLocation.resolve(option: databaseURL)
  }

  /// Where an administrator's connection goes: the configured location, except that on the
  /// private cluster buddy uses the cluster's own superuser (users connect as its client role).
  func administratorLocation() throws -> DatabaseLocation {
    let location = try location()
    let cluster = PrivateCluster()
    guard cluster.isTarget(of: location.url) else { return location }
    return DatabaseLocation(url: cluster.administratorURL, source: location.source)
  }

  /// Connects, turning a failure into "database unavailable" (exit 69) with a hint.
  func connect() throws -> PostgresConnection {
    try Self.connect(to: try location())
  }

  /// Connects to `location`, turning a failure into "database unavailable" (exit 69). On a
  /// multi-host URL `target` picks the server (``SessionTarget``), and a `.readWrite`
  /// connection's WAL position is remembered when the command ends (``LastWritePosition``).
  static func connect(
    to location: DatabaseLocation, target: SessionTarget = .readWrite
  ) throws -> PostgresConnection {
    do {
      let connection = try PostgresConnection(
        location.url, connectTimeout: 5, target: target, logger: Log.database)
      if target == .readWrite && SessionTarget.isReplicated(location.url) {
        LastWritePosition.track(connection, url: location.url)
      }
      return connection
    } catch let error as PostgresError {
      var hint = ""
      if location.source == .configFile || location.source == .libpqDefaults {
        hint = "; is it running? (`buddy db start` starts the private cluster)"
      }
      throw CLIError(
        .unavailable,
        "cannot reach the database (\(location.redactedWithSource)): \(error.message)\(hint)")
    }
  }

  /// Connects and checks that the schema is the one this binary expects (exit 78 otherwise).
  /// Uploading workouts saved offline is the caller's step (`OutboxSync.uploadQuietly`).
  func connectMigrated() throws -> PostgresConnection {
    let connection = try connect()
    try SchemaMigrator(connection: connection).requireCurrent()
    return connection
  }

  /// Like ``connectMigrated()`` for `access`: a read on a multi-host URL may land on a standby
  /// that has replayed this user's last write (``ReplicaRead``); `onStandby` says whether it did.
  func connectMigrated(_ access: DatabaseAccess) throws -> (
    connection: PostgresConnection, onStandby: Bool
  ) {
    guard access == .read else { return (try connectMigrated(), false) }
    let location = try location()
    let read = try ReplicaRead.connect(location) { try Self.connect(to: location, target: $0) }
    try SchemaMigrator(connection: read.connection).requireCurrent()
    return read
  }
}
