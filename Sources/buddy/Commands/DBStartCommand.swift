import ArgumentParser
import WorkoutStore

/// `buddy db start`: create and start the private cluster, point the config at it, migrate.
struct DBStartCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "start",
    abstract: "Create (the first time) and start the private PostgreSQL cluster, then migrate it.",
    discussion: """
      Starting a running cluster does nothing. After a crash, a stale postmaster.pid is cleared.
      The cluster's URL is written to the config file as `database_url`.

      Examples:
        buddy db start
        BUDDY_CLUSTER_DIR=/srv/buddy-pg buddy db start
      """
  )

  func run() throws {
    let cluster = PrivateCluster()
    let outcome = try cluster.start()
    switch outcome {
    case .alreadyRunning:
      print("private cluster: already running (socket \(cluster.socketDirectory))")
    case .started: print("private cluster: started (socket \(cluster.socketDirectory))")
    case .initializedAndStarted:
      print("private cluster: created in \(cluster.directory) and started")
    }
    try ClusterDatabase.ensureDatabase(in: cluster)
    var config = try ConfigFile()
    let previous = config.value(for: "database_url")
    if previous != cluster.url {
      config.set("database_url", cluster.url)
      try config.save()
      print("config: database_url = \(cluster.url) (\(config.path))")
    }
    let connection = try DatabaseOptions.connect(
      to: DatabaseLocation(url: cluster.url, source: .configFile))
    let applied = try SchemaMigrator(connection: connection).migrate()
    print(MigrationReport.line(applied: applied))
  }
}
