import Foundation
import TestSupport
import Testing
import WorkoutStore

#if canImport(Glibc)
import Glibc
#endif

/// `buddy db start | status | stop` on a real private cluster, as root (server run as `postgres`)
/// or as the current user, and as a temporary unprivileged user when the tests run as root.
@Suite("Private PostgreSQL cluster", .serialized)
struct PrivateClusterTests {
  @Test func startTwiceStatusRecoverFromKillNineAndStop() throws {
    var buddy = try BuddyProcess()
    let clusterDirectory = buddy.home + "/pg"
    buddy.environment["BUDDY_CLUSTER_DIR"] = clusterDirectory
    defer {
      _ = try? buddy.run(["db", "stop"])
      buddy.cleanUp()
    }
    let first = try buddy.run(["db", "start"])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("created in \(clusterDirectory) and started"))
    #expect(first.stdout.contains("applied \(latest) migrations"))
    #expect(first.stdout.contains("client role buddy_client: created"))
    // Users' commands connect as the client role; migrate finds the superuser by itself.
    #expect(try buddy.run(["config", "get", "database_url"]).stdout.contains("user=buddy_client"))
    let password = "private-cluster-pw\n"
    #expect(
      try buddy.run(
        ["register", "--email", "pc@example.org", "--username", "pcuser", "--password-stdin"],
        stdin: password
      ).status == 0)
    #expect(try buddy.run(["login", "--password-stdin", "pcuser"], stdin: password).status == 0)
    let manual = try buddy.run([
      "record", "--exercise", "push-up", "--reps", "7", "--duration", "30s",
    ])
    #expect(manual.status == 0, "\(manual.stderr)")
    #expect(try buddy.run(["history", "--format", "csv"]).stdout.contains(",push-up,7,30,"))
    let migrate = try buddy.run(["db", "migrate"])
    #expect(migrate.status == 0, "\(migrate.stderr)")
    #expect(migrate.stdout == "schema: version \(latest) of \(latest), up to date\n")
    // A config from before schema v2 names the superuser: migrate moves it to the client role.
    let clientURL = try buddy.run(["config", "get", "database_url"]).stdout
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let superuserURL = clientURL.replacingOccurrences(of: "user=buddy_client", with: "user=buddy")
    #expect(try buddy.run(["config", "set", "database_url", superuserURL]).status == 0)
    let moved = try buddy.run(["db", "migrate"])
    #expect(moved.stdout.contains("config: database_url = \(clientURL)"), "\(moved.stderr)")
    #expect(try buddy.run(["whoami"]).stdout.hasPrefix("pcuser <pc@example.org>"))

    let second = try buddy.run(["db", "start"])
    #expect(second.status == 0)
    #expect(second.stdout.hasPrefix("private cluster: already running"))
    #expect(second.stdout.contains("schema: version \(latest) of \(latest), up to date"))

    let status = try buddy.run(["db", "status"])
    #expect(status.status == 0, "\(status.stderr)")
    #expect(status.stdout.contains("private cluster: running (socket \(clusterDirectory)/run"))
    #expect(status.stdout.contains("schema: version \(latest) of \(latest), up to date"))

    let pidText = try String(
      contentsOfFile: clusterDirectory + "/data/postmaster.pid", encoding: .utf8)
    let pid = try #require(pidText.split(separator: "\n").first.flatMap { Int32($0) })
    #expect(kill(pid, SIGKILL) == 0)
    for _ in 0..<50 where kill(pid, 0) == 0 { usleep(100_000) }

    let down = try buddy.run(["db", "status"])
    #expect(down.status == 69)
    #expect(down.stdout.contains("private cluster: stopped"))
    #expect(down.stderr.hasPrefix("buddy: cannot reach the database"))

    let restart = try buddy.run(["db", "start"])
    #expect(restart.status == 0, "\(restart.stderr)")
    #expect(restart.stdout.hasPrefix("private cluster: started"))
    #expect(try buddy.run(["db", "status"]).status == 0)

    let stop = try buddy.run(["db", "stop"])
    #expect(stop.stdout == "private cluster: stopped\n")
    #expect(try buddy.run(["db", "stop"]).stdout == "private cluster: not running\n")
    #expect(try buddy.run(["db", "status"]).status == 69)

    // A pid file naming a live process that is not PostgreSQL (a pid reused after a crash).
    try "\(getpid())\n\(clusterDirectory)/data\n".write(
      toFile: clusterDirectory + "/data/postmaster.pid", atomically: false, encoding: .utf8)
    let reused = try buddy.run(["db", "start"])
    #expect(reused.status == 0, "\(reused.stderr)")
    #expect(try buddy.run(["db", "status"]).status == 0)
  }

  @Test(.enabled(if: geteuid() == 0, "only root can create a temporary user"))
  func aNormalUserRunsItsOwnClusterUnderItsDataHome() throws {
    let scratch = try BuddyProcess()
    defer { scratch.cleanUp() }
    let user = "buddyt\(UInt32.random(in: 100_000...999_999))"
    let home = scratch.home + "/home"
    let binary = scratch.home + "/buddy"
    try FileManager.default.copyItem(atPath: BuddyProcess.binary, toPath: binary)
    chmod(binary, 0o755)
    let add = try BuddyProcess.execute(
      "/usr/sbin/useradd", ["--no-create-home", "--home-dir", home, "--shell", "/bin/sh", user],
      environment: ProcessInfo.processInfo.environment)
    try #require(add.status == 0, "useradd: \(add.stderr)")
    defer {
      _ = try? BuddyProcess.execute(
        "/usr/sbin/userdel", [user], environment: ProcessInfo.processInfo.environment)
    }
    let chown = try BuddyProcess.execute(
      "/bin/sh", ["-c", "mkdir -p '\(home)' && chown \(user): '\(home)' && chmod 700 '\(home)'"],
      environment: ProcessInfo.processInfo.environment)
    try #require(chown.status == 0)

    func runAsUser(_ arguments: [String]) throws -> BuddyProcess.Result {
      var environment = ["HOME=\(home)", "PATH=/usr/local/bin:/usr/bin:/bin"]
      if let bindir = ProcessInfo.processInfo.environment["BUDDY_PG_BINDIR"] {
        environment.append("BUDDY_PG_BINDIR=\(bindir)")
      }
      return try BuddyProcess.execute(
        "/usr/sbin/runuser",
        ["-u", user, "--", "/usr/bin/env", "-i"] + environment + [binary] + arguments,
        environment: ProcessInfo.processInfo.environment)
    }
    defer { _ = try? runAsUser(["db", "stop"]) }

    let start = try runAsUser(["db", "start"])
    #expect(start.status == 0, "\(start.stderr)")
    let clusterDirectory = home + "/.local/share/exercise-buddy/postgres"
    #expect(start.stdout.contains("created in \(clusterDirectory) and started"))
    var info = stat()
    #expect(stat(clusterDirectory + "/data", &info) == 0)
    #expect(info.st_uid == getpwnam(user)?.pointee.pw_uid)

    let status = try runAsUser(["db", "status"])
    #expect(status.status == 0, "\(status.stderr)")
    #expect(status.stdout.contains("private cluster: running"))
    #expect(status.stdout.contains("schema: version \(latest) of \(latest), up to date"))
    let config = try String(
      contentsOfFile: home + "/.config/exercise-buddy/config", encoding: .utf8)
    #expect(config.contains("database_url = postgresql:///buddy?host=\(clusterDirectory)/run"))

    let stop = try runAsUser(["db", "stop"])
    #expect(stop.stdout == "private cluster: stopped\n")
    #expect(try runAsUser(["db", "status"]).status == 69)
  }
}

/// The schema version this build migrates to.
private let latest = Migration.latestVersion
