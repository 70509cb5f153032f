import ArgumentParser
import Foundation
import Recording
internal import Spawn

/// `buddy db backup [FILE]`: a pg_dump of the private cluster, rotated in the default directory.
struct DBBackupCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "backup",
    abstract: "Back up the private cluster's database to one file (pg_dump custom format).",
    discussion: """
      One consistent snapshot, taken while buddy is in use, through the
      cluster's administrator connection (no password involved). Without FILE
      it goes to $XDG_DATA_HOME/exercise-buddy/backups as
      buddy-YYYYMMDD-HHMMSS.dump (UTC; directory 0700, file 0600), and only the
      newest 7 such files there are kept (--keep); other files there are never
      touched. The dump is written under a temporary name and checked with
      pg_restore --list before it takes its name. A database server set as
      database_url is not backed up here: use pg_dump -Fc there.

      Examples:
        buddy db backup
        buddy db backup --keep 30
        buddy db backup /mnt/usb/buddy-before-upgrade.dump
        buddy db backup --format json
      """
  )

  @Argument(help: "Where to write the dump (default: a dated file in the backups directory).")
  var file: String?

  @Option(help: ArgumentHelp(BackupCount.help), transform: BackupCount.parse)
  var keep = BackupCount(count: BackupDirectory.defaultKeep)

  @OptionGroup var output: FormatOption<OutputFormat>

  func run() throws {
    let cluster = PrivateCluster()
    try ClusterBackup.requirePrivateCluster(
      try DatabaseLocation.resolve(option: nil), cluster: cluster)
    let directory = BackupDirectory(path: Paths.dataDirectory + "/backups")
    let destination: String
    if let file {
      guard !file.isEmpty else { throw CLIError(.usage, "the backup file name is empty") }
      destination = SpawnedProgram.absolutePath(file)
    } else {
      try FileSystem.makeDirectory(directory.path, mode: 0o700)
      chmod(directory.path, 0o700)
      destination = directory.newFilePath()
    }
    let started = Date()
    let archive = try ClusterBackup(cluster: cluster, programs: try ServerPrograms.locate())
      .write(to: destination)
    let seconds = Date().timeIntervalSince(started)
    let bytes = Self.size(of: destination)
    let removed =
      keep.count > 0 && directory.contains(destination)
      ? try Self.rotate(directory, keep: keep.count) : []
    switch output.format {
    case .text:
      print(
        "backup: \(destination) (\(Self.megabytes(bytes)), schema version "
          + "\(archive.schemaVersion), \(String(format: "%.1f", seconds)) s)")
      if !removed.isEmpty {
        let noun = removed.count == 1 ? "backup" : "backups"
        print(
          "backup: removed \(removed.count) older \(noun), keeping the newest \(keep.count): "
            + removed.map { ($0 as NSString).lastPathComponent }.joined(separator: ", "))
      }
    case .json:
      print(
        JSON.text(
          .object([
            ("file", .string(destination)), ("bytes", .integer(bytes)),
            ("schema_version", .integer(archive.schemaVersion)),
            ("seconds", .number((seconds * 1000).rounded() / 1000)),
            ("removed", .array(removed.map { .string($0) })),
          ])))
    }
  }

  /// Rotation of `directory`; a file it cannot remove is an unexpected failure.
  private static func rotate(_ directory: BackupDirectory, keep: Int) throws -> [String] {
    do {
      return try directory.rotate(keep: keep)
    } catch {
      throw CLIError(.unexpected, error.description)
    }
  }

  private static func size(of path: String) -> Int {
    var info = stat()
    return stat(path, &info) == 0 ? Int(info.st_size) : 0
  }

  private static func megabytes(_ bytes: Int) -> String {
    bytes < 100_000
      ? "\(bytes) bytes" : String(format: "%.1f MB", Double(bytes) / 1_000_000)
  }
}
