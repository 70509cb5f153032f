import ArgumentParser
import Postgres

/// `buddy config`: read and edit the configuration file.
struct ConfigCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "config",
    abstract: "Read and edit the configuration file ($XDG_CONFIG_HOME/exercise-buddy/config).",
    discussion: """
      The file holds `key = value` lines; `#` starts a comment. Keys:
      \(ConfigFile.knownKeys.map { "  \($0.key)  \($0.meaning)" }.joined(separator: "\n"))

      Examples:
        buddy config list
        buddy config get database_url
        buddy config set database_url postgresql://buddy@db.example.com/buddy
        buddy config unset database_url
        buddy config path
      """,
    subcommands: [
      ConfigGetCommand.self, ConfigSetCommand.self, ConfigUnsetCommand.self,
      ConfigListCommand.self, ConfigPathCommand.self,
    ]
  )
}

/// `buddy config get KEY`.
struct ConfigGetCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "get",
    abstract:
      "Print one value, passwords in it shown as *** (exit 1 with no output when it is not set).",
    discussion: "Example:\n  buddy config get database_url")

  @Argument(help: "The key to read.") var key: String

  func run() throws {
    try ConfigKey.validate(key)
    guard let value = try ConfigFile().value(for: key) else { throw ExitCode.failure }
    print(Redaction.redactingPasswords(value))
  }
}

/// `buddy config set KEY VALUE`.
struct ConfigSetCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "set", abstract: "Set one value (the file is created with mode 0600).",
    discussion: """
      Prefer ~/.pgpass for database passwords: a password in the URL is stored in this file.

      Example:
        buddy config set database_url "postgresql:///buddy?host=/var/run/postgresql"
      """)

  @Argument(help: "The key to set.") var key: String
  @Argument(help: "The value.") var value: String

  func validate() throws {
    // One `key = value` line: a line break or another control character would write more.
    if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
      throw ValidationError("the value must be one line without control characters")
    }
  }

  func run() throws {
    try ConfigKey.validate(key)
    var config = try ConfigFile()
    config.set(key, value)
    try config.save()
  }
}

/// `buddy config unset KEY`.
struct ConfigUnsetCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "unset", abstract: "Remove one key from the file.",
    discussion: "Example:\n  buddy config unset database_url")

  @Argument(help: "The key to remove.") var key: String

  func run() throws {
    try ConfigKey.validate(key)
    var config = try ConfigFile()
    if config.unset(key) { try config.save() }
  }
}

/// `buddy config list`.
struct ConfigListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "Print every key that is set (passwords shown as ***).",
    discussion: "Examples:\n  buddy config list\n  buddy config list --format json")

  @OptionGroup var output: FormatOption<OutputFormat>

  func run() throws {
    let entries = try ConfigFile().entries().map {
      ($0.key, Redaction.redactingPasswords($0.value))
    }
    switch output.format {
    case .text:
      for (key, value) in entries { print("\(key) = \(value)") }
    case .json:
      print(JSON.text(.object(entries.map { ($0.0, .string($0.1)) })))
    }
  }
}

/// `buddy config path`.
struct ConfigPathCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "path", abstract: "Print where the configuration file is.",
    discussion: "Example:\n  buddy config path")

  func run() {
    print(Paths.configFile)
  }
}

/// Checks keys given on the command line.
enum ConfigKey {
  static func validate(_ key: String) throws {
    guard ConfigFile.knownKeys.contains(where: { $0.key == key }) else {
      let known = ConfigFile.knownKeys.map(\.key).joined(separator: ", ")
      throw CLIError(.usage, "unknown configuration key `\(key)` (known keys: \(known))")
    }
  }
}
