import Foundation
import Postgres
import TestSupport
import Testing
import WorkoutStore

/// Reactivating and deleting accounts, and editing workouts, as the client role of a shared
/// server: what the database itself allows (Mallory attacks Vera through SQL and the store).
@Suite("Account lifecycle as the client role", .enabled(if: TestDatabase.isAvailable))
struct AccountLifecycleTests {
  // MARK: - Reactivation

  @Test func reactivationRevivesADeactivatedAccountWithItsWorkouts() throws {
    let world = try ClientRoleFixture()
    defer { world.close() }
    let vera = try world.member("vera")
    let connection = try world.client(vera.token)
    try insertWorkout(connection, for: vera.id)
    let accounts = AccountStore(connection: connection)
    try accounts.deactivate(username: "vera", password: vera.password)
    #expect(throws: AccountError.deactivated) {
      try accounts.login(identifier: "vera", password: vera.password, label: "test")
    }
    #expect(throws: AccountError.wrongCredentials) {
      try accounts.reactivate(identifier: "vera", password: "not her password", label: "test")
    }
    #expect(try isActive(world, vera.id) == false)

    let revived = try accounts.reactivate(
      identifier: "VERA@example.org", password: vera.password, label: "back")
    #expect(revived.wasDeactivated)
    #expect(revived.login.user.id == vera.id)
    #expect(revived.login.user.isActive)
    #expect(try accounts.currentUserID() == vera.id)
    #expect(try connection.query("SELECT id FROM workouts").count == 1)
    // Once active, reactivation is an ordinary login.
    let again = try accounts.reactivate(identifier: "vera", password: vera.password, label: "x")
    #expect(!again.wasDeactivated)
    #expect(
      try world.count(
        "SELECT count(*) FROM login_attempts WHERE user_id = $1 AND outcome = 'inactive'",
        [vera.id]) == 2)
  }

  /// Claims that are not a right password for Vera revive nothing of hers: Mallory's own, one
  /// of a wrong guess, a random one, the digest of Vera's (which an administrator can read).
  @Test func nobodyReactivatesVeraWithoutHerPassword() throws {
    let world = try ClientRoleFixture()
    defer { world.close() }
    let vera = try world.member("vera")
    let mallory = try world.member("mallory")
    try AccountStore(connection: try world.client(vera.token))
      .deactivate(username: "vera", password: vera.password)
    let attacker = try world.client(mallory.token)

    let own = try login(attacker, "mallory", mallory.password)
    #expect(try reactivate(attacker, own) == "active")
    let guess = try login(attacker, "vera", "guess-1")
    #expect(try reactivate(attacker, guess) == "wrong_credentials")
    #expect(try reactivate(attacker, SessionToken.random().hex) == "unknown_claim")
    // Vera's own right attempt: its digest is no claim, and the claim works once.
    let verasConnection = try world.client()
    let verasClaim = try login(verasConnection, "vera", vera.password)
    let digest = try world.admin.query(
      "SELECT encode(claim_sha256, 'hex') FROM login_attempts WHERE claim_sha256 IS NOT NULL "
        + "AND user_id = $1", [vera.id])[0].decode(0, as: String.self)
    #expect(try reactivate(attacker, digest) == "unknown_claim")
    #expect(try isActive(world, vera.id) == false)
    #expect(try reactivate(verasConnection, verasClaim) == "reactivated")
    #expect(try reactivate(attacker, verasClaim) == "unknown_claim")
  }

  @Test func throttlingAppliesToReactivation() throws {
    let world = try ClientRoleFixture()
    defer { world.close() }
    let vera = try world.member("vera")
    try AccountStore(connection: try world.client(vera.token))
      .deactivate(username: "vera", password: vera.password)
    let accounts = AccountStore(connection: try world.client())
    for guess in 1...5 {
      #expect(throws: AccountError.wrongCredentials) {
        try accounts.reactivate(identifier: "vera", password: "guess-\(guess)", label: "x")
      }
    }
    #expect {
      try accounts.reactivate(identifier: "vera", password: vera.password, label: "x")
    } throws: { error in
      if case AccountError.throttled = error { return true }
      return false
    }
    #expect(try isActive(world, vera.id) == false)
  }

  // MARK: - Deletion

  @Test func deletionRemovesEveryRowOfTheUserAndNothingElse() throws {
    let world = try ClientRoleFixture()
    defer { world.close() }
    let vera = try world.member("vera")
    let mallory = try world.member("mallory")
    let veras = try world.client(vera.token)
    try insertWorkout(veras, for: vera.id)
    try insertWorkout(veras, for: vera.id)
    try veras.query("INSERT INTO user_settings (user_id, weight_kg) VALUES ($1, 60)", [vera.id])
    // A second session of hers elsewhere, and a wrong guess recorded against her.
    _ = try AccountStore(connection: try world.client())
      .login(identifier: "vera", password: vera.password, label: "laptop")
    #expect(throws: AccountError.wrongCredentials) {
      try AccountStore(connection: try world.client())
        .login(identifier: "vera", password: "wrong one", label: "x")
    }
    let mallorys = try world.client(mallory.token)
    try insertWorkout(mallorys, for: mallory.id)
    let before = try rowsOf(world, mallory.id)
    let attempts = try world.count(
      "SELECT count(*) FROM login_attempts WHERE user_id = $1", [vera.id])

    let accounts = AccountStore(connection: veras)
    #expect(throws: AccountError.wrongCredentials) {
      try accounts.deleteAccount(username: "vera", password: "not her password")
    }
    #expect(try world.count("SELECT count(*) FROM workouts WHERE user_id = $1", [vera.id]) == 2)
    let deleted = try accounts.deleteAccount(username: "vera", password: vera.password)
    // The wrong password just now and the right one are attempts too.
    #expect(
      deleted
        == AccountDeletion(workouts: 2, settings: 1, sessions: 2, loginAttempts: attempts + 2))
    for table in [
      "users WHERE id", "workouts WHERE user_id", "user_settings WHERE user_id",
      "sessions WHERE user_id", "login_attempts WHERE user_id",
    ] {
      #expect(try world.count("SELECT count(*) FROM \(table) = $1", [vera.id]) == 0, "\(table)")
    }
    #expect(try rowsOf(world, mallory.id) == before)
    #expect(try accounts.currentUserID() == nil)
    #expect(throws: AccountError.wrongCredentials) {
      try accounts.login(identifier: "vera", password: vera.password, label: "x")
    }
  }

  /// Mallory cannot delete Vera: not with her own session and a claim of Vera's right password
  /// (stolen from Vera's connection), nor without a session, nor with a claim of her own
  /// password while acting for nobody.
  @Test func nobodyDeletesVerasAccountButVera() throws {
    let world = try ClientRoleFixture()
    defer { world.close() }
    let vera = try world.member("vera")
    let mallory = try world.member("mallory")
    try insertWorkout(try world.client(vera.token), for: vera.id)
    let attacker = try world.client(mallory.token)
    let stolen = try login(try world.client(), "vera", vera.password)
    #expect(try deleteAccount(attacker, stolen) == "wrong_password")
    let nobody = try world.client()
    let own = try login(nobody, "mallory", mallory.password)
    #expect(try deleteAccount(nobody, own) == "not_logged_in")
    let verasClaimForNobody = try login(nobody, "vera", vera.password)
    #expect(try deleteAccount(nobody, verasClaimForNobody) == "not_logged_in")
    #expect(try world.count("SELECT count(*) FROM users") == 2)
    #expect(try world.count("SELECT count(*) FROM workouts") == 1)
    // Throttled like a login: five wrong passwords, then even Vera's right one is refused.
    let veras = AccountStore(connection: try world.client(vera.token))
    for guess in 1...5 {
      #expect(throws: AccountError.wrongCredentials) {
        try veras.deleteAccount(username: "vera", password: "guess-\(guess)")
      }
    }
    #expect {
      try veras.deleteAccount(username: "vera", password: vera.password)
    } throws: { error in
      if case AccountError.throttled = error { return true }
      return false
    }
    #expect(try world.count("SELECT count(*) FROM users WHERE id = $1", [vera.id]) == 1)
  }

  // MARK: - Edits

  /// An edit is an UPDATE under row-level security: Mallory's repository, given Vera's id,
  /// finds nothing, and no UPDATE moves a row to another user.
  @Test func nobodyEditsVerasWorkouts() throws {
    let world = try ClientRoleFixture()
    defer { world.close() }
    let vera = try world.member("vera")
    let mallory = try world.member("mallory")
    let workout = try insertWorkout(try world.client(vera.token), for: vera.id)
    let attacker = try world.client(mallory.token)
    let forged = WorkoutRepository(connection: attacker, userID: vera.id)
    #expect(throws: WorkoutError.notFound(workout.uuidString.lowercased())) {
      try forged.edit(workout, WorkoutEdit(reps: 999), bodyMassKg: 70)
    }
    let own = try insertWorkout(attacker, for: mallory.id)
    #expect(throws: PostgresError.self) {
      try attacker.query("UPDATE workouts SET user_id = $1 WHERE id = $2", [vera.id, own])
    }
    #expect(
      try world.count("SELECT reps_count FROM workouts WHERE id = $1", [workout]) == 10)
    #expect(
      try world.count("SELECT count(*) FROM workouts WHERE user_id = $1", [vera.id]) == 1)
  }

  @Test func theClientRoleMayRunTheNewFunctionsAndPublicMayNot() throws {
    let world = try ClientRoleFixture()
    defer { world.close() }
    for function in ["buddy_api.reactivate(text)", "buddy_api.delete_account(text)"] {
      let row = try world.admin.query(
        """
        SELECT has_function_privilege($1, $2, 'EXECUTE'),
          has_function_privilege('public', $2, 'EXECUTE'),
          (SELECT prosecdef AND proowner = 'buddy_owner'::regrole FROM pg_proc
           WHERE oid = $2::regprocedure)
        """, [ClientRoleFixture.clientRole, function])[0]
      #expect(try row.decode(0, as: Bool.self), "\(function)")
      #expect(try !row.decode(1, as: Bool.self), "\(function)")
      #expect(try row.decode(2, as: Bool.self), "\(function)")
    }
  }

  // MARK: - Helpers

  @discardableResult
  private func insertWorkout(_ connection: PostgresConnection, for user: UUID) throws -> UUID {
    try connection.query(
      """
      INSERT INTO workouts (user_id, exercise_type, reps_count, duration_seconds)
      VALUES ($1, 'push-up', 10, 60) RETURNING id
      """, [user])[0].decode(0, as: UUID.self)
  }

  private func isActive(_ world: ClientRoleFixture, _ user: UUID) throws -> Bool {
    try world.admin.query("SELECT is_active FROM users WHERE id = $1", [user])[0].decode(0)
  }

  private func rowsOf(_ world: ClientRoleFixture, _ user: UUID) throws -> [String] {
    try world.admin.query(
      """
      SELECT u::text FROM users u WHERE u.id = $1
      UNION ALL SELECT w::text FROM workouts w WHERE w.user_id = $1
      UNION ALL SELECT s.id::text FROM sessions s WHERE s.user_id = $1
      UNION ALL SELECT a.id::text FROM login_attempts a WHERE a.user_id = $1
      ORDER BY 1
      """, [user]
    ).all.map { try $0.decode(0, as: String.self) }
  }

  /// Step 1 of a login through SQL; the claim (the outcome must be `checked`).
  private func login(_ connection: PostgresConnection, _ identifier: String, _ password: String)
    throws -> String
  {
    let row = try connection.query(
      "SELECT outcome, claim FROM buddy_api.login($1, $2, 'attack')", [identifier, password])[0]
    #expect(try row.decode(0, as: String.self) == "checked")
    return try row.decode(1, as: String.self)
  }

  private func reactivate(_ connection: PostgresConnection, _ claim: String) throws -> String {
    try connection.query("SELECT outcome FROM buddy_api.reactivate($1)", [claim])[0].decode(0)
  }

  private func deleteAccount(_ connection: PostgresConnection, _ claim: String) throws -> String {
    try connection.query("SELECT outcome FROM buddy_api.delete_account($1)", [claim])[0].decode(0)
  }
}
