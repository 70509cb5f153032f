import ArgumentParser
import Foundation
internal import Spawn
import WorkoutStore

/// `buddy db restore FILE`: replace the private cluster with a backup made by `buddy db backup`.
struct DBRestoreCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "restore",
    abstract: "Replace the private cluster's data with a backup (asks first; --yes in scripts).",
    discussion: """
      Everything in the private cluster is replaced: accounts, sessions and
      workouts become those of the backup. FILE must be a dump made by
      `buddy db backup`; anything else is refused before the cluster is
      touched, and so is a dump whose schema is newer than this buddy (an
      older one is restored, then migrated). On a terminal buddy asks you to
      type yes; without one it refuses unless --yes is given.

      The cluster is stopped, its data directory moved aside to
      data.before-restore, a fresh cluster created and started, the roles
      made (a dump holds none) and the dump loaded in one transaction. The
      earlier data is deleted only once all that has succeeded, and put back
      (and started again) otherwise. The cluster is left running. Logins made
      after the backup was taken are gone: buddy says whether yours is.

      Examples:
        b=~/.local/share/exercise-buddy/backups; ls $b
        buddy db restore $b/buddy-20261205-012000.dump
        buddy db restore --yes /mnt/usb/buddy-before-upgrade.dump
        buddy db restore --yes --format json backup.dump
      """
  )

  @Argument(help: "A dump made by `buddy db backup`.") var file: String

  @Flag(name: [.short, .long], help: "Do not ask for confirmation (needed without a terminal).")
  var yes = false

  @OptionGroup var output: FormatOption<OutputFormat>

  func run() throws {
    let cluster = PrivateCluster()
    let location = try DatabaseLocation.resolve(option: nil)
    try ClusterBackup.requirePrivateCluster(location, cluster: cluster)
    guard !file.isEmpty else { throw CLIError(.usage, "the backup file name is empty") }
    let path = SpawnedProgram.absolutePath(file)
    let programs = try ServerPrograms.locate()
    let archive = try BackupArchive.inspect(path, programs: programs)
    let latest = Migration.latestVersion
    guard archive.schemaVersion <= latest else {
      throw CLIError(
        .config,
        "\(path): the backup's schema version \(archive.schemaVersion) is newer than this "
          + "buddy understands (\(latest)); restore it with a newer buddy")
    }
    guard try confirmed(path, cluster: cluster) else {
      print("restore: cancelled; nothing changed")
      return
    }
    let text = output.format == .text
    if text { print("restore: \(path) (schema version \(archive.schemaVersion))") }
    let started = Date()
    let outcome = try ClusterRestore(cluster: cluster, programs: programs).restore(archive) {
      if text { print($0) }
    }
    let seconds = Date().timeIntervalSince(started)
    try pointTheConfigAtTheCluster(cluster, text: text)
    let session = Self.sessionState(cluster)
    switch output.format {
    case .text:
      print(MigrationReport.line(applied: outcome.applied))
      if outcome.clientRole.change != .unchanged {
        print("client role \(outcome.clientRole.role): \(outcome.clientRole.change.rawValue)")
      }
      print("restore: done in \(String(format: "%.1f", seconds)) s")
      switch session {
      case .valid(let name): print("session: still logged in as \(name)")
      case .gone:
        print("session: your login is not in the backup (made after it); run `buddy login` again")
      case .none: break
      }
    case .json:
      print(
        JSON.text(
          .object([
            ("file", .string(path)), ("schema_version", .integer(archive.schemaVersion)),
            ("migrations_applied", .integer(outcome.applied.count)),
            ("replaced_existing", .bool(outcome.replacedExisting)),
            ("seconds", .number((seconds * 1000).rounded() / 1000)),
            ("session", .string(session.name)),
          ])))
    }
  }

  /// Whether to go on: `--yes`, or `yes` typed on a terminal; refused without either.
  private func confirmed(_ path: String, cluster: PrivateCluster) throws -> Bool {
    if yes { return true }
    guard isatty(0) != 0 else {
      throw CLIError(
        .usage,
        "restore replaces every account and workout in the private cluster; confirm on a "
          + "terminal, or pass --yes")
    }
    Terminal.writeStderr(
      "This replaces every account and workout in the private cluster (\(cluster.directory)) "
        + "with the backup \(Terminal.escapingControls(path)).\nType yes to go on: ")
    return readLine()?.trimmingCharacters(in: .whitespaces).lowercased() == "yes"
  }

  /// Users' commands connect as the client role, as `buddy db start` arranges (a restore onto a
  /// new machine has no config yet).
  private func pointTheConfigAtTheCluster(_ cluster: PrivateCluster, text: Bool) throws {
    var config = try ConfigFile()
    guard config.value(for: "database_url") != cluster.url else { return }
    config.set("database_url", cluster.url)
    try config.save()
    if text { print("config: database_url = \(cluster.url) (\(config.path))") }
  }

  /// Whether the saved login is in the restored data.
  private enum SessionState {
    case valid(String)
    case gone
    case none

    var name: String {
      switch self {
      case .valid: return "valid"
      case .gone: return "gone"
      case .none: return "none"
      }
    }
  }

  private static func sessionState(_ cluster: PrivateCluster) -> SessionState {
    guard let token = SessionFile.load() else { return .none }
    do {
      let connection = try DatabaseOptions.connect(
        to: DatabaseLocation(url: cluster.url, source: .configFile))
      let user = try AccountStore(connection: connection).authenticate(token).user
      return .valid(user.username)
    } catch {
      return .gone
    }
  }
}
