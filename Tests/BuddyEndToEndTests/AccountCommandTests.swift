import Foundation
import Postgres
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Accounts end to end: the built binary, a temporary HOME, a real migrated database.
@Suite("Accounts end to end", .enabled(if: TestDatabase.isAvailable))
struct AccountCommandTests {
  /// A migrated database and a buddy user environment pointing at it.
  private struct World {
    let database: TestDatabase
    let buddy: BuddyProcess

    init() throws {
      database = try TestDatabase.create()
      buddy = try BuddyProcess(environment: ["BUDDY_DATABASE_URL": database.url])
      let migrate = try buddy.run(["db", "migrate"])
      try #require(migrate.status == 0, "\(migrate.stderr)")
    }

    /// Another user at another terminal: a second HOME on the same database.
    func otherTerminal() throws -> BuddyProcess {
      try BuddyProcess(environment: ["BUDDY_DATABASE_URL": database.url])
    }

    @discardableResult
    func register(
      _ username: String, _ email: String, _ password: String, on buddy: BuddyProcess? = nil
    )
      throws -> BuddyProcess.Result
    {
      try (buddy ?? self.buddy).run(
        ["register", "--email", email, "--username", username, "--password-stdin"],
        stdin: password + "\n")
    }

    @discardableResult
    func login(_ user: String, _ password: String, on buddy: BuddyProcess? = nil) throws
      -> BuddyProcess.Result
    {
      try (buddy ?? self.buddy).run(["login", "--password-stdin", user], stdin: password + "\n")
    }

    func count(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) throws -> Int {
      try database.connect().query(sql, parameters)[0].decode(0, as: Int.self)
    }

    func close() {
      buddy.cleanUp()
      database.drop()
    }
  }

  @Test func registerLoginWhoamiLogout() throws {
    let world = try World()
    defer { world.close() }
    let registered = try world.register("ann", "Ann@Example.com", "correct horse 1")
    #expect(registered.status == 0, "\(registered.stderr)")
    #expect(registered.stdout.contains("Registered ann <Ann@Example.com>"))
    #expect(try world.buddy.run(["whoami"]).status == 77, "register must not log in")

    let login = try world.login("ann", "correct horse 1")
    #expect(login.status == 0, "\(login.stderr)")
    #expect(login.stdout.hasPrefix("Logged in as ann"))
    let whoami = try world.buddy.run(["whoami"])
    #expect(whoami.status == 0)
    #expect(whoami.stdout.hasPrefix("ann <Ann@Example.com>, member since "))
    #expect(whoami.stdout.contains("logged in until"))
    let json = try world.buddy.run(["whoami", "--format", "json"])
    #expect(json.stdout.contains(#""username":"ann","email":"Ann@Example.com""#))

    #expect(try world.buddy.run(["logout"]).stdout == "Logged out.\n")
    let after = try world.buddy.run(["whoami"])
    #expect(after.status == 77)
    #expect(after.stderr.hasPrefix("buddy: not logged in"))
    #expect(try world.count("SELECT count(*) FROM sessions") == 0)

    let byEmail = try world.login("aNN@example.COM", "correct horse 1")
    #expect(byEmail.status == 0, "\(byEmail.stderr)")
    #expect(try world.buddy.run(["whoami"]).stdout.hasPrefix("ann "))
  }

  @Test func takenNamesAndBadPasswordsAreRefusedWithNothingWritten() throws {
    let world = try World()
    defer { world.close() }
    try world.register("ann", "ann@example.com", "password-one")
    let sameName = try world.register("ann", "other@example.com", "password-two")
    #expect(sameName.status == 65)
    #expect(sameName.stderr == "buddy: that username is taken\n")
    let sameEmail = try world.register("ann2", "ANN@EXAMPLE.COM", "password-two")
    #expect(sameEmail.status == 65)
    #expect(sameEmail.stderr == "buddy: an account with that email address already exists\n")
    let short = try world.register("bob", "bob@example.com", "1234567")
    #expect(short.status == 65)
    #expect(short.stderr.contains("too short (7 bytes"))
    let long = try world.register("bob", "bob@example.com", String(repeating: "x", count: 73))
    #expect(long.status == 65)
    #expect(long.stderr.contains("too long (73 bytes"))
    let badEmail = try world.register("bob", "bob@", "password-two")
    #expect(badEmail.status == 65)
    let badName = try world.register("b b", "bob@example.com", "password-two")
    #expect(badName.status == 65)
    #expect(try world.count("SELECT count(*) FROM users") == 1)

    let limit = String(repeating: "y", count: 72)
    #expect(try world.register("bob", "bob@example.com", limit).status == 0)
    #expect(try world.login("bob", limit).status == 0)
    #expect(try world.login("bob", String(limit.dropLast())).status == 77)
    let hash = try world.database.connect().query(
      "SELECT hashed_password FROM users WHERE username = 'bob'")[0].decode(0, as: String.self)
    #expect(hash.hasPrefix("$2b$12$"))
  }

