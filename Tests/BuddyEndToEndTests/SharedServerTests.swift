import Foundation
import Postgres
import TestSupport
import Testing
import WorkoutStore

/// A shared server end to end: `buddy server init` as an administrator, then users through the
/// client role it prints, as the built binary with temporary HOMEs.
@Suite("Shared server end to end", .enabled(if: TestDatabase.isAvailable))
struct SharedServerTests {
  @Test func serverInitIsIdempotentAndUsersWorkAsTheClientRole() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let admin = try BuddyProcess(environment: ["BUDDY_DATABASE_URL": database.url])
    defer { admin.cleanUp() }

    let first = try admin.run(["server", "init"])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("applied \(latest) migrations"))
    #expect(first.stdout.contains("client role buddy_client: "))
    #expect(
      first.stdout.contains(
        "(accounts only through buddy_api; row-level security on workouts, user_settings, "
          + "workout_landmarks)"))
    let again = try admin.run(["server", "init"])
    #expect(again.status == 0)
    #expect(again.stdout.hasPrefix("schema: version \(latest) of \(latest), up to date\n"))
    #expect(again.stdout.contains("client role buddy_client: ready ("))
    let json = try admin.run(["server", "init", "--format", "json"])
    #expect(json.stdout.contains(#""client_role":"buddy_client","client_role_change":"unchanged""#))
    #expect(json.stdout.contains(#""migrations_applied":[]"#))
    let clientURL = try #require(
      json.stdout.firstRange(of: #""client_url":""#).map {
        String(json.stdout[$0.upperBound...].prefix { $0 != "\"" })
      })
    #expect(clientURL.contains("user=buddy_client"))
    #expect(clientURL.contains(database.name))

    #expect(try admin.run(["server", "init", "--client-role", "pg_evil"]).status == 64)
    #expect(try admin.run(["server", "init", "--client-role", "x; DROP TABLE users"]).status == 64)
    #expect(try admin.run(["server", "init", "--client-role", "buddy_owner"]).status == 64)

    // A user with only the client URL: everything works, migrate is refused (77).
    let ann = try BuddyProcess.loggedIn("ann", databaseURL: clientURL)
    defer { ann.cleanUp() }
    #expect(try ann.run(["whoami"]).stdout.hasPrefix("ann <ann@example.com>"))
    let recorded = try ann.run([
      "record", "--exercise", "push-up", "--reps", "12", "--duration", "40s",
    ])
    #expect(recorded.status == 0, "\(recorded.stderr)")
    #expect(try ann.run(["profile", "set", "weight-kg", "61"]).status == 0)
    #expect(try ann.run(["profile", "show"]).stdout.contains("61"))
    #expect(try ann.run(["history", "--format", "csv"]).stdout.contains(",push-up,12,40,"))
    #expect(try ann.run(["stats", "--format", "json"]).stdout.contains(#""reps":12"#))
    #expect(try ann.run(["sessions"]).stdout.contains("(this one)"))
    let migrate = try ann.run(["db", "migrate"])
    #expect(migrate.status == 77)
    #expect(migrate.stderr.contains("needs an administrator"))
    let initAsClient = try ann.run(["server", "init"])
    #expect(initAsClient.status == 77)

    // A second user sees nothing of the first, and the workout id is "not found" (66).
    let bob = try BuddyProcess.loggedIn("bob", databaseURL: clientURL)
    defer { bob.cleanUp() }
    #expect(try bob.run(["history", "--format", "csv"]).stdout.split(separator: "\n").count == 1)
    let id = try database.connect().query("SELECT id::text FROM workouts")[0]
      .decode(0, as: String.self)
    #expect(try bob.run(["workout", "show", id]).status == 66)
    #expect(try bob.run(["workout", "delete", id, "--yes"]).status == 66)
    #expect(try database.count() == 1)

    // passwd and deactivate check the password in the database.
    let wrong = try ann.run(["passwd", "--password-stdin"], stdin: "nope-nope\nnew-password-1\n")
    #expect(wrong.status == 77)
    let changed = try ann.run(
      ["passwd", "--password-stdin"], stdin: "ann-password\nnew-password-1\n")
    #expect(changed.status == 0, "\(changed.stderr)")
    let relogin = try bob.run(["login", "--password-stdin", "ann"], stdin: "new-password-1\n")
    #expect(relogin.status == 0, "\(relogin.stderr)")
    let deactivated = try ann.run(
      ["account", "deactivate", "--password-stdin"], stdin: "new-password-1\n")
    #expect(deactivated.status == 0, "\(deactivated.stderr)")
    #expect(try bob.run(["whoami"]).status == 77, "deactivation revokes every session")
  }

  /// The other administrator the issue names: not a superuser, but CREATEROLE and owner of the
  /// database. It sets everything up except what needs a superuser, and says so.
  @Test func aCreateRoleDatabaseOwnerCanInitialiseAServer() throws {
    let adminURL = try #require(TestDatabase.adminURL)
    let superuser = try PostgresConnection(adminURL, logger: TestDatabase.quietLogger)
    let suffix = UUID().uuidString.prefix(8).lowercased()
    let owner = "dbadmin_\(suffix)"
    let name = "owned_\(suffix)"
    let client = "client_\(suffix)"
    // Names built from a UUID only: DDL takes no bind parameters.
    try superuser.query("CREATE ROLE \(owner) LOGIN CREATEROLE")
    try superuser.query("CREATE DATABASE \(name) OWNER \(owner)")
    defer {
      _ = try? superuser.query("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
      _ = try? superuser.query("DROP ROLE IF EXISTS \(owner)")
      _ = try? superuser.query("DROP ROLE IF EXISTS \(client)")
    }
    let url = TestDatabase.url(adminURL, database: name)
      .replacingOccurrences(of: "user=buddy_test", with: "user=\(owner)")
    let admin = try BuddyProcess(environment: ["BUDDY_DATABASE_URL": url])
    defer { admin.cleanUp() }
    let setup = try admin.run(["server", "init", "--client-role", client])
    #expect(setup.status == 0, "\(setup.stderr)")
    #expect(setup.stdout.contains("log_parameter_max_length = 0 needs a superuser"))
    let clientURL = try #require(
      setup.stdout.split(separator: "\n").first { $0.hasPrefix("hand this URL") }
        .map { String($0.split(separator: " ").last ?? "") })
    let user = try BuddyProcess.loggedIn("carol", databaseURL: clientURL)
    defer { user.cleanUp() }
    #expect(
      try user.run(["record", "--exercise", "push-up", "--reps", "3", "--duration", "9s"])
        .status == 0)
    let owners = try PostgresConnection(
      TestDatabase.url(adminURL, database: name), logger: TestDatabase.quietLogger
    ).query(
      "SELECT count(*) FROM pg_class WHERE relname = 'workouts' AND relowner = 'buddy_owner'::regrole"
    )[0].decode(0, as: Int.self)
    #expect(owners == 1)
  }

  /// With `log_statement = 'all'` for the client role, neither a password nor a session token
  /// reaches the server log: they travel only as bind parameters, and `server init` turned
  /// parameter logging off for the role.
  @Test func passwordsAndTokensNeverReachTheServerLog() throws {
    let logPath = try #require(ProcessInfo.processInfo.environment["BUDDY_TEST_SERVER_LOG"])
    let database = try TestDatabase.create()
    defer { database.drop() }
    let role = "buddy_logcheck"
    let clientURL = try BuddyProcess.serverInit(database.url, clientRole: role)
    let admin = try database.connect()
    try admin.query("ALTER ROLE \(role) IN DATABASE \(database.name) SET log_statement = 'all'")
    let settings = try admin.query(
      """
      SELECT array_to_string(setconfig, ',') FROM pg_db_role_setting
      WHERE setrole = $1::regrole AND setdatabase = 0
      """, [role])[0].decode(0, as: String.self)
    #expect(settings.contains("log_parameter_max_length=0"))
    #expect(settings.contains("log_parameter_max_length_on_error=0"))
    let before = (try? Data(contentsOf: URL(fileURLWithPath: logPath)).count) ?? 0

    let password = "Log-Check-\(UUID().uuidString.prefix(8))"
    let newPassword = "Log-Check-New-\(UUID().uuidString.prefix(8))"
    let buddy = try BuddyProcess(environment: ["BUDDY_DATABASE_URL": clientURL])
    defer { buddy.cleanUp() }
    let steps: [([String], String?)] = [
      (
        ["register", "--email", "log@example.org", "--username", "logger", "--password-stdin"],
        password + "\n"
      ),
      (["login", "--password-stdin", "logger"], "wrong-\(password)\n"),
      (["login", "--password-stdin", "logger"], password + "\n"),
      (["whoami"], nil),
      (["record", "--exercise", "jump-rope", "--reps", "30", "--duration", "20s"], nil),
      (["stats"], nil),
      (["passwd", "--password-stdin"], "\(password)\n\(newPassword)\n"),
      (["account", "deactivate", "--password-stdin"], "wrong-\(newPassword)\n"),
    ]
    var token = ""
    for (arguments, stdin) in steps {
      _ = try buddy.run(arguments, stdin: stdin)
      if arguments == ["whoami"] {
        token = try String(
          contentsOfFile: buddy.home + "/.config/exercise-buddy/session", encoding: .utf8
        ).trimmingCharacters(in: .whitespacesAndNewlines)
      }
    }
    #expect(token.count == 64)
    // The server writes its log asynchronously: wait until our statements show up.
    var log = ""
    for _ in 0..<50 {
      let data = try Data(contentsOf: URL(fileURLWithPath: logPath))
      log = String(decoding: data.dropFirst(before), as: UTF8.self)
      if log.contains("buddy_api.deactivate") { break }
      usleep(100_000)
    }
    #expect(log.contains("buddy_api.login"), "log_statement = 'all' was not in force")
    #expect(log.contains("set_config('buddy.session_token', $1, false)"))
    for secret in [password, newPassword, "wrong-\(password)", token] {
      #expect(!log.contains(secret), "a secret reached the server log")
    }
    #expect(!log.contains("parameters: $1"), "bound parameters were logged")
  }

  /// libpq's sslmode is honoured, and a password sent in the clear to a remote host is warned
  /// about once. `hostaddr` makes a non-local host name reach the test cluster over TCP.
  @Test func passwordsToARemoteHostWithoutTLSAreWarnedAbout() throws {
    let port = try #require(ProcessInfo.processInfo.environment["BUDDY_TEST_TCP_PORT"])
    let database = try TestDatabase.create()
    defer { database.drop() }
    let role = "buddy_tls_check"
    let rolePassword = "role-\(UUID().uuidString)"
    let admin = try BuddyProcess(environment: ["BUDDY_DATABASE_URL": database.url])
    defer { admin.cleanUp() }
    let setup = try admin.run(
      ["server", "init", "--client-role", role, "--client-password-stdin"],
      stdin: rolePassword + "\n")
    #expect(setup.status == 0, "\(setup.stderr)")
    #expect(setup.stdout.contains("client role password: set (SCRAM-SHA-256)"))

    let remote =
      "postgresql://\(role)@example.invalid:\(port)/\(database.name)?hostaddr=127.0.0.1"
    var buddy = try BuddyProcess(environment: ["BUDDY_DATABASE_URL": remote])
    defer { buddy.cleanUp() }
    let passFile = buddy.home + "/pgpass"
    try "example.invalid:\(port):\(database.name):\(role):\(rolePassword)\n".write(
      toFile: passFile, atomically: true, encoding: .utf8)
    chmod(passFile, 0o600)
    buddy.environment["PGPASSFILE"] = passFile

    let register = try buddy.run(
      ["register", "--email", "tls@example.org", "--username", "tls", "--password-stdin"],
      stdin: "tls-password-1\n")
    #expect(register.status == 0, "\(register.stderr)")
    let login = try buddy.run(["login", "--password-stdin", "tls"], stdin: "tls-password-1\n")
    #expect(login.status == 0, "\(login.stderr)")
    #expect(
      login.stderr.contains(
        "warning: sending a password to example.invalid over a connection that is not encrypted"))
    #expect(login.stderr.components(separatedBy: "warning:").count == 2, "warned once")

    let required = try buddy.run(
      ["whoami", "--database-url", remote + "&sslmode=require"])
    #expect(required.status == 69, "the test server has no TLS: sslmode=require must refuse")
    #expect(!required.stderr.contains(rolePassword))

    // Through the Unix socket: local, no warning.
    let local = try BuddyProcess.serverInit(database.url, clientRole: role)
    let nearby = try BuddyProcess(environment: ["BUDDY_DATABASE_URL": local])
    defer { nearby.cleanUp() }
    let quiet = try nearby.run(["login", "--password-stdin", "tls"], stdin: "tls-password-1\n")
    #expect(quiet.status == 0, "\(quiet.stderr)")
    #expect(!quiet.stderr.contains("warning"))
  }
}

/// The schema version this build migrates to.
private let latest = Migration.latestVersion
