import Foundation
import TestSupport
import Testing

/// `scripts/cluster-lab.sh`: a pg_auto_failover monitor, a primary and a streaming standby on
/// one machine, used by the built `buddy` through the multi-host URL the script prints, across a
/// SIGKILL of the primary.
@Suite("Cluster lab (pg_auto_failover) end to end")
struct ClusterLabTests {
  /// The script, from the source tree this file is in.
  static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("scripts/cluster-lab.sh").path

  /// `scripts/test.sh` sets `BUDDY_TEST_CLUSTER_LAB=1` once pg_auto_failover is installed; the
  /// replicated test costs about 30 s (up ~13 s, failover ~6 s, down ~6 s).
  static var labEnabled: Bool {
    ProcessInfo.processInfo.environment["BUDDY_TEST_CLUSTER_LAB"] == "1"
  }

  static func lab(_ arguments: [String], timeout: TimeInterval = 300) throws -> BuddyProcess.Result
  {
    var environment: [String: String] = [:]
    for key in ["PATH", "LANG", "HOME"] {
      if let value = ProcessInfo.processInfo.environment[key] { environment[key] = value }
    }
    return try BuddyProcess.execute(
      "/bin/bash", [script] + arguments, environment: environment, timeout: timeout)
  }

  static func temporaryPath() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent(
      "cluster-lab-\(UUID().uuidString.prefix(8))"
    ).path
  }

  /// Pids of processes whose working directory is inside `directory` (the keepers, the
  /// postmasters and all their backends work in the lab).
  static func processes(under directory: String) -> [String] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.filter { entry in
      guard entry.allSatisfy(\.isNumber),
        let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/cwd")
      else { return false }
      return cwd == directory || cwd.hasPrefix(directory + "/")
    }
  }

  @Test func helpTeachesWithExamples() throws {
    let help = try Self.lab(["--help"])
    #expect(help.status == 0)
    #expect(help.stdout.contains("Examples:"))
    #expect(help.stdout.contains("PGPASSFILE="))
    #expect(help.stdout.contains("kill-primary [--wait] DIR"))
  }

  @Test func badUsageExitsTwoWithOneClearLine() throws {
    let unknown = try Self.lab(["launch", "/tmp/x"])
    #expect(unknown.status == 2)
    #expect(unknown.stderr.hasPrefix("cluster-lab: unknown command: launch\n"))
    #expect(try Self.lab([]).status == 2)
    #expect(try Self.lab(["up"]).status == 2)
    #expect(try Self.lab(["kill-primary", "--now", "/tmp/x"]).status == 2)
    #expect(try Self.lab(["status", "--format", "xml", "/tmp/x"]).status == 2)
  }

  @Test func refusesADirectoryThatIsNotALabAndTouchesNothing() throws {
    let directory = Self.temporaryPath()
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    _ = FileManager.default.createFile(
      atPath: directory + "/notes.txt", contents: Data("mine".utf8))

    let up = try Self.lab(["up", directory])
    #expect(up.status == 1)
    #expect(up.stderr.contains("cluster-lab: \(directory) exists and is not a lab"))
    #expect(up.stdout.isEmpty)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["notes.txt"])
    let status = try Self.lab(["status", directory])
    #expect(status.status == 1)
    #expect(status.stderr.contains("is not a lab (no lab.env)"))
    #expect(try Self.lab(["kill-primary", directory]).status == 1)
    #expect(try Self.lab(["down", directory + "/absent"]).status == 0)
  }

  @Test(
    .enabled(
      if: labEnabled,
      "runs in scripts/test.sh's cluster-lab step (BUDDY_TEST_CLUSTER_LAB=1)"),
    .timeLimit(.minutes(10)))
  func buddyKeepsWorkingThroughTheMultiHostURLWhenThePrimaryIsKilled() throws {
    let directory = Self.temporaryPath()
    defer {
      _ = try? Self.lab(["down", directory])
      try? FileManager.default.removeItem(atPath: directory)
    }
    let up = try Self.lab(["up", directory])
    try #require(up.status == 0, "\(up.stderr)")
    let lines = up.stdout.split(separator: "\n").map(String.init)
    let url = try #require(lines.last)
    #expect(url.hasPrefix("postgresql://buddy_admin@127.0.0.1:"))
    // Bare: no target_session_attrs of the user's own, so buddy routes reads and writes itself.
    #expect(url.hasSuffix("/buddy"))
    #expect(!url.contains("?"))
    #expect(lines.contains("PGPASSFILE=\(directory)/pgpass"))

    // The password lives only in the 0600 password file: not in the URL, the output or a log.
    let pgpass = try String(contentsOfFile: directory + "/pgpass", encoding: .utf8)
    let password = try #require(pgpass.split(separator: ":").last.map { String($0.dropLast()) })
    #expect(password.count >= 20)
    let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/pgpass")
    #expect(attributes[.posixPermissions] as? Int == 0o600)
    #expect(!up.stdout.contains(password) && !up.stderr.contains(password))
    let files = FileManager.default.enumerator(atPath: directory)?.allObjects as? [String] ?? []
    for file in files where file.hasSuffix(".log") || file.contains("/log/") {
      let text = (try? String(contentsOfFile: directory + "/" + file, encoding: .utf8)) ?? ""
      #expect(!text.contains(password), "password in \(file)")
    }

    // Every TCP connection needs the password; only the private Unix sockets trust their user.
    for node in ["monitor", "node1", "node2"] {
      let hba = try String(contentsOfFile: "\(directory)/\(node)/pg_hba.conf", encoding: .utf8)
      let trusting = hba.split(separator: "\n").filter {
        $0.hasPrefix("host") && $0.contains(" trust")
      }
      #expect(trusting.isEmpty, "\(node): \(trusting)")
    }

    // A second `up` reuses the running lab.
    let again = try Self.lab(["up", directory])
    #expect(again.status == 0)
    #expect(again.stderr.contains("is already up"))
    #expect(again.stdout.split(separator: "\n").last.map(String.init) == url)

    let environment = ["BUDDY_DATABASE_URL": url, "PGPASSFILE": directory + "/pgpass"]
    let admin = try BuddyProcess(environment: environment)
    defer { admin.cleanUp() }
    let migrate = try admin.run(["db", "migrate"])
    #expect(migrate.status == 0, "\(migrate.stderr)")
    let ann = try BuddyProcess.loggedIn("ann", databaseURL: url, environment: environment)
    defer { ann.cleanUp() }
    let first = try ann.run([
      "record", "--exercise", "push-up", "--reps", "12", "--duration", "40s",
    ])
    #expect(first.status == 0, "\(first.stderr)")

    let before = try Self.lab(["status", "--format", "json", directory])
    #expect(before.stdout.contains(#""primary":"node1""#))
    let kill = try Self.lab(["kill-primary", "--wait", directory])
    #expect(kill.status == 0, "\(kill.stderr)")
    #expect(kill.stdout.hasPrefix("failover: "))
    let after = try Self.lab(["status", "--format", "json", directory])
    #expect(after.stdout.contains(#""primary":"node2""#))
    #expect(after.stdout.contains(#"{"name":"node1","port":"#))
    #expect(after.stdout.contains(#""running":false"#))
    let text = try Self.lab(["status", directory])
    #expect(text.stdout.contains("(kept down by kill-primary)"))

    // libpq skips the dead first host and finds the new primary (target_session_attrs).
    let second = try ann.run([
      "record", "--exercise", "squat", "--reps", "20", "--duration", "1m",
    ])
    #expect(second.status == 0, "\(second.stderr)")
    let history = try ann.run(["history", "--format", "csv"])
    #expect(history.stdout.contains(",push-up,12,40,"))
    #expect(history.stdout.contains(",squat,20,60,"))
    #expect(history.stdout.split(whereSeparator: \.isNewline).count == 3)

    let down = try Self.lab(["down", directory])
    #expect(down.status == 0, "\(down.stderr)")
    #expect(Self.processes(under: directory).isEmpty)
    #expect(try Self.lab(["down", directory]).status == 0)
  }
}
