import ArgumentParser
import WorkoutStore

/// `buddy db migrate`: apply pending schema migrations.
struct DBMigrateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "migrate",
    abstract: "Apply the schema migrations this buddy carries (one transaction, safe to re-run).",
    discussion: """
      Needs an administrator's connection (a superuser, or a role with CREATEROLE that owns \
      the database): it makes the owner role buddy_owner and the group buddy_clients when \
      missing, the account API, the policies and the grants; a client role gets exit 77. On \
      the private cluster buddy uses its own administrator connection. Concurrent runs are \
      serialised by an advisory lock; the second finds nothing to do. `buddy server init` \
      does the same and also makes the client login role.

      From schema version 8 on, workouts are kept in monthly partitions; every run also makes \
      the partitions of this month and the next 12 ahead, and moves rows that landed in the \
      DEFAULT partition into partitions of their months (see README, "Monthly partitions"). \
      Converting a populated database to version 8 locks the workouts for the length of the \
      migration (29 s for 500,000 workouts on a busy 2-core machine).

      --to VERSION stops at that schema version (for comparisons such as \
      scripts/bench.sh scale-partitions, or to take a large upgrade one step at a time); \
      buddy never migrates down, so a VERSION below the database's is refused (exit 64). \
      Other commands refuse a database that is not at the latest version.

      Examples:
        buddy db migrate
        buddy db migrate --database-url postgresql://postgres@db.example.com/buddy
        buddy db migrate --to 7
      """
  )

  @OptionGroup var database: DatabaseOptions

  @Option(
    name: .customLong("to"),
    help: ArgumentHelp(
      "Stop at this schema version (never below the database's).", valueName: "VERSION"))
  var targetVersion: Int?

  func validate() throws {
    if let targetVersion, !(1...Migration.latestVersion).contains(targetVersion) {
      throw ValidationError(
        "--to must be a schema version from 1 to \(Migration.latestVersion), not \(targetVersion)")
    }
  }

  func run() throws {
    let connection = try DatabaseOptions.connect(to: try database.administratorLocation())
    let setup = ServerSetup(connection: connection)
    try setup.requireAdministrator()
    let target = targetVersion ?? Migration.latestVersion
    let migrator = SchemaMigrator(
      connection: connection, migrations: Migration.all.filter { $0.version <= target })
    let current = try migrator.currentVersion()
    if current > target {
      throw CLIError(
        .usage,
        "the database schema is at version \(current), past --to \(target); "
          + "buddy never migrates down")
    }
    let applied = try migrator.migrate()
    print(MigrationReport.line(applied: applied, latest: target))
    try moveThePrivateClusterToItsClientRole(setup)
  }

  /// A private cluster set up before schema v2 has the superuser's URL in the config: from now
  /// on users' commands connect as the client role, as `buddy db start` arranges.
  private func moveThePrivateClusterToItsClientRole(_ setup: ServerSetup) throws {
    let cluster = PrivateCluster()
    var config = try ConfigFile()
    guard config.value(for: "database_url") == cluster.administratorURL else { return }
    _ = try setup.ensureClientRole(name: PrivateCluster.clientRole, password: nil)
    config.set("database_url", cluster.url)
    try config.save()
    print("config: database_url = \(cluster.url) (\(config.path))")
  }
}

/// The one-line report of a migration run.
enum MigrationReport {
  static func line(applied: [Migration], latest: Int = Migration.latestVersion) -> String {
    guard !applied.isEmpty else { return "schema: version \(latest) of \(latest), up to date" }
    let names = applied.map { "\($0.version) (\($0.name))" }.joined(separator: ", ")
    let noun = applied.count == 1 ? "migration" : "migrations"
    return "schema: applied \(applied.count) \(noun): \(names); now version \(latest) of \(latest)"
  }
}
