import Foundation
import TestSupport
import Testing
import WorkoutStore

@Suite("buddy basics: version, help, config, database location")
struct CLIBasicsTests {
  @Test func versionPrintsTheVersionAndSchema() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let result = try buddy.run(["--version"])
    #expect(result.status == 0)
    #expect(result.stdout.hasPrefix("buddy 0."))
    #expect(result.stdout.contains("schema version \(latest)"))
  }

  @Test func helpListsCommandsExamplesAndExitCodes() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let result = try buddy.run(["--help"])
    #expect(result.status == 0)
    for text in ["db", "config", "Examples:", "Exit codes:", "69", "database unavailable", "78"] {
      #expect(result.stdout.contains(text), "missing \(text)")
    }
    let commands = [
      ["db"], ["db", "start"], ["db", "stop"], ["db", "status"], ["db", "migrate"], ["config"],
      ["config", "get"], ["config", "set"], ["config", "unset"], ["config", "list"],
      ["config", "path"], ["count"], ["register"], ["login"], ["logout"], ["whoami"],
      ["sessions"], ["sessions", "list"], ["sessions", "revoke"], ["passwd"], ["account"],
      ["account", "deactivate"], ["record"], ["import"], ["sync"], ["history"], ["stats"],
      ["workout"], ["workout", "show"], ["workout", "delete"], ["profile"], ["profile", "show"],
      ["profile", "set"],
    ]
    for command in commands {
      let help = try buddy.run(command + ["--help"])
      #expect(help.status == 0)
      #expect(help.stdout.contains("Example"), "\(command)")
    }
  }

  @Test func unknownOptionsAreUsageErrors() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let result = try buddy.run(["db", "status", "--no-such-option"])
    #expect(result.status == 64)
    #expect(result.stderr.contains("--no-such-option"))
  }

  @Test func completionScriptsAreGenerated() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let result = try buddy.run(["--generate-completion-script", "bash"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("_buddy"))
  }

  @Test func configSetGetListUnsetWithPrivateFileMode() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let url = "postgresql://ann:topsecret@db.example.com/buddy"
    #expect(try buddy.run(["config", "set", "database_url", url]).status == 0)
    #expect(
      try buddy.run(["config", "get", "database_url"]).stdout
        == "postgresql://ann:***@db.example.com/buddy\n")
    let list = try buddy.run(["config", "list"])
    #expect(list.stdout == "database_url = postgresql://ann:***@db.example.com/buddy\n")
    let json = try buddy.run(["config", "list", "--format", "json"])
    #expect(json.stdout == #"{"database_url":"postgresql://ann:***@db.example.com/buddy"}"# + "\n")
    let path = try buddy.run(["config", "path"]).stdout.trimmingCharacters(in: .newlines)
    #expect(path == buddy.home + "/.config/exercise-buddy/config")
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    let directory = try FileManager.default.attributesOfItem(
      atPath: (path as NSString).deletingLastPathComponent)
    #expect((directory[.posixPermissions] as? NSNumber)?.intValue == 0o700)
    #expect(try buddy.run(["config", "unset", "database_url"]).status == 0)
    let missing = try buddy.run(["config", "get", "database_url"])
    #expect(missing.status == 1)
    #expect(missing.stdout.isEmpty)
    let unknown = try buddy.run(["config", "set", "colour", "blue"])
    #expect(unknown.status == 64)
    #expect(unknown.stderr.hasPrefix("buddy: unknown configuration key `colour`"))
  }

  @Test func aMalformedConfigFileIsAConfigurationError() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let directory = buddy.home + "/.config/exercise-buddy"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try "# comment\nthis line has no equals sign\n".write(
      toFile: directory + "/config", atomically: true, encoding: .utf8)
    let result = try buddy.run(["db", "status"])
    #expect(result.status == 78)
    #expect(result.stderr == "buddy: \(directory)/config:2: expected `key = value`\n")
  }

  @Test(arguments: [
    (["--database-url", "postgresql:///a?host=/nonexistent/1"], "--database-url"),
    ([], "BUDDY_DATABASE_URL"),
  ])
  func theDatabaseURLComesFromTheFirstPlaceThatSetsIt(arguments: [String], source: String) throws {
    let buddy = try BuddyProcess(environment: [
      "BUDDY_DATABASE_URL": "postgresql:///b?host=/nonexistent/2",
      "DATABASE_URL": "postgresql:///c?host=/nonexistent/3",
    ])
    defer { buddy.cleanUp() }
    _ = try buddy.run(["config", "set", "database_url", "postgresql:///d?host=/nonexistent/4"])
    let result = try buddy.run(["db", "status", "--format", "json"] + arguments)
    #expect(result.status == 69)
    #expect(result.stdout.contains(#""source":"\#(source)""#), "\(result.stdout)")
  }

  @Test func databaseVariableThenConfigFileThenLibpqDefaults() throws {
    var buddy = try BuddyProcess(environment: [
      "DATABASE_URL": "postgresql:///c?host=/nonexistent/3"
    ])
    defer { buddy.cleanUp() }
    _ = try buddy.run(["config", "set", "database_url", "postgresql:///d?host=/nonexistent/4"])
    #expect(
      try buddy.run(["db", "status", "--format", "json"]).stdout.contains(
        #""source":"DATABASE_URL""#))
    buddy.environment = [:]
    #expect(
      try buddy.run(["db", "status", "--format", "json"]).stdout.contains(
        #""source":"config file""#))
    _ = try buddy.run(["config", "unset", "database_url"])
    buddy.environment = ["PGHOST": "/nonexistent/5"]
    let defaults = try buddy.run(["db", "status", "--format", "json"])
    #expect(defaults.stdout.contains(#""source":"libpq defaults""#))
    #expect(defaults.stderr.contains("/nonexistent/5"))
  }

  @Test func anUnreachableDatabaseIsExit69OnOneLineWithoutThePassword() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let started = Date()
    let result = try buddy.run([
      "db", "migrate", "--database-url", "postgresql://ann:hunter2secret@localhost:1/buddy",
    ])
    #expect(Date().timeIntervalSince(started) < 10)
    #expect(result.status == 69)
    #expect(result.stderr.hasPrefix("buddy: cannot reach the database"))
    #expect(result.stderr.filter { $0 == "\n" }.count == 1)
    #expect(!result.stderr.contains("hunter2secret"))
    #expect(result.stdout.isEmpty)
  }
}

/// The schema version this build migrates to.
private let latest = Migration.latestVersion
