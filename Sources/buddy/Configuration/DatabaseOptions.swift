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

  /// Connects to `location`, turning a failure into "database unavailable" (exit 69).
  static func connect(to location: DatabaseLocation) throws -> PostgresConnection {
    do {
      return try PostgresConnection(location.url, connectTimeout: 5, logger: Log.database)
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
}
