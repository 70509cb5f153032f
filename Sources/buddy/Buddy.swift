import ArgumentParser
import WorkoutStore

/// The root command: `buddy`.
struct Buddy: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "buddy",
    abstract: "Exercise Buddy: count push-ups and jump-rope reps from pose data and keep a log.",
    discussion: """
      Data and configuration:
        config   $XDG_CONFIG_HOME/exercise-buddy/config (default ~/.config/exercise-buddy/config)
        database --database-url, $BUDDY_DATABASE_URL, $DATABASE_URL, `database_url` in the config
                 file, then libpq's defaults (PG* variables, ~/.pgpass, service files)

      Examples:
        buddy count --exercise push-up session.json   count push-ups in a landmark file
        buddy db start            start the private PostgreSQL cluster and migrate it
        buddy db status           where the database is and its schema version
        buddy config list         show the configuration file

      Exit codes:
      \(ExitStatus.helpTable)
      """,
    version: "buddy \(BuddyVersion.number) (schema version \(Migration.latestVersion))",
    subcommands: [CountCommand.self, DBCommand.self, ConfigCommand.self]
  )
}
