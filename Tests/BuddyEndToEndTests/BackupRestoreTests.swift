import Foundation
import Postgres
import TestSupport
import Testing
import WorkoutStore

#if canImport(Glibc)
import Glibc
#endif

/// `buddy db backup` and `buddy db restore` on a real private cluster under a temporary HOME.
@Suite("Backup and restore of the private cluster", .serialized)
struct BackupRestoreTests {
  @Test func helpTeachesBackupAndRestore() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let db = try buddy.run(["db", "--help"])
    #expect(db.stdout.contains("buddy db backup") && db.stdout.contains("buddy db restore"))
    let backup = try buddy.run(["db", "backup", "--help"])
    #expect(backup.status == 0)
    #expect(backup.stdout.contains("Examples:") && backup.stdout.contains("--keep 30"))
    let restore = try buddy.run(["db", "restore", "--help"])
    #expect(restore.status == 0)
    #expect(restore.stdout.contains("Examples:") && restore.stdout.contains("restore --yes"))
    let missing = try buddy.run(["db", "restore"])
    #expect(missing.status == 64, "FILE is required")
  }

  @Test func restoreRemovesWhatWasAddedAfterTheBackupAndNothingElse() throws {
    let world = try ClusterWorld()
    defer { world.tearDown() }
    try world.signUp("ann")
    try world.record(["--exercise", "push-up", "--reps", "7", "--duration", "30s"])
    try world.record(["--exercise", "squat", "--reps", "12", "--duration", "1m"])
    let before = try world.historyJSON()
    #expect(before.contains("push-up") && before.contains("squat"))

    let backup = try world.buddy.run(["db", "backup"])
    #expect(backup.status == 0, "\(backup.stderr)")
    let backups = world.buddy.home + "/.local/share/exercise-buddy/backups"
    #expect(backup.stdout.hasPrefix("backup: \(backups)/buddy-"), "\(backup.stdout)")
    #expect(backup.stdout.contains("schema version \(latest)"))
    let file = try #require(try world.dumps(in: backups).first)
    #expect(mode(of: backups) == 0o700)
    #expect(mode(of: file) == 0o600)
    #expect(try world.dumps(in: backups).count == 1)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: backups).allSatisfy {
        !$0.hasPrefix(".")
      }, "no temporary file is left behind")

    try world.record(["--exercise", "jump-rope", "--reps", "120", "--duration", "1m"])
    let late = try world.buddy.run(
      ["register", "--email", "late@example.org", "--username", "late", "--password-stdin"],
      stdin: "late-password\n")
    #expect(late.status == 0, "\(late.stderr)")
    #expect(try world.historyJSON().contains("jump-rope"))

    // Without a terminal and without --yes nothing happens.
    let unconfirmed = try world.buddy.run(["db", "restore", file])
    #expect(unconfirmed.status == 64)
    #expect(unconfirmed.stderr.contains("pass --yes"))
    #expect(unconfirmed.stderr.split(separator: "\n").count == 1)
    #expect(try world.historyJSON().contains("jump-rope"))

    let restore = try world.buddy.run(["db", "restore", "--yes", file])
    #expect(restore.status == 0, "\(restore.stderr)")
    #expect(restore.stdout.contains("earlier data moved aside"))
    #expect(restore.stdout.contains("earlier data removed"))
    #expect(restore.stdout.contains("session: still logged in as ann"), "\(restore.stdout)")
    #expect(try world.historyJSON() == before)
    #expect(try world.buddy.run(["whoami"]).stdout.hasPrefix("ann <ann@example.org>"))
    let lateLogin = try world.buddy.run(
      ["login", "--password-stdin", "late"], stdin: "late-password\n")
    #expect(lateLogin.status == 77, "an account made after the backup is gone")
    #expect(
      !FileManager.default.fileExists(atPath: world.clusterDirectory + "/data.before-restore"))
    #expect(try world.buddy.run(["db", "status"]).status == 0)

    // A login made after the backup is not in it: the restore says so, and logging in works.
    #expect(
      try world.buddy.run(["login", "--password-stdin", "ann"], stdin: "ann-password\n").status
        == 0)
    let again = try world.buddy.run(["db", "restore", "--yes", "--format", "json", file])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(again.stdout.contains(#""migrations_applied":0"#))
    #expect(again.stdout.contains(#""session":"gone""#), "\(again.stdout)")
    #expect(try world.buddy.run(["whoami"]).status == 77)
    #expect(
      try world.buddy.run(["login", "--password-stdin", "ann"], stdin: "ann-password\n").status
        == 0)
    #expect(try world.historyJSON() == before)
  }

  @Test func aBackupRestoresOntoAMachineWithoutACluster() throws {
    let world = try ClusterWorld()
    defer { world.tearDown() }
    try world.signUp("eve")
    try world.record(["--exercise", "push-up", "--reps", "11", "--duration", "40s"])
    let before = try world.historyJSON()
    let file = world.buddy.home + "/moving.dump"
    #expect(try world.buddy.run(["db", "backup", file]).status == 0)

    var newcomer = try BuddyProcess()
    newcomer.environment["BUDDY_CLUSTER_DIR"] = newcomer.home + "/pg"
    defer {
      _ = try? newcomer.run(["db", "stop"])
      newcomer.cleanUp()
    }
    let restore = try newcomer.run(["db", "restore", "--yes", file])
    #expect(restore.status == 0, "\(restore.stderr)")
    #expect(restore.stdout.contains("created in \(newcomer.home)/pg and started"))
    #expect(restore.stdout.contains("config: database_url = "))
    #expect(!restore.stdout.contains("session:"), "no login saved on the new machine")
    let login = try newcomer.run(["login", "--password-stdin", "eve"], stdin: "eve-password\n")
    #expect(login.status == 0, "\(login.stderr)")
    #expect(try newcomer.run(["history", "--format", "json"]).stdout == before)
  }

  @Test func rotationKeepsTheNewestSevenOfOurOwnFilesOnly() throws {
    let world = try ClusterWorld()
    defer { world.tearDown() }
    let backups = world.buddy.home + "/.local/share/exercise-buddy/backups"
    try FileManager.default.createDirectory(atPath: backups, withIntermediateDirectories: true)
    let old = (1...8).map { "buddy-2020010\($0)-000000.dump" }
    let foreign = ["notes.txt", "buddy-manual.dump", "buddy-20200101-000000.dump.bak"]
    for name in old + foreign {
      try "not a dump".write(toFile: backups + "/" + name, atomically: false, encoding: .utf8)
    }
    let first = try world.buddy.run(["db", "backup"])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(
      first.stdout.contains(
        "removed 2 older backups, keeping the newest 7: buddy-20200101-000000.dump, "
          + "buddy-20200102-000000.dump"), "\(first.stdout)")
    var names = Set(try FileManager.default.contentsOfDirectory(atPath: backups))
    #expect(names.isSuperset(of: foreign))
    #expect(names.isSuperset(of: old.dropFirst(2)))
    #expect(try world.dumps(in: backups).count == 7)

    let none = try world.buddy.run(["db", "backup", "--keep", "0"])
    #expect(none.status == 0, "\(none.stderr)")
    #expect(!none.stdout.contains("removed"))
    #expect(try world.dumps(in: backups).count == 8)

    let two = try world.buddy.run(["db", "backup", "--keep", "2", "--format", "json"])
    #expect(two.status == 0, "\(two.stderr)")
    #expect(two.stdout.contains(#""removed":["#))
    names = Set(try FileManager.default.contentsOfDirectory(atPath: backups))
    #expect(names.isSuperset(of: foreign))
    let kept = try world.dumps(in: backups)
    #expect(kept.count == 2)
    #expect(kept.allSatisfy { !$0.contains("buddy-2020") }, "the two newest are the real ones")

    // A named file elsewhere is not rotated, and is a real dump.
    let named = world.buddy.home + "/mine.dump"
    let elsewhere = try world.buddy.run(["db", "backup", "--keep", "1", named])
    #expect(elsewhere.status == 0, "\(elsewhere.stderr)")
    #expect(try world.dumps(in: backups).count == 2)
    #expect(mode(of: named) == 0o600)

    for bad in ["-1", "1001", "seven"] {
      let refused = try world.buddy.run(["db", "backup", "--keep", bad])
      #expect(refused.status == 64, "--keep \(bad)")
    }
    let missingDirectory = try world.buddy.run(
      ["db", "backup", world.buddy.home + "/no/such/dir/x.dump"])
    #expect(missingDirectory.status == 66)
  }

  @Test func aFileThatIsNotABuddyDumpIsRefusedAndTheClusterUntouched() throws {
    let world = try ClusterWorld()
    defer { world.tearDown() }
    try world.signUp("bea")
    try world.record(["--exercise", "push-up", "--reps", "5", "--duration", "20s"])
    let before = try world.historyJSON()
    let pid = try world.postmasterPID()

    let text = world.buddy.home + "/notes.dump"
    try "hello, not a dump\n".write(toFile: text, atomically: false, encoding: .utf8)
    let refused = try world.buddy.run(["db", "restore", "--yes", text])
    #expect(refused.status == 65)
    #expect(refused.stderr.hasPrefix("buddy: \(text): not an Exercise Buddy backup"))
    #expect(refused.stderr.split(separator: "\n").count == 1)

    let missing = try world.buddy.run(["db", "restore", "--yes", world.buddy.home + "/nope"])
    #expect(missing.status == 66)
    #expect(missing.stderr.contains("nope: no such file"))

    // A real PostgreSQL dump, but of another database.
    let other = world.buddy.home + "/postgres.dump"
    let dump = try BuddyProcess.execute(
      bindir + "/pg_dump",
      ["--format=custom", "--dbname=\(world.url(database: "postgres"))", "--file=\(other)"],
      environment: ProcessInfo.processInfo.environment)
    try #require(dump.status == 0, "\(dump.stderr)")
    let foreign = try world.buddy.run(["db", "restore", "--yes", other])
    #expect(foreign.status == 65)
    #expect(foreign.stderr.contains("not of an Exercise Buddy database"), "\(foreign.stderr)")

    // A dump from a newer buddy (a schema version this one does not know).
    let admin = try PostgresConnection(
      world.url(database: "buddy"), logger: TestDatabase.quietLogger)
    try admin.query(
      "INSERT INTO public.schema_migrations (version, name) VALUES ($1, 'from the future')",
      [latest + 1])
    let newer = world.buddy.home + "/newer.dump"
    #expect(try world.buddy.run(["db", "backup", newer]).status == 0)
    try admin.query("DELETE FROM public.schema_migrations WHERE version = $1", [latest + 1])
    let future = try world.buddy.run(["db", "restore", "--yes", newer])
    #expect(future.status == 78)
    #expect(future.stderr.contains("schema version \(latest + 1) is newer than this buddy"))

    // On a terminal buddy asks; anything but yes changes nothing.
    if let script = terminal {
      let good = world.buddy.home + "/good.dump"
      #expect(try world.buddy.run(["db", "backup", good]).status == 0)
      let declined = try BuddyProcess.execute(
        script, ["-qec", "\(BuddyProcess.binary) db restore \(good)", "/dev/null"],
        environment: world.buddy.fullEnvironment, stdin: Data("no\n".utf8))
      #expect(declined.status == 0, "\(declined.stdout)")
      #expect(declined.stdout.contains("Type yes to go on"))
      #expect(declined.stdout.contains("restore: cancelled; nothing changed"))
    }

    #expect(try world.postmasterPID() == pid, "the cluster was never stopped")
    #expect(try world.historyJSON() == before)

    // A configured database server is not the private cluster: pg_dump is the tool there.
    var server = world.buddy
    server.environment["BUDDY_DATABASE_URL"] = "postgresql://someone@db.example.org/buddy"
    for arguments in [["db", "backup"], ["db", "restore", "--yes", text]] {
      let result = try server.run(arguments)
      #expect(result.status == 78)
      #expect(result.stderr.contains("private cluster only"), "\(result.stderr)")
    }
  }

  @Test func aFailedRestorePutsTheEarlierDataBack() throws {
    let world = try ClusterWorld()
    defer { world.tearDown() }
    try world.signUp("cid")
    try world.record(["--exercise", "squat", "--reps", "9", "--duration", "40s"])
    // A dump with an object owned by a role a fresh cluster does not have: pg_restore fails
    // after the old data was moved aside.
    let admin = try PostgresConnection(
      world.url(database: "buddy"), logger: TestDatabase.quietLogger)
    try admin.execute(
      script: """
        CREATE ROLE stranger NOLOGIN;
        CREATE TABLE public.stranger_things (id integer);
        ALTER TABLE public.stranger_things OWNER TO stranger;
        """)
    let broken = world.buddy.home + "/broken.dump"
    #expect(try world.buddy.run(["db", "backup", broken]).status == 0)
    try world.record(["--exercise", "push-up", "--reps", "3", "--duration", "10s"])
    let before = try world.historyJSON()

    let failed = try world.buddy.run(["db", "restore", "--yes", broken])
    #expect(failed.status == 65, "\(failed.stdout)\(failed.stderr)")
    #expect(
      failed.stderr.contains(
        "pg_restore failed: could not execute query: ERROR:  role \"stranger\""),
      "\(failed.stderr)")
    #expect(failed.stderr.split(separator: "\n").count == 1)
    #expect(failed.stderr.contains("the earlier data is back in place and running"))
    #expect(try world.historyJSON() == before)
    #expect(
      !FileManager.default.fileExists(atPath: world.clusterDirectory + "/data.before-restore"))
  }

  @Test func anOlderDumpIsRestoredThenMigrated() throws {
    let world = try ClusterWorld()
    defer { world.tearDown() }
    // A buddy database one schema version behind, as an older buddy left it.
    let postgres = try PostgresConnection(
      world.url(database: "postgres"), logger: TestDatabase.quietLogger)
    try postgres.execute(script: "DROP DATABASE buddy WITH (FORCE)")
    try postgres.execute(script: "CREATE DATABASE buddy")
    let buddyDatabase = try PostgresConnection(
      world.url(database: "buddy"), logger: TestDatabase.quietLogger)
    try SchemaMigrator(connection: buddyDatabase, migrations: Array(Migration.all.dropLast()))
      .migrate()
    let older = world.buddy.home + "/older.dump"
    let backup = try world.buddy.run(["db", "backup", older])
    #expect(backup.stdout.contains("schema version \(latest - 1)"), "\(backup.stderr)")

    // Typed yes on a terminal, or --yes without one.
    let restore =
      try terminal.map {
        try BuddyProcess.execute(
          $0, ["-qec", "\(BuddyProcess.binary) db restore \(older)", "/dev/null"],
          environment: world.buddy.fullEnvironment, stdin: Data("yes\n".utf8))
      } ?? world.buddy.run(["db", "restore", "--yes", older])
    #expect(restore.status == 0, "\(restore.stdout)\(restore.stderr)")
    #expect(restore.stdout.contains("applied 1 migration: \(latest)"), "\(restore.stdout)")
    #expect(try world.buddy.run(["db", "status"]).status == 0)
    try world.signUp("dan")
    try world.record(["--exercise", "squat", "--reps", "4", "--duration", "15s"])
    #expect(try world.historyJSON().contains("squat"))
  }
}

