import ArgumentParser
import Postgres
import WorkoutStore

/// `buddy db status`: where the database is, whether the private cluster runs, the schema version.
struct DBStatusCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status",
    abstract: "Show the private cluster's state and the database's schema version.",
    discussion: """
      Exits 0 when the database is reachable and up to date, 69 when it cannot be reached, 78 when \
      the schema needs `buddy db migrate` (or is newer than this buddy).

      Examples:
        buddy db status
        buddy db status --format json
      """
  )

  @OptionGroup var database: DatabaseOptions
  @OptionGroup var output: FormatOption<OutputFormat>

  func run() throws {
    let location = try database.location()
    let cluster = PrivateCluster()
    let usesCluster = cluster.isTarget(of: location.url)
    var fields: [(String, JSON.Value)] = [
      ("database_url", .string(location.redacted)), ("source", .string(location.source.rawValue)),
    ]
    var lines: [String] = []
    if usesCluster {
      let state = cluster.state()
      let text: String
      switch state {
      case .running(let pid):
        text = "running (socket \(cluster.socketDirectory), pid \(pid))"
        fields.append(
          (
            "cluster",
            .object([
              ("state", .string("running")), ("directory", .string(cluster.directory)),
              ("socket", .string(cluster.socketDirectory)), ("pid", .integer(Int(pid))),
            ])
          ))
      case .stopped, .notInitialized:
        let name = state == .stopped ? "stopped" : "not created"
        text = "\(name) (\(cluster.directory))"
        fields.append(
          (
            "cluster",
            .object([
              ("state", .string(name)), ("directory", .string(cluster.directory)),
            ])
          ))
      }
      lines.append("private cluster: \(text)")
    } else {
      lines.append("database: \(location.redactedWithSource)")
    }
    let connection: PostgresConnection
    do {
      connection = try database.connect()
    } catch {
      emit(lines: lines, fields: fields + [("reachable", .bool(false))])
      throw error
    }
    let migrator = SchemaMigrator(connection: connection)
    let current = try migrator.currentVersion()
    let latest = migrator.latestVersion
    let verdict =
      current == latest
      ? "up to date"
      : current < latest ? "run `buddy db migrate`" : "newer than this buddy; upgrade buddy"
    lines.append(
      "schema: version \(current) of \(latest), \(verdict) (PostgreSQL \(Self.version(connection.serverVersion)))"
    )
    fields += [
      ("reachable", .bool(true)),
      ("server_version", .string(Self.version(connection.serverVersion))),
      ("schema_version", .integer(current)), ("latest_schema_version", .integer(latest)),
      ("up_to_date", .bool(current == latest)),
    ]
    emit(lines: lines, fields: fields)
    try migrator.requireCurrent()
  }

  private func emit(lines: [String], fields: [(String, JSON.Value)]) {
    switch output.format {
    case .text: print(lines.joined(separator: "\n"))
    case .json: print(JSON.text(.object(fields)))
    }
  }

  private static func version(_ number: Int) -> String {
    "\(number / 10000).\(number % 10000)"
  }
}