  @Test func wrongPasswordsAreThrottledAfterFiveAndTheThrottleExpires() throws {
    let world = try World()
    defer { world.close() }
    try world.register("ann", "ann@example.com", "the-right-one")
    for _ in 0..<5 {
      let wrong = try world.login("ann", "not-the-right-one")
      #expect(wrong.status == 77)
      #expect(wrong.stderr == "buddy: wrong username or password\n")
    }
    let unknown = try world.login("nobody", "whatever-pass")
    #expect(unknown.status == 77)
    #expect(unknown.stderr == "buddy: wrong username or password\n")
    #expect(try world.count("SELECT count(*) FROM sessions") == 0)

    let throttled = try world.login("ann", "the-right-one")
    #expect(throttled.status == 77)
    #expect(throttled.stderr.contains("too many failed logins"))
    #expect(throttled.stderr.contains("try again in 15 minutes"))
    #expect(try world.count("SELECT count(*) FROM sessions") == 0)
    #expect(try world.count("SELECT count(*) FROM login_attempts WHERE outcome = 'throttled'") == 1)

    // Age the failures past the lockout: the account opens again.
    try world.database.connect().query(
      "UPDATE login_attempts SET attempted_at = attempted_at - interval '16 minutes'")
    let later = try world.login("ann", "the-right-one")
    #expect(later.status == 0, "\(later.stderr)")
  }

  @Test func unknownUsersAreThrottledLikeKnownOnesAndCostTheSameTime() throws {
    let world = try World()
    defer { world.close() }
    try world.register("ann", "ann@example.com", "the-right-one")
    func timed(_ user: String) throws -> TimeInterval {
      let start = Date()
      _ = try world.login(user, "wrong-password")
      return Date().timeIntervalSince(start)
    }
    let known = try (0..<3).map { _ in try timed("ann") }.sorted()
    let unknown = try (0..<3).map { _ in try timed("ghost") }.sorted()
    // Both run one cost-12 bcrypt (~0.2 s); without the equaliser an unknown user's attempt
    // takes ~0.03 s (process start and two queries). Load only makes runs slower, so the
    // fastest unknown-user run is the fair witness.
    #expect(unknown[0] > 0.12, "unknown-user attempts: \(unknown) s")
    #expect(unknown[1] > known[1] * 0.5, "known \(known) s, unknown \(unknown) s")
    for _ in 0..<2 { _ = try world.login("ghost", "wrong-password") }
    #expect(try world.login("ghost", "wrong-password").stderr.contains("too many failed logins"))
  }

  @Test func theTokenIsPrivateOnDiskAndOnlyHashedInTheDatabase() throws {
    let world = try World()
    defer { world.close() }
    let password = "Sup3r-Secret-Pass"
    try world.register("ann", "ann@example.com", password)
    let start = Date()
    let login = try world.login("ann", password)
    #expect(login.status == 0)
    let directory = world.buddy.home + "/.config/exercise-buddy"
    let file = directory + "/session"
    #expect(try permissions(file) == 0o600)
    #expect(try permissions(directory) == 0o700)
    let token = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .newlines)
    #expect(token.count == 64)
    let connection = try world.database.connect()
    let stored = try connection.query("SELECT token_sha256 FROM sessions")[0].decode(
      0, as: [UInt8].self)
    #expect(stored.count == 32)
    let tokenBytes = stride(from: 0, to: 64, by: 2).compactMap {
      UInt8(token.dropFirst($0).prefix(2), radix: 16)
    }
    #expect(stored != tokenBytes)
    let dump = try connection.query(
      "SELECT coalesce(string_agg(t::text, ' '), '') FROM (SELECT * FROM sessions) t")[0]
      .decode(0, as: String.self)
    #expect(!dump.contains(token))
    #expect(!dump.contains(String(token.prefix(16))))
    _ = start

