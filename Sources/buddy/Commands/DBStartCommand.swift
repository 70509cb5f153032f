import ArgumentParser
import WorkoutStore

/// `buddy db start`: create and start the private cluster, point the config at it, migrate.
struct DBStartCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "start",
    abstract: "Create (the first time) and start the private PostgreSQL cluster, then migrate it.",
    discussion: """
      Starting a running cluster does nothing. After a crash, a stale postmaster.pid is cleared. \
      Users' commands connect as the client role buddy_client (row-level security, the \
      account functions; see `buddy server init --help`); its URL is written to the config \
      file as `database_url`. `buddy db migrate` uses the cluster's superuser by itself.

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
    let connection = try DatabaseOptions.connect(
      to: DatabaseLocation(url: cluster.administratorURL, source: .configFile))
    let applied = try SchemaMigrator(connection: connection).migrate()
    print(MigrationReport.line(applied: applied))
    // Users' commands connect as the client role, as on a shared server: the database decides
    // whose rows they see. The socket is the cluster owner's alone, so no password is needed.
    let role = try ServerSetup(connection: connection).ensureClientRole(
      name: PrivateCluster.clientRole, password: nil)
    if role.change != .unchanged { print("client role \(role.role): \(role.change.rawValue)") }
    var config = try ConfigFile()
    let previous = config.value(for: "database_url")
    if previous != cluster.url {
      config.set("database_url", cluster.url)
      try config.save()
      print("config: database_url = \(cluster.url) (\(config.path))")
    }
  }
}
