import Foundation

/// `pg_dump` of the private cluster's `buddy` database through its administrator connection.
///
/// The dump is one consistent snapshot however busy the database is (pg_dump reads in one
/// repeatable-read transaction). It goes to a temporary file (mode 0600) beside the destination,
/// is read back with `pg_restore --list` and must look like an Exercise Buddy backup before it
/// is renamed into place, so a half-written or foreign file never carries the final name.
struct ClusterBackup {
  let cluster: PrivateCluster
  let programs: ServerPrograms

  /// Throws unless `location` is the private cluster (or nothing is configured yet): a database
  /// server is backed up by its own administrator's tools.
  static func requirePrivateCluster(_ location: DatabaseLocation, cluster: PrivateCluster)
    throws
  {
    guard location.source == .libpqDefaults || cluster.isTarget(of: location.url) else {
      throw CLIError(
        .config,
        "backup and restore work on the private cluster only; the database in use "
          + "(\(location.redacted), from \(location.source.rawValue)) is a server: back it up "
          + "with pg_dump -Fc and restore it with pg_restore yourself")
    }
  }

  /// Dumps the running cluster to `destination` and returns the checked archive.
  func write(to destination: String) throws -> BackupArchive {
    guard case .running = cluster.state() else {
      throw CLIError(
        .unavailable, "the private cluster is not running; start it with `buddy db start`")
    }
    let directory = (destination as NSString).deletingLastPathComponent
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory),
      isDirectory.boolValue
    else {
      throw CLIError(.noInput, "\(destination): the directory \(directory) does not exist")
    }
    if FileManager.default.fileExists(atPath: destination, isDirectory: &isDirectory),
      isDirectory.boolValue
    {
      throw CLIError(.usage, "\(destination) is a directory; name the backup file")
    }
    let temporary = try Self.makeTemporaryFile(in: directory)
    var kept = false
    defer { if !kept { unlink(temporary) } }
    let dump = try ProcessRunner.run(
      programs.pgDump,
      ["--format=custom", "--dbname=\(cluster.administratorURL)", "--file=\(temporary)"])
    guard dump.status == 0 else {
      throw CLIError(
        .unexpected, "pg_dump failed: \(BackupArchive.reason(dump.output)); no backup was written")
    }
    chmod(temporary, 0o600)
    let archive = try BackupArchive.inspect(temporary, programs: programs)
    guard rename(temporary, destination) == 0 else {
      throw CLIError(
        .unexpected,
        "cannot move the backup into \(destination): \(String(cString: strerror(errno)))")
    }
    kept = true
    return BackupArchive(path: destination, schemaVersion: archive.schemaVersion)
  }

  /// A new, empty file `.buddy-backup-XXXXXX` in `directory`, mode 0600.
  private static func makeTemporaryFile(in directory: String) throws -> String {
    var template = Array((directory + "/.buddy-backup-XXXXXX").utf8CString)
    let descriptor = mkstemp(&template)
    guard descriptor >= 0 else {
      throw CLIError(
        .config, "cannot write in \(directory): \(String(cString: strerror(errno)))")
    }
    close(descriptor)
    return String(
      decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
