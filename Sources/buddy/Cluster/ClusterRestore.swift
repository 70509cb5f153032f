import Foundation
import Postgres
import WorkoutStore

/// Replaces the private cluster with a fresh one loaded from a backup, keeping the old data
/// directory aside until the new one is complete.
///
/// Steps: stop the cluster, rename `data` to `data.before-restore` (same file system), create
/// and start a fresh cluster as `buddy db start` does, make the owner role and client group
/// (a dump holds no roles), `pg_restore --single-transaction --exit-on-error`, migrate an older
/// schema to this buddy's, clear the old cluster's transaction ids (`RestoredDatabase`), make
/// the client login role, and only then delete the old data. On
/// any failure the new cluster is stopped and removed, the old data put back and started again
/// if it was running.
struct ClusterRestore {
  /// What a successful restore did.
  struct Outcome {
    /// Whether a cluster with data existed before (and was replaced).
    var replacedExisting: Bool
    /// The migrations applied after loading (an older backup).
    var applied: [Migration]
    /// The client role's change, if any.
    var clientRole: ServerSetup.ClientRoleReport
  }

  let cluster: PrivateCluster
  let programs: ServerPrograms

  /// Where the old data directory waits while the new one is made.
  var asideDirectory: String { cluster.directory + "/data.before-restore" }

  /// Restores `archive`; `progress` receives one line per step, for the user.
  func restore(_ archive: BackupArchive, progress: (String) -> Void) throws -> Outcome {
    guard !FileManager.default.fileExists(atPath: asideDirectory) else {
      throw CLIError(
        .config,
        "an interrupted restore left the earlier data in \(asideDirectory); move it away "
          + "(or back to \(cluster.dataDirectory) after `buddy db stop`) before restoring again")
    }
    let before = cluster.state()
    let hadData = before != .notInitialized
    var wasRunning = false
    if case .running = before { wasRunning = true }
    if hadData {
      if try cluster.stop() { progress("private cluster: stopped") }
      try Self.move(cluster.dataDirectory, to: asideDirectory)
      progress("private cluster: earlier data moved aside to \(asideDirectory)")
    }
    let loaded: (applied: [Migration], clientRole: ServerSetup.ClientRoleReport)
    do {
      loaded = try load(archive, progress: progress)
    } catch {
      let putBack = rollBack(hadData: hadData, wasRunning: wasRunning)
      throw CLIError(
        ExitStatus.of(error), "restore failed: \(error); \(putBack)")
    }
    if hadData {
      do {
        try FileManager.default.removeItem(atPath: asideDirectory)
        progress("private cluster: earlier data removed")
      } catch {
        progress(
          "private cluster: the earlier data in \(asideDirectory) could not be removed "
            + "(\(error.localizedDescription)); delete it yourself")
      }
    }
    return Outcome(
      replacedExisting: hadData, applied: loaded.applied, clientRole: loaded.clientRole)
  }

  /// Starts a fresh cluster and loads `archive` into it; returns what migrating it applied and
  /// what became of the client role.
  private func load(_ archive: BackupArchive, progress: (String) -> Void) throws -> (
    applied: [Migration], clientRole: ServerSetup.ClientRoleReport
  ) {
    switch try cluster.start() {
    case .initializedAndStarted:
      progress("private cluster: created in \(cluster.directory) and started")
    case .started, .alreadyRunning: progress("private cluster: started")
    }
    try ClusterDatabase.ensureDatabase(in: cluster)
    let connection = try DatabaseOptions.connect(
      to: DatabaseLocation(url: cluster.administratorURL, source: .configFile))
    try RoleSetup.ensureRoles(on: connection)
    let result = try ProcessRunner.run(
      programs.pgRestore,
      [
        "--exit-on-error", "--single-transaction", "--dbname=\(cluster.administratorURL)",
        archive.path,
      ])
    guard result.status == 0 else {
      throw CLIError(
        .dataError,
        "\(archive.path): pg_restore failed: \(BackupArchive.reason(result.output))")
    }
    let applied = try SchemaMigrator(connection: connection).migrate()
    try RestoredDatabase.forgetTheEarlierCluster(on: connection)
    let role = try ServerSetup(connection: connection).ensureClientRole(
      name: PrivateCluster.clientRole, password: nil)
    return (applied, role)
  }

  /// Stops and removes the new cluster and puts the old data back; says what it did.
  private func rollBack(hadData: Bool, wasRunning: Bool) -> String {
    _ = try? cluster.stop()
    if FileManager.default.fileExists(atPath: cluster.dataDirectory) {
      do {
        try FileManager.default.removeItem(atPath: cluster.dataDirectory)
      } catch {
        return "the new cluster could not be removed (\(error.localizedDescription)); the "
          + "earlier data is in \(asideDirectory)"
      }
    }
    guard hadData else { return "nothing was kept" }
    do {
      try Self.move(asideDirectory, to: cluster.dataDirectory)
    } catch {
      return "the earlier data could not be put back (\(error)); it is in \(asideDirectory)"
    }
    guard wasRunning else { return "the earlier data is back in place (stopped)" }
    do {
      _ = try cluster.start()
      return "the earlier data is back in place and running"
    } catch {
      return "the earlier data is back in place but did not start (\(error))"
    }
  }

  private static func move(_ source: String, to destination: String) throws {
    guard rename(source, destination) == 0 else {
      throw CLIError(
        .unexpected,
        "cannot move \(source) to \(destination): \(String(cString: strerror(errno)))")
    }
  }
}
