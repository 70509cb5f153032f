import Foundation
import Postgres
import TestSupport
import Testing

@testable import WorkoutStore

/// The account functions and row-level security of schema v2, as the client role.
@Suite("Account API and row-level security", .enabled(if: TestDatabase.isAvailable))
struct AccountAPITests {
  /// Today's bug, fixed: 30 wrong passwords at once were all checked. Now the attempts of one
  /// account are serialised in the database, so exactly 5 are checked and 25 throttled.
  @Test func thirtyParallelWrongLoginsCheckOnlyFive() async throws {
    let world = try ClientRoleFixture()
    defer { world.close() }
    let ann = try world.member("ann")
    let outcomes = try await parallelLogins(world, "ann", passwords: (0..<30).map { "wrong-\($0)" })
    #expect(outcomes.filter { $0 == "wrong" }.count == 5)
    #expect(outcomes.filter { $0 == "throttled" }.count == 25)
    #expect(
      try world.count(
        "SELECT count(*) FROM login_attempts WHERE user_id = $1 AND outcome = 'wrong_password'",
        [ann.id]) == 5)
    #expect(
      try world.count(
        "SELECT count(*) FROM login_attempts WHERE user_id = $1 AND outcome = 'throttled'",
        [ann.id]) == 25)
  }

  /// 30 guesses at once that include the right one: the right one logs in only if it is among
  /// the first five passwords the database checks; without it, 5 are checked. (A success resets
  /// the count, as for any login, so after it up to 5 more may be checked: the guesser already
  /// holds the password then.)
  @Test func parallelGuessesIncludingTheRightOneCheckAtMostFiveBeforeIt() async throws {
    let world = try ClientRoleFixture()
    defer { world.close() }
    let ann = try world.member("ann")
    var guesses = (0..<29).map { "guess-\($0)" }
    guesses.insert(ann.password, at: 17)
    let outcomes = try await parallelLogins(world, "ann", passwords: guesses)
    let recorded = try world.admin.query(
      """
      SELECT outcome::text FROM login_attempts WHERE user_id = $1 AND claim_label = 'parallel'
        OR user_id = $1 AND outcome = 'throttled'
      ORDER BY attempted_at
      """, [ann.id]
    ).all.map { try $0.decode(0, as: String.self) }
    #expect(recorded.count == 30, "every attempt is recorded")
    let checked = recorded.filter { $0 != "throttled" }
    #expect(checked.count == outcomes.filter { $0 == "wrong" || $0 == "success" }.count)
    if let success = checked.firstIndex(of: "success") {
      #expect(success <= 4, "the right guess was checked after 5 wrong ones: \(checked)")
      #expect(checked.count - success - 1 <= 5)
    } else {
      #expect(checked.count == 5, "\(checked)")
    }
  }

  /// Failures spread over more than the 15-minute window do not lock; a lock expires 15 minutes
  /// after the last failure; a success resets the count.
  @Test func theThrottleWindowAndItsExpiry() throws {
    let world = try ClientRoleFixture()
    defer { world.close() }
    let ann = try world.member("ann")
    let accounts = AccountStore(connection: try world.client())
    for index in 0..<5 {
      #expect(throws: AccountError.wrongCredentials) {
        try accounts.login(identifier: "ann", password: "wrong-\(index)", label: "t")
      }
      // Spread them: each earlier failure moves 4 minutes further back.
      try world.admin.query(
        "UPDATE login_attempts SET attempted_at = attempted_at - interval '4 minutes' "
          + "WHERE user_id = $1", [ann.id])
    }
    // Five failures over 16+ minutes: not locked.
    #expect(
      try accounts.login(identifier: "ann", password: ann.password, label: "t").user.id == ann.id)
    for index in 0..<5 {
      #expect(throws: AccountError.wrongCredentials) {
        try accounts.login(identifier: "ANN@example.org", password: "again-\(index)", label: "t")
      }
    }
    do {
      _ = try accounts.login(identifier: "ann", password: ann.password, label: "t")
      Issue.record("the sixth attempt must be throttled")
    } catch AccountError.throttled(let until) {
      #expect(until.timeIntervalSinceNow > 14 * 60 && until.timeIntervalSinceNow <= 15 * 60 + 5)
    }
    try world.admin.query(
      "UPDATE login_attempts SET attempted_at = attempted_at - interval '16 minutes' "
        + "WHERE user_id = $1", [ann.id])
    #expect(
      try accounts.login(identifier: "ann", password: ann.password, label: "t").user.id == ann.id)
  }

  /// A v1 database with data migrates in place: old `$2b$` hashes log in, old sessions stay
  /// valid, workouts and settings stay their owner's and only theirs.
  @Test func aVersionOneDatabaseWithDataMigratesInPlace() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let admin = try database.connect()
    try SchemaMigrator(connection: admin, migrations: [Migration.all[0]]).migrate()
    let hash = try PasswordHasher.hash("old-password-1")
    #expect(hash.hasPrefix("$2b$12$"))
    let token = SessionToken.random()
    let ann = try admin.query(
      "INSERT INTO users (email, username, hashed_password) VALUES ('a@example.org', 'ann', $1) "
        + "RETURNING id", [hash])[0].decode(0, as: UUID.self)
    let bob = try admin.query(
      "INSERT INTO users (email, username, hashed_password) VALUES ('b@example.org', 'bob', $1) "
        + "RETURNING id", [hash])[0].decode(0, as: UUID.self)
    // v1 let two names differ only in letter case; both keep logging in by their spelling.
    let bigAnn = try admin.query(
      "INSERT INTO users (email, username, hashed_password) VALUES ('A2@example.org', 'Ann', $1) "
        + "RETURNING id", [hash])[0].decode(0, as: UUID.self)
    try admin.query(
      "INSERT INTO sessions (user_id, token_sha256, expires_at) "
        + "VALUES ($1, $2, now() + interval '1 day')", [ann, token.digest])
    try admin.query(
      """
      INSERT INTO workouts (user_id, exercise_type, reps_count, duration_seconds)
      VALUES ($1, 'push-up', 10, 60), ($1, 'jump-rope', 100, 60), ($2, 'push-up', 99, 60)
      """, [ann, bob])
    try admin.query(
      "INSERT INTO user_settings (user_id, weight_kg) VALUES ($1, 70), ($2, 90)",
      [
        ann, bob,
      ])
    try admin.query(
      "INSERT INTO login_attempts (user_id, identifier, outcome) VALUES ($1, 'ann', 'success')",
      [ann])

    let applied = try SchemaMigrator(connection: admin).migrate()
    #expect(applied.map(\.version) == Migration.all.dropFirst().map(\.version))
    let setup = ServerSetup(connection: admin)
    _ = try setup.ensureClientRole(name: ClientRoleFixture.clientRole, password: nil)
    let clientURL = setup.clientURL(role: ClientRoleFixture.clientRole)

    let client = try PostgresConnection(clientURL, logger: TestDatabase.quietLogger)
    let accounts = AccountStore(connection: client)
    #expect(try accounts.authenticate(token).user.id == ann, "the v1 session stays valid")
    let reps = try client.query("SELECT sum(reps_count) FROM workouts").first?
      .decode(0, as: Int.self)
    #expect(reps == 110, "only ann's workouts are visible")
    #expect(
      try client.query("SELECT weight_kg FROM user_settings")[0].decode(0, as: Double.self) == 70)
    let fresh = try PostgresConnection(clientURL, logger: TestDatabase.quietLogger)
    let login = try AccountStore(connection: fresh).login(
      identifier: "bob", password: "old-password-1", label: "t")
    #expect(login.user.id == bob, "a libxcrypt $2b$ hash verifies in the database")
    #expect(
      try fresh.query("SELECT reps_count FROM workouts")[0].decode(0, as: Int.self) == 99)
    let spellings = try [("Ann", bigAnn), ("ann", ann), ("ANN", ann)].map { name, id in
      (
        try AccountStore(
          connection: try PostgresConnection(clientURL, logger: TestDatabase.quietLogger)
        )
        .login(identifier: name, password: "old-password-1", label: "t").user.id, id
      )
    }
    for (got, want) in spellings { #expect(got == want) }
    #expect(throws: AccountError.usernameTaken) {
      try AccountStore(connection: fresh).register(
        email: "new@example.org", username: "aNN", password: "new-password-1")
    }
    #expect(
      try admin.query("SELECT count(*) FROM login_attempts")[0].decode(0, as: Int.self) == 5)
  }

  /// History and every stats figure still use the user indexes with row-level security in
  /// force, and the policy is evaluated once per statement (an InitPlan).
  @Test func historyAndStatsUseTheUserIndexesUnderRowLevelSecurity() throws {
    let world = try ClientRoleFixture()
    defer { world.close() }
    let ann = try world.member("ann")
    try world.admin.query(
      """
      INSERT INTO users (email, username, hashed_password)
      SELECT 'u' || g || '@example.org', 'user' || g, 'x' FROM generate_series(1, 400) g
      """)
    try world.admin.query(
      """
      INSERT INTO workouts (user_id, exercise_type, reps_count, duration_seconds, created_at)
      SELECT u.id, 'push-up', 10, 60, now() - g * interval '3 hours'
      FROM users u, generate_series(1, 100) g
      """)
    try world.admin.query("ANALYZE workouts")
    let client = try world.client(ann.token)
    #expect(try client.query("SELECT count(*) FROM workouts")[0].decode(0, as: Int.self) == 100)
    let history = try client.query(
      """
      EXPLAIN SELECT \(Workout.columns) FROM workouts WHERE user_id = $1
      ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET 0
      """, [ann.id]
    ).all.map { try $0.decode(0, as: String.self) }.joined(separator: "\n")
    // On the partitioned table: the user index of each partition with rows; only partitions
    // of a few rows may be read whole.
    #expect(PartitionedPlan(text: history).usesUserIndex, "\(history)")
    #expect(history.contains("InitPlan"), "\(history)")
    #expect(
      try PartitionedPlan(text: history).largeSequentialScans(world.admin).isEmpty, "\(history)")
    let stats = StatsQueries(
      connection: client, userID: ann.id, timeZone: "UTC", weekStart: .monday)
    for figure in StatsQueries.Figure.allCases {
      let plan = PartitionedPlan(text: try stats.explain(figure))
      #expect(plan.usesUserIndex, "\(figure): \(plan.text)")
      #expect(try plan.largeSequentialScans(world.admin).isEmpty, "\(figure): \(plan.text)")
    }
    #expect(try stats.totals().workouts == 100)
  }

  @Test func theClientRoleHasExactlyTheDocumentedRights() throws {
    let world = try ClientRoleFixture()
    defer { world.close() }
    let role = ClientRoleFixture.clientRole
    let row = try world.admin.query(
      """
      SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolbypassrls, rolreplication,
        has_database_privilege($1, current_database(), 'CREATE'),
        has_schema_privilege($1, 'public', 'CREATE'),
        has_schema_privilege($1, 'buddy_api', 'CREATE'),
        has_schema_privilege($1, 'buddy_crypto', 'USAGE'),
        has_table_privilege($1, 'users', 'SELECT'),
        has_table_privilege($1, 'sessions', 'SELECT'),
        has_table_privilege($1, 'login_attempts', 'SELECT'),
        has_table_privilege($1, 'workouts', 'SELECT, INSERT, UPDATE, DELETE'),
        has_table_privilege($1, 'workouts', 'TRUNCATE'),
        has_function_privilege($1, 'buddy_api.password_matches(text, text)', 'EXECUTE'),
        has_function_privilege($1, 'buddy_api.login(text, text, text)', 'EXECUTE'),
        (SELECT relowner = 'buddy_owner'::regrole FROM pg_class WHERE oid = 'workouts'::regclass),
        (SELECT relrowsecurity FROM pg_class WHERE oid = 'workouts'::regclass),
        (SELECT relrowsecurity FROM pg_class WHERE oid = 'user_settings'::regclass),
        (SELECT bool_and(p.proowner = 'buddy_owner'::regrole AND EXISTS (
            SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search\\_path=%, pg\\_temp'))
         FROM pg_proc p WHERE p.pronamespace = 'buddy_api'::regnamespace AND p.prosecdef)
      FROM pg_roles WHERE rolname = $1
      """, [role])[0]
    let expected = [
      true, false, false, false, false, false, false, false, false, false, false, false, false,
      true, false, false, true, true, true, true, true,
    ]
    for (index, value) in expected.enumerated() {
      #expect(try row.decode(index, as: Bool.self) == value, "column \(index + 1)")
    }
    // The owner role made elsewhere with LOGIN loses it at the next migration.
    try world.admin.query("ALTER ROLE buddy_owner LOGIN")
    try SchemaMigrator(connection: world.admin).migrate()
    #expect(
      try world.admin.query("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'buddy_owner'")[0]
        .decode(0, as: Bool.self) == false)
    let again = try ServerSetup(connection: world.admin).ensureClientRole(
      name: role, password: nil)
    #expect(again.change == .unchanged)
    #expect(again.parameterLoggingOff)
  }

  /// Logs in `identifier` once per password, all at the same moment, each on its own thread and
  /// client connection; returns "success", "wrong" or "throttled" per attempt.
  private func parallelLogins(
    _ world: ClientRoleFixture, _ identifier: String, passwords: [String]
  ) async throws -> [String] {
    let connections = try passwords.map { _ in ConnectionBox(try world.client()) }
    let outcomes = Outcomes(count: passwords.count)
    let start = DispatchSemaphore(value: 0)
    let done = DispatchGroup()
    for (index, password) in passwords.enumerated() {
      let box = connections[index]
      done.enter()
      let thread = Thread {
        start.wait()
        let outcome: String
        do {
          _ = try AccountStore(connection: box.connection).login(
            identifier: identifier, password: password, label: "parallel")
          outcome = "success"
        } catch AccountError.wrongCredentials {
          outcome = "wrong"
        } catch AccountError.throttled {
          outcome = "throttled"
        } catch {
          outcome = "error: \(error)"
        }
        outcomes.set(index, outcome)
        done.leave()
      }
      thread.start()
    }
    for _ in passwords { start.signal() }
    done.wait()
    return outcomes.values
  }
}

/// Per-attempt outcomes written from several threads.
private final class Outcomes: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: [String]
  init(count: Int) { stored = Array(repeating: "", count: count) }
  var values: [String] { lock.withLock { stored } }
  func set(_ index: Int, _ value: String) { lock.withLock { stored[index] = value } }
}

/// Hands one connection to one task (a connection is used by one task at a time).
private final class ConnectionBox: @unchecked Sendable {
  let connection: PostgresConnection
  init(_ connection: PostgresConnection) { self.connection = connection }
}