/// A private cluster under a temporary HOME, started with `buddy db start`.
private struct ClusterWorld {
  let buddy: BuddyProcess
  let clusterDirectory: String

  init() throws {
    var buddy = try BuddyProcess()
    clusterDirectory = buddy.home + "/pg"
    buddy.environment["BUDDY_CLUSTER_DIR"] = clusterDirectory
    self.buddy = buddy
    let start = try buddy.run(["db", "start"])
    guard start.status == 0 else {
      tearDown()
      throw WorldFailure("db start: \(start.stderr)")
    }
  }

  /// The cluster's superuser URL of `database`.
  func url(database: String) -> String {
    "postgresql:///\(database)?host=\(clusterDirectory)/run&user=buddy"
  }

  func signUp(_ name: String) throws {
    let password = "\(name)-password\n"
    let register = try buddy.run(
      ["register", "--email", "\(name)@example.org", "--username", name, "--password-stdin"],
      stdin: password)
    let login = try buddy.run(["login", "--password-stdin", name], stdin: password)
    guard register.status == 0, login.status == 0 else {
      throw WorldFailure("sign up \(name): \(register.stderr)\(login.stderr)")
    }
  }

  func record(_ arguments: [String]) throws {
    let result = try buddy.run(["record"] + arguments)
    guard result.status == 0 else { throw WorldFailure("record: \(result.stderr)") }
  }

