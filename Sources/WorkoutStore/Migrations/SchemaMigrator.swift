import Foundation
import Postgres

/// Applies the embedded migrations and reports the schema version of a database.
public struct SchemaMigrator {
  /// The advisory-lock key that serialises concurrent migrations ("buddy" in ASCII).
  static let lockKey = 0x62_75_64_64_79

  private let connection: PostgresConnection
  private let migrations: [Migration]
  private let usePartman: Bool

  /// Works on `connection` with the given migrations (all of this binary's by default). From
  /// version 8 every run makes the monthly partitions of `workouts` ahead, with pg_partman when
  /// `usePartman` and the server has it (see ``WorkoutPartitions``).
  public init(
    connection: PostgresConnection, migrations: [Migration] = Migration.all,
    usePartman: Bool = true
  ) {
    self.connection = connection
    self.migrations = migrations
    self.usePartman = usePartman
  }

  /// The newest version this migrator knows.
  public var latestVersion: Int { migrations.last?.version ?? 0 }

  /// The version the database is at; 0 when it has never been migrated.
  public func currentVersion() throws -> Int {
    let exists = try connection.query(
      "SELECT to_regclass('public.schema_migrations') IS NOT NULL")
    guard try exists[0].decode(0, as: Bool.self) else { return 0 }
    return try connection.query("SELECT coalesce(max(version), 0) FROM public.schema_migrations")[0]
      .decode(0, as: Int.self)
  }

  /// Throws unless the database is exactly at `latestVersion`.
  public func requireCurrent() throws {
    let current = try currentVersion()
    if current < latestVersion {
      throw MigrationError.databaseBehind(current: current, latest: latestVersion)
    }
    if current > latestVersion {
      throw MigrationError.databaseAhead(current: current, latest: latestVersion)
    }
  }

  /// Applies every pending migration in one transaction under an advisory lock, and returns the
  /// ones it applied (empty when the database was already current). First it makes the roles
  /// the schema relies on when they are missing (`RoleSetup`), so it needs an administrator: a
  /// superuser, or a role with CREATEROLE that owns the database.
  @discardableResult
  public func migrate() throws -> [Migration] {
    try connection.transaction {
      try connection.query("SELECT pg_advisory_xact_lock($1)", [Self.lockKey])
      try connection.execute(script: RoleSetup.sql)
      try connection.execute(
        script: """
          CREATE TABLE IF NOT EXISTS public.schema_migrations (
            version    integer PRIMARY KEY CHECK (version > 0),
            name       text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
          )
          """)
      let current = try currentVersion()
      if current > latestVersion {
        throw MigrationError.databaseAhead(current: current, latest: latestVersion)
      }
      let pending = migrations.filter { $0.version > current }
      for migration in pending {
        try connection.execute(script: migration.sql)
        try connection.query(
          "INSERT INTO public.schema_migrations (version, name) VALUES ($1, $2)",
          [migration.version, migration.name])
      }
      try WorkoutPartitions.maintain(
        connection, schemaVersion: max(current, latestVersion), usePartman: usePartman)
      return pending
    }
  }
}
