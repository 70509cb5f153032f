import ArgumentParser
import WorkoutStore

/// `buddy db migrate`: apply pending schema migrations.
struct DBMigrateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "migrate",
    abstract: "Apply the schema migrations this buddy carries (one transaction, safe to re-run).",
    discussion: """
      Concurrent runs are serialised by an advisory lock; the second finds nothing to do.

      Examples:
        buddy db migrate
        buddy db migrate --database-url postgresql://buddy@db.example.com/buddy
      """
  )

  @OptionGroup var database: DatabaseOptions

  func run() throws {
    let connection = try database.connect()
    let applied = try SchemaMigrator(connection: connection).migrate()
    print(MigrationReport.line(applied: applied))
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
