import Foundation

/// The project-owned PostgreSQL cluster: initdb + pg_ctl on a Unix socket in its own directory.
///
/// Layout under `directory`: `data/` (PGDATA), `run/` (the socket), `postgres.log`.
/// When buddy runs as root the server runs as the `postgres` OS user, since initdb refuses root.
struct PrivateCluster {
  /// The state of the cluster.
  enum State: Equatable {
    case notInitialized
    case stopped
    case running(pid: Int32)
  }

  /// What `start()` did.
  enum StartOutcome: Equatable {
    case alreadyRunning
    case started
    case initializedAndStarted
  }

  static let databaseName = "buddy"
  static let superuser = "buddy"
  /// The login role users' commands connect as (a member of buddy_clients, owning nothing).
  static let clientRole = "buddy_client"
  static let serverUser = "postgres"

  let directory: String

  init(directory: String = Paths.clusterDirectory) {
    self.directory = directory
  }

  var dataDirectory: String { directory + "/data" }
  var socketDirectory: String { directory + "/run" }
  var logFile: String { directory + "/postgres.log" }
  private var pidFile: String { dataDirectory + "/postmaster.pid" }
  private var runsAsServerUser: Bool { geteuid() == 0 }

  /// The libpq URL of the cluster's `buddy` database for users' commands (the client role).
  var url: String { url(database: Self.databaseName, user: Self.clientRole) }

  /// The URL of the `buddy` database as the cluster's superuser (migrations, setup).
  var administratorURL: String { url(database: Self.databaseName) }

  func url(database: String, user: String = Self.superuser) -> String {
    "postgresql:///\(database)?host=\(Self.percentEncoded(socketDirectory))&user=\(user)"
  }

  /// Whether `url` points at this cluster's socket directory.
  func isTarget(of url: String) -> Bool {
    url.contains("host=\(Self.percentEncoded(socketDirectory))&")
      || url.hasSuffix(
        "host=\(Self.percentEncoded(socketDirectory))")
  }

  /// Where the cluster is: not initialised, stopped, or running with the postmaster's pid.
  func state() -> State {
    guard FileManager.default.fileExists(atPath: dataDirectory + "/PG_VERSION") else {
      return .notInitialized
    }
    guard let pid = postmasterPID(), kill(pid, 0) == 0 || errno == EPERM, isPostgres(pid) else {
      return .stopped
    }
    return .running(pid: pid)
  }

  /// Initialises the cluster if needed and starts it; a running cluster is left alone.
  func start() throws -> StartOutcome {
    var outcome = StartOutcome.started
    switch state() {
    case .running:
      return .alreadyRunning
    case .notInitialized:
      try initialize()
      outcome = .initializedAndStarted
    case .stopped:
      break
    }
    try removeStalePIDFile()
    let programs = try ServerPrograms.locate()
    var lastOutput = ""
    // After a crash, children of the old postmaster may hold its shared memory for a moment.
    for attempt in 0..<5 {
      let result = try runServerProgram(
        programs.pgCtl, ["start", "-w", "-t", "60", "-D", dataDirectory, "-l", logFile, "-s"])
      if result.status == 0 { return outcome }
      lastOutput = result.output
      if case .running = state() { return outcome }
      try removeStalePIDFile()
      usleep(UInt32(500_000 * (attempt + 1)))
    }
    throw ClusterError(
      "the private cluster did not start: \(Self.lastLine(of: lastOutput)) (log: \(logFile))")
  }

  /// Stops the cluster (fast shutdown); returns false when it was not running.
  @discardableResult
  func stop() throws -> Bool {
    guard case .running = state() else { return false }
    let programs = try ServerPrograms.locate()
    let result = try runServerProgram(
      programs.pgCtl, ["stop", "-w", "-t", "60", "-m", "fast", "-D", dataDirectory, "-s"])
    if result.status != 0, case .running = state() {
      throw ClusterError("the private cluster did not stop: \(Self.lastLine(of: result.output))")
    }
    return true
  }

  // MARK: - Creating the cluster