    // The password appears in no output and not in the server's log.
    for result in [login, try world.buddy.run(["whoami"]), try world.buddy.run(["sessions"])] {
      #expect(!result.stdout.contains(password) && !result.stderr.contains(password))
    }
    if let log = ProcessInfo.processInfo.environment["BUDDY_TEST_SERVER_LOG"] {
      let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
      #expect(!text.contains(password))
    }
  }

  @Test func thePasswordIsNeverInAnyProcessArguments() throws {
    let world = try World()
    defer { world.close() }
    let password = "Argv-Canary-12345"
    try world.register("ann", "ann@example.com", password)
    let seen = ArgvWatcher(needle: password)
    let watcher = Thread { seen.watch() }
    watcher.start()
    defer { seen.stop() }
    for _ in 0..<3 { _ = try world.login("ann", password) }
    seen.stop()
    #expect(seen.scans > 0)
    #expect(!seen.found)
  }

  @Test func sessionsListAndRevoke() throws {
    let world = try World()
    defer { world.close() }
    try world.register("ann", "ann@example.com", "password-one")
    let laptop = try world.otherTerminal()
    defer { laptop.cleanUp() }
    #expect(try world.login("ann", "password-one").status == 0)
    #expect(try world.login("ann", "password-one", on: laptop).status == 0)
    let list = try world.buddy.run(["sessions"])
    #expect(list.status == 0)
    #expect(list.stdout.split(separator: "\n").count == 3)
    #expect(list.stdout.contains("(this one)"))
    let json = try world.buddy.run(["sessions", "--format", "json"]).stdout
    #expect(json.components(separatedBy: #""current":true"#).count == 2)
    #expect(json.components(separatedBy: #""current":false"#).count == 2)

    let laptopID = try #require(
      try laptop.run(["whoami", "--format", "json"]).stdout.components(
        separatedBy: #""session_id":""#
      )
      .last?.prefix(8))
    let revoke = try world.buddy.run(["sessions", "revoke", String(laptopID)])
    #expect(revoke.status == 0, "\(revoke.stderr)")
    #expect(try laptop.run(["whoami"]).status == 77)
    #expect(try world.buddy.run(["sessions", "revoke", "ffffffff"]).status == 64)
    #expect(try world.buddy.run(["sessions", "revoke"]).status == 64)

    #expect(try world.login("ann", "password-one", on: laptop).status == 0)
    #expect(
      try world.buddy.run(["sessions", "revoke", "--others"]).stdout == "Revoked 1 other session.\n"
    )
    #expect(try laptop.run(["whoami"]).status == 77)
    #expect(try world.buddy.run(["whoami"]).status == 0)
  }

  @Test func passwdRevokesOtherSessionsAndChangesThePassword() throws {
    let world = try World()
    defer { world.close() }
    try world.register("ann", "ann@example.com", "old-password")
    let laptop = try world.otherTerminal()
    defer { laptop.cleanUp() }
    #expect(try world.login("ann", "old-password").status == 0)
    #expect(try world.login("ann", "old-password", on: laptop).status == 0)
    let wrongOld = try world.buddy.run(
      ["passwd", "--password-stdin"], stdin: "not-old-password\nnew-password\n")
    #expect(wrongOld.status == 77)
    let change = try world.buddy.run(
      ["passwd", "--password-stdin"], stdin: "old-password\nnew-password\n")
    #expect(change.status == 0, "\(change.stderr)")
    #expect(change.stdout == "Password changed; 1 other session signed out.\n")
    #expect(try laptop.run(["whoami"]).status == 77)
    #expect(try world.buddy.run(["whoami"]).status == 0)
    #expect(try world.login("ann", "old-password", on: laptop).status == 77)
    #expect(try world.login("ann", "new-password", on: laptop).status == 0)
  }

  @Test func deactivationBlocksLoginAndKeepsWorkouts() throws {
    let world = try World()
    defer { world.close() }
    try world.register("ann", "ann@example.com", "password-one")
    #expect(try world.login("ann", "password-one").status == 0)
    try world.database.connect().query(
      "INSERT INTO workouts (user_id, exercise_type, reps_count, duration_seconds) "
        + "SELECT id, 'push-up', 12, 40 FROM users")
    let wrong = try world.buddy.run(
      ["account", "deactivate", "--password-stdin"], stdin: "nope-nope\n")
    #expect(wrong.status == 77)
    let deactivate = try world.buddy.run(
      ["account", "deactivate", "--password-stdin"], stdin: "password-one\n")
    #expect(deactivate.status == 0, "\(deactivate.stderr)")
    #expect(try world.buddy.run(["whoami"]).status == 77)
    let login = try world.login("ann", "password-one")
    #expect(login.status == 77)
    #expect(
      login.stderr
        == "buddy: account ann is deactivated; `buddy account reactivate ann` revives it\n")
    #expect(
      try world.login("ann", "wrong-password").stderr == "buddy: wrong username or password\n")
    #expect(try world.count("SELECT count(*) FROM workouts") == 1)
    #expect(try world.count("SELECT count(*) FROM users WHERE NOT is_active") == 1)
  }

  @Test func noTerminalAndNoStdinFlagIsAUsageError() throws {
    let world = try World()
    defer { world.close() }
    let result = try BuddyProcess.execute(
      "/usr/bin/setsid",
      ["-w", BuddyProcess.binary, "login", "ann"],
      environment: world.buddy.fullEnvironment)
    #expect(result.status == 64)
    #expect(result.stderr.contains("--password-stdin"))
  }

  @Test func aDownDatabaseIsExit69WithinFiveSeconds() throws {
    let buddy = try BuddyProcess(environment: [
      "BUDDY_DATABASE_URL": "postgresql:///buddy?host=/nonexistent-buddy-socket-dir"
    ])
    defer { buddy.cleanUp() }
    try FileManager.default.createDirectory(
      atPath: buddy.home + "/.config/exercise-buddy", withIntermediateDirectories: true)
    try (String(repeating: "ab", count: 32) + "\n").write(
      toFile: buddy.home + "/.config/exercise-buddy/session", atomically: true, encoding: .utf8)
    let start = Date()
    let result = try buddy.run(["whoami"])
    #expect(Date().timeIntervalSince(start) < 5)
    #expect(result.status == 69)
    #expect(result.stderr.hasPrefix("buddy: cannot reach the database"))
  }

  @Test func concurrentRegistrationsOfOneUsernameLetExactlyOneWin() throws {
    let world = try World()
    defer { world.close() }
    let outcomes = Outcomes()
    DispatchQueue.concurrentPerform(iterations: 4) { index in
      let result = try? world.register("sam", "sam\(index)@example.com", "password-\(index)")
      outcomes.add(result?.status ?? -1)
    }
    #expect(outcomes.values.sorted() == [0, 65, 65, 65])
    #expect(try world.count("SELECT count(*) FROM users") == 1)
  }

  private func permissions(_ path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
  }
}

