import Foundation
import Postgres
import TestSupport
import Testing
import WorkoutStore

/// Every CHECK, unique, foreign-key and cascade rule of schema version 1, exercised with SQL.
@Suite("Schema rules", .enabled(if: TestDatabase.isAvailable))
struct SchemaRuleTests {
  /// A migrated database with one user; dropped by `close()`.
  private struct Fixture {
    let database: TestDatabase
    let connection: PostgresConnection
    let userID: UUID

    init() throws {
      database = try TestDatabase.create()
      connection = try database.connect()
      try SchemaMigrator(connection: connection).migrate()
      userID = try Self.addUser(connection, email: "ann@example.com", username: "ann")
    }

    static func addUser(_ connection: PostgresConnection, email: String, username: String) throws
      -> UUID
    {
      try connection.query(
        "INSERT INTO users (email, username, hashed_password) VALUES ($1, $2, '$2b$12$x') "
          + "RETURNING id", [email, username])[0].decode(0, as: UUID.self)
    }

    @discardableResult
    func addWorkout(
      user: UUID? = nil, exercise: String = "push-up", reps: Int = 10, duration: Int = 60,
      calories: Double? = 5, digest: [UInt8]? = nil, details: PostgresJSON? = nil
    ) throws -> UUID {
      try connection.query(
        "INSERT INTO workouts (user_id, exercise_type, reps_count, duration_seconds, "
          + "calories_burned, source_digest, details) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        [user ?? userID, exercise, reps, duration, calories, digest, details])[0].decode(
          0, as: UUID.self)
    }

    func count(_ table: String) throws -> Int {
      try connection.query("SELECT count(*) FROM \(table)")[0].decode(0, as: Int.self)
    }

    func close() { database.drop() }
  }

