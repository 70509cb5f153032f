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

      Examples:
        buddy db migrate
        buddy db migrate --database-url postgresql://postgres@db.example.com/buddy
      """
  )

  @OptionGroup var database: DatabaseOptions

  func run() throws {
    let connection = try DatabaseOptions.connect(to: try database.administratorLocation())
    let setup = ServerSetup(connection: connection)
    try setup.requireAdministrator()
    let applied = try SchemaMigrator(connection: connection).migrate()
    print(MigrationReport.line(applied: applied))
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
  static func line(applied: [Migration]) -> String {
    let latest = Migration.latestVersion
    guard !applied.isEmpty else { return "schema: version \(latest) of \(latest), up to date" }
    let names = applied.map { "\($0.version) (\($0.name))" }.joined(separator: ", ")
    let noun = applied.count == 1 ? "migration" : "migrations"
    return "schema: applied \(applied.count) \(noun): \(names); now version \(latest) of \(latest)"
  }
}
