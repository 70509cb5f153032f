import Postgres

/// Which database a command uses, and where that choice came from.
struct DatabaseLocation {
  /// Where the URL was found, in order of precedence.
  enum Source: String {
    case option = "--database-url"
    case buddyVariable = "BUDDY_DATABASE_URL"
    case databaseVariable = "DATABASE_URL"
    case configFile = "config file"
    case libpqDefaults = "libpq defaults"
  }

  /// The URL or conninfo string; empty for libpq's defaults.
  var url: String
  var source: Source

  /// The URL with any password replaced by `***`, for messages.
  var redacted: String {
    url.isEmpty ? "libpq defaults (PG* variables, ~/.pgpass)" : Redaction.redactingPasswords(url)
  }

  /// The redacted URL and where it came from, e.g. `postgresql://ann:***@db/x from
  /// BUDDY_DATABASE_URL`; libpq's defaults are named once, not twice.
  var redactedWithSource: String {
    source == .libpqDefaults
      ? "libpq defaults: PG* variables, ~/.pgpass" : "\(redacted) from \(source.rawValue)"
  }

  /// Resolves the location: `--database-url`, `BUDDY_DATABASE_URL`, `DATABASE_URL`, the config
  /// file's `database_url`, then libpq's own defaults.
  static func resolve(option: String?) throws -> DatabaseLocation {
    if let option, !option.isEmpty { return DatabaseLocation(url: option, source: .option) }
    if let url = Paths.environment("BUDDY_DATABASE_URL"), !url.isEmpty {
      return DatabaseLocation(url: url, source: .buddyVariable)
    }
    if let url = Paths.environment("DATABASE_URL"), !url.isEmpty {
      return DatabaseLocation(url: url, source: .databaseVariable)
    }
    if let url = try ConfigFile().value(for: "database_url"), !url.isEmpty {
      return DatabaseLocation(url: url, source: .configFile)
    }
    return DatabaseLocation(url: "", source: .libpqDefaults)
  }
}
