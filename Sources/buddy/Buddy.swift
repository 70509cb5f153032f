import ArgumentParser
import WorkoutStore

/// The root command: `buddy`.
struct Buddy: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "buddy",
    abstract: "Exercise Buddy: count push-ups, squats and jump rope from pose data; keep a log.",
    discussion: """
      Configuration: $XDG_CONFIG_HOME/exercise-buddy/config (`buddy config --help`). \
      Database, first found: --database-url, $BUDDY_DATABASE_URL, $DATABASE_URL, \
      `database_url` in the config file, then libpq's defaults (PG* variables, \
      ~/.pgpass, service files). `buddy db start` runs a private PostgreSQL. \
      Diagnostics (server notices, the DETAIL of database errors): set BUDDY_LOG=debug.

      Examples:
        buddy count --exercise push-up s.json   count the push-ups in a landmark file
        buddy pose --fps 15 frames/ > s.jsonl   pose landmarks from JPEG frames
        buddy register --email ann@example.com --username ann
        buddy login ann
        buddy whoami
        buddy export -o w.jsonl   all your workouts, for `buddy import` elsewhere
        buddy db start            start the private PostgreSQL cluster and migrate it
        buddy db status           where the database is and its schema version
        buddy config list         show the configuration file

      Exit codes:
      \(ExitStatus.helpTable)
      """,
    version: "buddy \(BuddyVersion.number) (schema version \(Migration.latestVersion))",
    subcommands: [
      CountCommand.self, PoseCommand.self, RegisterCommand.self, LoginCommand.self,
      LogoutCommand.self,
      WhoamiCommand.self, SessionsCommand.self, PasswdCommand.self, AccountCommand.self,
      RecordCommand.self, ImportCommand.self, ExportCommand.self, SyncCommand.self,
      HistoryCommand.self,
      StatsCommand.self, WorkoutCommand.self,
      ProfileCommand.self,
      DBCommand.self, ServerCommand.self, ConfigCommand.self,
    ]
  )
}
