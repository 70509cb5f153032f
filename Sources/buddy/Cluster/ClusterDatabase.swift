import Postgres

/// Creates the `buddy` database inside a freshly started private cluster.
enum ClusterDatabase {
  static func ensureDatabase(in cluster: PrivateCluster) throws {
    let connection = try DatabaseOptions.connect(
      to: DatabaseLocation(url: cluster.url(database: "postgres"), source: .configFile))
    let exists = try connection.query(
      "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", [PrivateCluster.databaseName])
    if try !exists[0].decode(0, as: Bool.self) {
      try connection.execute(script: "CREATE DATABASE buddy")
    }
  }
}