private final class Outcomes: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: [Int32] = []
  var values: [Int32] { lock.withLock { stored } }
  func add(_ value: Int32) { lock.withLock { stored.append(value) } }
}

/// Scans every process's command line for a string until stopped.
private final class ArgvWatcher: @unchecked Sendable {
  private let lock = NSLock()
  private let needle: String
  private var stopped = false
  private var sawNeedle = false
  private var scanCount = 0

  init(needle: String) { self.needle = needle }

  var found: Bool { lock.withLock { sawNeedle } }
  var scans: Int { lock.withLock { scanCount } }
  func stop() { lock.withLock { stopped = true } }

  func watch() {
    while !lock.withLock({ stopped }) {
      let processes = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
      for pid in processes where pid.allSatisfy(\.isNumber) {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else {
          continue
        }
        if String(decoding: data, as: UTF8.self).contains(needle) {
          lock.withLock { sawNeedle = true }
        }
      }
      lock.withLock { scanCount += 1 }
    }
  }
}

/// Prompts on a real pseudo-terminal (util-linux `script`): the password is asked without echo.
@Suite("Password prompts on a terminal", .enabled(if: TestDatabase.isAvailable))
struct PasswordPromptTests {
  @Test func registerAndLoginAskWithoutEcho() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let buddy = try BuddyProcess(environment: ["BUDDY_DATABASE_URL": database.url])
    defer { buddy.cleanUp() }
    #expect(try buddy.run(["db", "migrate"]).status == 0)
    let password = "Typed-At-The-Tty-9"
    func onTerminal(_ command: String, lines: Int) throws -> BuddyProcess.Result {
      let answers = String(repeating: "\(password)\\n", count: lines)
      return try BuddyProcess.execute(
        "/bin/sh",
        [
          "-c",
          "(sleep 1; printf '\(answers)') | script -qec '\(BuddyProcess.binary) \(command)' /dev/null",
        ],
        environment: buddy.fullEnvironment, timeout: 60)
    }
    let register = try onTerminal("register --email tty@example.com --username tty", lines: 2)
    #expect(register.stdout.contains("Password: "))
    #expect(register.stdout.contains("Repeat password: "))
    #expect(register.stdout.contains("Registered tty"))
    #expect(!register.stdout.contains(password))
    let login = try onTerminal("login tty", lines: 1)
    #expect(login.stdout.contains("Logged in as tty"))
    #expect(!login.stdout.contains(password))
    #expect(try buddy.run(["whoami"]).status == 0)
  }
}