  private func initialize() throws {
    let programs = try ServerPrograms.locate()
    try makeOwnedDirectory(directory)
    guard socketDirectory.utf8.count + 20 < 104 else {
      throw ClusterError(
        "the cluster directory \(directory) is too long for a Unix socket path; set "
          + "BUDDY_CLUSTER_DIR to a shorter one")
    }
    if FileManager.default.fileExists(atPath: dataDirectory) {
      // A half-made data directory from an interrupted initdb: start again.
      try? FileManager.default.removeItem(atPath: dataDirectory)
    }
    let result = try runServerProgram(
      programs.initdb,
      [
        "-D", dataDirectory, "--username=\(Self.superuser)", "--auth=trust", "--encoding=UTF8",
        "--locale=C.UTF-8",
      ])
    guard result.status == 0 else {
      try? FileManager.default.removeItem(atPath: dataDirectory)
      throw ClusterError("initdb failed: \(Self.lastLine(of: result.output))")
    }
    try makeOwnedDirectory(socketDirectory)
    let settings = """

      # Exercise Buddy private cluster: Unix socket only, in a directory only its owner can enter.
      listen_addresses = ''
      unix_socket_directories = '\(socketDirectory)'
      unix_socket_permissions = 0700
      port = 5432
      """
    try appendSettings(settings + "\n", to: dataDirectory + "/postgresql.conf")
  }

  private func makeOwnedDirectory(_ path: String) throws {
    try FileSystem.makeDirectory(path, mode: 0o700)
    guard runsAsServerUser else { return }
    guard let entry = getpwnam(Self.serverUser) else {
      throw ClusterError(
        "running as root needs the `\(Self.serverUser)` OS user to run the server; install the "
          + "postgresql package")
    }
    if chown(path, entry.pointee.pw_uid, entry.pointee.pw_gid) != 0 {
      throw ClusterError(
        "cannot hand \(path) to \(Self.serverUser): \(String(cString: strerror(errno)))")
    }
    // The server user must be able to reach the directory through its parents.
    var parent = (path as NSString).deletingLastPathComponent
    while parent != "/" && !parent.isEmpty {
      var info = stat()
      if stat(parent, &info) == 0 {
        let searchable =
          info.st_uid == entry.pointee.pw_uid
          ? info.st_mode & 0o100 != 0 : info.st_mode & 0o001 != 0
        if !searchable {
          throw ClusterError(
            "\(parent) is not searchable by the \(Self.serverUser) user; choose another "
              + "BUDDY_CLUSTER_DIR or `chmod o+x \(parent)`")
        }
      }
      parent = (parent as NSString).deletingLastPathComponent
    }
  }

  private func appendSettings(_ text: String, to path: String) throws {
    guard let handle = FileHandle(forWritingAtPath: path) else {
      throw ClusterError("cannot open \(path) to configure the cluster")
    }
    defer { try? handle.close() }
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(text.utf8))
  }

  private func runServerProgram(_ program: String, _ arguments: [String]) throws
    -> ProcessRunner.Outcome
  {
    try ProcessRunner.run(program, arguments, asUser: runsAsServerUser ? Self.serverUser : nil)
  }

  // MARK: - Stale pid files

  private func postmasterPID() -> Int32? {
    guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
      let first = text.split(separator: "\n").first
    else { return nil }
    return Int32(first.trimmingCharacters(in: .whitespaces))
  }

  private func isPostgres(_ pid: Int32) -> Bool {
    guard let command = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8) else {
      return true  // No /proc: trust kill(pid, 0).
    }
    return command.hasPrefix("postgres") || command.hasPrefix("postmaster")
  }

  /// Removes `postmaster.pid` when the process it names is gone or is not a PostgreSQL server
  /// (a crash left it behind, or the pid was reused); the server refuses to start otherwise.
  private func removeStalePIDFile() throws {
    guard let pid = postmasterPID() else { return }
    let alive = kill(pid, 0) == 0 || errno == EPERM
    if !alive || !isPostgres(pid) {
      try? FileManager.default.removeItem(atPath: pidFile)
    }
  }

  // MARK: - Helpers

  private static func lastLine(of output: String) -> String {
    output.split(whereSeparator: \.isNewline).last.map(String.init) ?? "no output"
  }

  private static func percentEncoded(_ path: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "/-._~")
    return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
  }
}