  private func expectViolation(
    _ kind: PostgresError.Kind, _ body: () throws -> Void,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    do {
      try body()
      Issue.record("expected \(kind), but the statement succeeded", sourceLocation: sourceLocation)
    } catch let error as PostgresError {
      #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
    } catch {
      Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
  }

  @Test func usersHaveCaseInsensitiveUniqueEmailsAndUniqueUsernames() throws {
    let fixture = try Fixture()
    defer { fixture.close() }
    let connection = fixture.connection
    expectViolation(.uniqueViolation) {
      _ = try Fixture.addUser(connection, email: "ANN@Example.COM", username: "ann2")
    }
    expectViolation(.uniqueViolation) {
      _ = try Fixture.addUser(connection, email: "other@example.com", username: "ann")
    }
    // Since schema v2 usernames are unique without regard to letter case, like emails.
    expectViolation(.uniqueViolation) {
      _ = try Fixture.addUser(connection, email: "bob@example.com", username: "Ann")
    }
    let stored = try connection.query("SELECT email FROM users WHERE username = 'ann'")[0]
    #expect(try stored.decode(0, as: String.self) == "ann@example.com")
    #expect(try fixture.count("users") == 1)
  }

  @Test func usersCheckUsernameAndEmailShapeAndNotNulls() throws {
    let fixture = try Fixture()
    defer { fixture.close() }
    let connection = fixture.connection
    for username in ["ab", "has space", "semi;colon", String(repeating: "x", count: 51)] {
      expectViolation(username.count > 50 ? .other : .checkViolation) {
        _ = try Fixture.addUser(connection, email: "\(UUID())@example.com", username: username)
      }
    }
    expectViolation(.checkViolation) {
      _ = try Fixture.addUser(connection, email: "no-at-sign", username: "carol")
    }
    expectViolation(.notNullViolation) {
      try connection.query(
        "INSERT INTO users (email, username) VALUES ('d@example.com', 'dave')")
    }
    let row = try connection.query(
      "SELECT is_active, created_at <= now(), updated_at = created_at FROM users")[0]
    #expect(try row.decode(0, as: Bool.self))
    #expect(try row.decode(1, as: Bool.self))
    #expect(try row.decode(2, as: Bool.self))
  }

  @Test func updatedAtIsMaintainedOnUpdate() throws {
    let fixture = try Fixture()
    defer { fixture.close() }
    let connection = fixture.connection
    try connection.query(
      "UPDATE users SET created_at = created_at - interval '1 day', "
        + "updated_at = updated_at - interval '1 day'")
    try connection.query("UPDATE users SET is_active = false WHERE id = $1", [fixture.userID])
    let row = try connection.query(
      "SELECT updated_at > created_at + interval '23 hours' FROM users")[0]
    #expect(try row.decode(0, as: Bool.self))
  }

  @Test func workoutsCheckExerciseRepsDurationAndCalories() throws {
    let fixture = try Fixture()
    defer { fixture.close() }
    try fixture.addWorkout(exercise: "push-up")
    try fixture.addWorkout(exercise: "jump-rope", reps: 0, duration: 0, calories: nil)
    // The exercise must be in the `exercises` table (schema v3).
    expectViolation(.foreignKeyViolation) { try fixture.addWorkout(exercise: "burpee") }
    expectViolation(.checkViolation) { try fixture.addWorkout(reps: -1) }
    expectViolation(.checkViolation) { try fixture.addWorkout(duration: -1) }
    expectViolation(.checkViolation) { try fixture.addWorkout(calories: -0.5) }
    expectViolation(.checkViolation) { try fixture.addWorkout(calories: .nan) }
    expectViolation(.checkViolation) { try fixture.addWorkout(calories: .infinity) }
    expectViolation(.checkViolation) { try fixture.addWorkout(details: PostgresJSON("[1, 2]")) }
    expectViolation(.foreignKeyViolation) { try fixture.addWorkout(user: UUID()) }
    expectViolation(.notNullViolation) {
      try fixture.connection.query(
        "INSERT INTO workouts (user_id, exercise_type, reps_count) VALUES ($1, 'push-up', 1)",
        [fixture.userID])
    }
    #expect(try fixture.count("workouts") == 2)
  }

  @Test func sourceDigestsAreUniquePerUserOnly() throws {
    let fixture = try Fixture()
    defer { fixture.close() }
    let digest = [UInt8](repeating: 7, count: 32)
    try fixture.addWorkout(digest: digest, details: PostgresJSON(#"{"reps": []}"#))
    expectViolation(.uniqueViolation) { try fixture.addWorkout(digest: digest) }
    let other = try Fixture.addUser(fixture.connection, email: "bob@example.com", username: "bob")
    try fixture.addWorkout(user: other, digest: digest)
    try fixture.addWorkout(digest: nil)
    try fixture.addWorkout(digest: nil)
    expectViolation(.checkViolation) { try fixture.addWorkout(digest: [1, 2, 3]) }
    #expect(try fixture.count("workouts") == 4)
  }

  @Test func sessionsNeedAUniqueHashedTokenAndALaterExpiry() throws {
    let fixture = try Fixture()
    defer { fixture.close() }
    let connection = fixture.connection
    let insert =
      "INSERT INTO sessions (user_id, token_sha256, expires_at) VALUES ($1, $2, $3)"
    let token = [UInt8](repeating: 1, count: 32)
    let later = Date().addingTimeInterval(86_400)
    try connection.query(insert, [fixture.userID, token, later])
    expectViolation(.uniqueViolation) {
      try connection.query(insert, [fixture.userID, token, later])
    }
    expectViolation(.checkViolation) {
      try connection.query(insert, [fixture.userID, [UInt8](repeating: 2, count: 16), later])
    }
    expectViolation(.checkViolation) {
      try connection.query(
        insert, [fixture.userID, [UInt8](repeating: 3, count: 32), Date().addingTimeInterval(-60)])
    }
    expectViolation(.foreignKeyViolation) {
      try connection.query(insert, [UUID(), [UInt8](repeating: 4, count: 32), later])
    }
  }

  @Test func settingsCheckWeightAndWeekStart() throws {
    let fixture = try Fixture()
    defer { fixture.close() }
    let connection = fixture.connection
    try connection.query(
      "INSERT INTO user_settings (user_id, weight_kg, time_zone, week_start) "
        + "VALUES ($1, 82.5, 'Europe/Paris', 'monday')", [fixture.userID])
    expectViolation(.uniqueViolation) {
      try connection.query("INSERT INTO user_settings (user_id) VALUES ($1)", [fixture.userID])
    }
    expectViolation(.checkViolation) {
      try connection.query("UPDATE user_settings SET weight_kg = 0")
    }
    expectViolation(.checkViolation) {
      try connection.query("UPDATE user_settings SET week_start = 'friday'")
    }
  }

  @Test func deletingAUserCascadesToEverythingItOwns() throws {
    let fixture = try Fixture()
    defer { fixture.close() }
    let connection = fixture.connection
    let bob = try Fixture.addUser(connection, email: "bob@example.com", username: "bob")
    for user in [fixture.userID, bob] {
      try fixture.addWorkout(user: user)
      try connection.query(
        "INSERT INTO sessions (user_id, token_sha256, expires_at) "
          + "VALUES ($1, sha256(gen_random_uuid()::text::bytea), now() + interval '1 day')", [user])
      try connection.query(
        "INSERT INTO login_attempts (user_id, identifier, outcome) VALUES ($1, 'x', 'success')",
        [user]
      )
      try connection.query("INSERT INTO user_settings (user_id) VALUES ($1)", [user])
    }
    try connection.query("DELETE FROM users WHERE id = $1", [fixture.userID])
    for table in ["workouts", "sessions", "login_attempts", "user_settings"] {
      #expect(try fixture.count(table) == 1, "\(table)")
    }
  }

  @Test func everyIndexOfTheSeedExists() throws {
    let fixture = try Fixture()
    defer { fixture.close() }
    let names = try fixture.connection.query(
      "SELECT indexname::text FROM pg_indexes WHERE schemaname = 'public'"
    ).all.map { try $0.decode(0, as: String.self) }
    for index in [
      "idx_users_email", "idx_users_username", "idx_users_created_at", "idx_workouts_user_id",
      "idx_workouts_created_at", "idx_workouts_exercise_type", "idx_workouts_user_created",
      "idx_workouts_user_source_digest", "idx_sessions_user_id",
    ] {
      #expect(names.contains(index), "\(index)")
    }
    let definition = try fixture.connection.query(
      "SELECT indexdef FROM pg_indexes WHERE indexname = 'idx_workouts_user_created'")[0]
      .decode(0, as: String.self)
    #expect(definition.contains("(user_id, created_at DESC)"))
  }
}
