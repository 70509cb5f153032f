import ArgumentParser

/// `buddy db`: the database, its private cluster and its schema.
struct DBCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "db",
    abstract: "Start, stop and inspect the database and migrate its schema.",
    discussion: """
      Without any database configured, Exercise Buddy runs its own private PostgreSQL cluster: \
      data in $XDG_DATA_HOME/exercise-buddy/postgres (root: /var/lib/exercise-buddy/postgres, run \
      as the `postgres` user; $BUDDY_CLUSTER_DIR overrides), reachable only through a Unix socket \
      in that directory.

      Examples:
        buddy db start       create (first time), start and migrate the cluster
        buddy db status      cluster state and schema version
        buddy db migrate     bring any configured database to this buddy's schema
        buddy db stop        stop the private cluster
        buddy db backup      dump the private cluster to a dated file (keeps 7)
        buddy db restore F   replace the private cluster's data with backup F
      """,
    subcommands: [
      DBStartCommand.self, DBStopCommand.self, DBStatusCommand.self, DBMigrateCommand.self,
      DBBackupCommand.self, DBRestoreCommand.self,
    ]
  )
}
