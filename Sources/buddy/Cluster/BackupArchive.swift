import Foundation

/// A `pg_dump` custom-format archive of the private cluster's `buddy` database, as `pg_restore`
/// reads it: what proves it is an Exercise Buddy backup, and its schema version.
///
/// A dump made by `buddy db backup` lists the table `public.schema_migrations` and the schema
/// `buddy_api` in its table of contents; the version is the largest one in the archived rows of
/// `schema_migrations`, read back from the archive itself (not trusted from a file name).
struct BackupArchive {
  let path: String
  /// The schema version the archived database was at.
  let schemaVersion: Int

  /// Reads the archive at `path` with `pg_restore`; throws a one-line `dataError` naming the
  /// file when it is not an Exercise Buddy backup, `noInput` when it does not exist.
  static func inspect(_ path: String, programs: ServerPrograms) throws -> BackupArchive {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw CLIError(.noInput, "\(path): no such file")
    }
    guard !isDirectory.boolValue else {
      throw CLIError(.dataError, "\(path): is a directory, not an Exercise Buddy backup")
    }
    guard FileManager.default.isReadableFile(atPath: path) else {
      throw CLIError(.noInput, "\(path): cannot be read (permission denied)")
    }
    let list = try ProcessRunner.run(programs.pgRestore, ["--list", path])
    guard list.status == 0 else {
      throw CLIError(
        .dataError,
        "\(path): not an Exercise Buddy backup (pg_restore: \(Self.reason(list.output)))")
    }
    let entries = list.output.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix(";") }
    let hasMigrations = entries.contains { $0.contains(" TABLE public schema_migrations ") }
    let hasAPI = entries.contains { $0.contains(" SCHEMA - buddy_api ") }
    let hasMigrationRows = entries.contains {
      $0.contains(" TABLE DATA public schema_migrations ")
    }
    guard hasMigrations, hasAPI, hasMigrationRows else {
      throw CLIError(
        .dataError,
        "\(path): a PostgreSQL dump, but not of an Exercise Buddy database (no "
          + "public.schema_migrations table with rows, or no buddy_api schema)")
    }
    let rows = try ProcessRunner.run(
      programs.pgRestore,
      ["--data-only", "--schema=public", "--table=schema_migrations", "--file=-", path])
    guard rows.status == 0 else {
      throw CLIError(
        .dataError,
        "\(path): the schema_migrations rows cannot be read (pg_restore: "
          + "\(Self.reason(rows.output)))")
    }
    guard let version = Self.largestVersion(inCopyOutput: rows.output), version > 0 else {
      throw CLIError(
        .dataError, "\(path): an Exercise Buddy dump without a schema version; it is damaged")
    }
    return BackupArchive(path: path, schemaVersion: version)
  }

  /// The largest first column of the rows of the `COPY public.schema_migrations` block in a
  /// plain-text restore script; nil when there is no such block or a row is not a version.
  static func largestVersion(inCopyOutput text: String) -> Int? {
    var inside = false
    var largest: Int?
    for line in text.split(whereSeparator: \.isNewline) {
      if !inside {
        inside = line.hasPrefix("COPY public.schema_migrations ")
        continue
      }
      if line == "\\." { return largest }
      guard let field = line.split(separator: "\t", maxSplits: 1).first,
        let version = Int(field), (1...1_000_000).contains(version)
      else { return nil }
      largest = max(largest ?? version, version)
    }
    return nil
  }

  /// Why a PostgreSQL client program (`pg_dump`, `pg_restore`) failed, from what it printed:
  /// its first `error:` line without the program's prefix, else its last line.
  static func reason(_ output: String) -> String {
    let lines = output.split(whereSeparator: \.isNewline).map(String.init)
    guard let line = lines.first(where: { $0.contains(": error: ") }) ?? lines.last else {
      return "no output"
    }
    guard let range = line.range(of: ": error: ") else { return line }
    return String(line[range.upperBound...])
  }
}