  func historyJSON() throws -> String {
    let result = try buddy.run(["history", "--format", "json"])
    guard result.status == 0 else { throw WorldFailure("history: \(result.stderr)") }
    return result.stdout
  }

  /// The `buddy-*.dump` files in `directory` that rotation counts, sorted by name.
  func dumps(in directory: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory)
      .filter { $0.hasPrefix("buddy-") && $0.hasSuffix(".dump") && $0 != "buddy-manual.dump" }
      .sorted().map { directory + "/" + $0 }
  }

  func postmasterPID() throws -> Int32 {
    let text = try String(
      contentsOfFile: clusterDirectory + "/data/postmaster.pid", encoding: .utf8)
    return try #require(text.split(separator: "\n").first.flatMap { Int32($0) })
  }

  func tearDown() {
    _ = try? buddy.run(["db", "stop"])
    buddy.cleanUp()
  }
}

/// The permission bits of `path`.
private func mode(of path: String) -> mode_t {
  var info = stat()
  return stat(path, &info) == 0 ? info.st_mode & 0o777 : 0
}

/// Where the PostgreSQL programs are (as buddy finds them).
private let bindir =
  ProcessInfo.processInfo.environment["BUDDY_PG_BINDIR"]
  ?? "/usr/lib/postgresql/15/bin"

/// `script`, which runs a command on a pseudo-terminal (util-linux), when installed.
private let terminal = ["/usr/bin/script", "/bin/script"].first {
  FileManager.default.isExecutableFile(atPath: $0)
}

/// The schema version this build migrates to.
private let latest = Migration.latestVersion

/// Setting up the cluster world through the binary failed.
private struct WorldFailure: Error, CustomStringConvertible {
  let description: String

  init(_ description: String) { self.description = description }
}
