import Foundation

/// Runs the built `buddy` binary the way a user would, with a private HOME and XDG directories.
public struct BuddyProcess: Sendable {
  /// What one run printed and how it ended.
  public struct Result: Sendable {
    /// The exit status, or 128 + the number of the signal that ended the run.
    public var status: Int32
    public var stdout: String
    public var stderr: String
  }

  /// The temporary home directory of this process's user (removed by `cleanUp()`).
  public let home: String
  /// Extra environment variables for every run.
  public var environment: [String: String]

  /// The binary under test: `$BUDDY_BIN`, else `buddy` beside the test bundle, else `.build/debug`.
  public static var binary: String {
    if let path = ProcessInfo.processInfo.environment["BUDDY_BIN"], !path.isEmpty { return path }
    let beside = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("buddy")
      .path
    if FileManager.default.isExecutableFile(atPath: beside) { return beside }
    let productDirectory = Bundle.main.bundleURL.path
    let candidate = productDirectory + "/buddy"
    if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    return packageRoot.appendingPathComponent(".build/debug/buddy").path
  }

  /// Makes a fresh temporary home (mode 0755 so a server user can traverse it).
  public init(environment: [String: String] = [:]) throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent(
      "buddy-e2e-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
    chmod(base.path, 0o755)
    home = base.path
    self.environment = environment
  }

  /// The process environment for a run: PATH and locale kept, HOME and XDG dirs private.
  public var fullEnvironment: [String: String] {
    let inherited = ProcessInfo.processInfo.environment
    var result: [String: String] = [:]
    for key in ["PATH", "LANG", "LC_ALL", "TZ", "BUDDY_PG_BINDIR"] {
      if let value = inherited[key] { result[key] = value }
    }
    result["HOME"] = home
    result["XDG_CONFIG_HOME"] = home + "/.config"
    result["XDG_DATA_HOME"] = home + "/.local/share"
    result["XDG_CACHE_HOME"] = home + "/.cache"
    result["NO_COLOR"] = "1"
    // The pose models stay where the test script fetched them, whatever the private HOME.
    let dataHome = inherited["XDG_DATA_HOME"] ?? ((inherited["HOME"] ?? "/root") + "/.local/share")
    result["BUDDY_MODEL_DIR"] = inherited["BUDDY_MODEL_DIR"] ?? dataHome + "/exercise-buddy/models"
    for (key, value) in environment { result[key] = value }
    return result
  }

  /// Runs `buddy` with `arguments`, feeding `stdin`, and waits (killing it after `timeout` s);
  /// in `currentDirectory` when given, else in the test's own working directory.
  @discardableResult
  public func run(
    _ arguments: [String], stdin: String? = nil, timeout: TimeInterval = 120,
    executable: String = BuddyProcess.binary, currentDirectory: String? = nil
  ) throws -> Result {
    try Self.execute(
      executable, arguments, environment: fullEnvironment, stdin: stdin.map { Data($0.utf8) },
      timeout: timeout, currentDirectory: currentDirectory)
  }

  /// Runs any program and collects its output (through ``ChildRun``, not Foundation's
  /// `Process`). Standard input is a regular file holding `stdin` (empty when nil); a daemon
  /// the program leaves behind holding its output cannot block the run. `currentDirectory`:
  /// where it starts, when given.
  public static func execute(
    _ executable: String, _ arguments: [String], environment: [String: String],
    stdin: Data? = nil, timeout: TimeInterval = 120, currentDirectory: String? = nil
  ) throws -> Result {
    let child = ChildRun(
      executable, arguments, environment: .exactly(environment),
      currentDirectory: currentDirectory, stdin: .data(stdin ?? Data()))
    let result: ChildRun.Result
    do {
      result = try child.run(timeout: timeout)
    } catch is ChildRunTimeout {
      throw BuddyProcessTimeout(command: child.commandLine)
    }
    return Result(status: result.status, stdout: result.stdoutText, stderr: result.stderrText)
  }

  /// Removes the temporary home.
  public func cleanUp() {
    try? FileManager.default.removeItem(atPath: home)
  }
}

/// A run of the binary did not finish in time.
public struct BuddyProcessTimeout: Error, CustomStringConvertible {
  public var command: String
  public var description: String { "timed out: \(command)" }
}

extension BuddyProcess {
  /// A user at their own terminal: registers `name` (password `<name>-password`, through
  /// standard input) on a migrated database and logs in.
  public static func loggedIn(
    _ name: String, databaseURL: String, environment: [String: String] = [:]
  ) throws -> BuddyProcess {
    let buddy = try BuddyProcess(
      environment: environment.merging(["BUDDY_DATABASE_URL": databaseURL]) { first, _ in first })
    let password = "\(name)-password\n"
    let register = try buddy.run(
      ["register", "--email", "\(name)@example.com", "--username", name, "--password-stdin"],
      stdin: password)
    let login = try buddy.run(["login", "--password-stdin", name], stdin: password)
    guard register.status == 0, login.status == 0 else {
      throw SetupFailure(message: "cannot sign in \(name): \(register.stderr)\(login.stderr)")
    }
    return buddy
  }

  /// Runs `buddy server init` with the administrator's `databaseURL` and returns the URL of the
  /// client role it prints (what users of a shared server connect with).
  public static func serverInit(_ databaseURL: String, clientRole: String = "buddy_client") throws
    -> String
  {
    let buddy = try BuddyProcess(environment: ["BUDDY_DATABASE_URL": databaseURL])
    defer { buddy.cleanUp() }
    let result = try buddy.run(["server", "init", "--client-role", clientRole])
    let prefix = "hand this URL to your users: "
    guard result.status == 0,
      let line = result.stdout.split(separator: "\n").first(where: { $0.hasPrefix(prefix) })
    else { throw SetupFailure(message: "server init: \(result.stderr)") }
    return String(line.dropFirst(prefix.count))
  }

  /// Runs `buddy db migrate` against `databaseURL`.
  public static func migrate(_ databaseURL: String) throws {
    let buddy = try BuddyProcess(environment: ["BUDDY_DATABASE_URL": databaseURL])
    defer { buddy.cleanUp() }
    let result = try buddy.run(["db", "migrate"])
    guard result.status == 0 else { throw SetupFailure(message: "migrate: \(result.stderr)") }
  }
}

/// Test setup through the binary failed.
public struct SetupFailure: Error, CustomStringConvertible {
  public var message: String
  public var description: String { message }
}
