import Foundation
import Postgres
import RepCounting
import TestSupport
import Testing
import WorkoutStore

/// `workout_landmarks` as the client role: Vera keeps a session's landmarks; Mallory, holding
/// the client role's credential, can neither see them nor attach, change or delete any, and
/// the database (not `buddy`) is what stops her.
@Suite("Kept landmarks under row-level security", .enabled(if: TestDatabase.isAvailable))
struct KeptLandmarksIsolationTests {
  private static func landmarks(frames: Int = 40) throws -> KeptLandmarks {
    var writer = LandmarkPayloadWriter()
    for index in 0..<frames {
      try writer.append(
        PoseFrame(
          time: Double(index) / 30,
          landmarks: (0..<33).map { Landmark(x: 0.5 + 0.001 * Double($0 + index), y: 0.4) }))
    }
    return KeptLandmarks(writer, framesPerSecond: 30, imageWidth: 640, imageHeight: 480)
  }

  private static func workout(_ digestByte: UInt8) -> NewWorkout {
    NewWorkout(
      exerciseType: .pushUp, reps: 3, durationSeconds: 10, caloriesBurned: 1,
      createdAt: Date(timeIntervalSince1970: 1_800_000_000), details: nil,
      sourceDigest: [UInt8](repeating: digestByte, count: 32))
  }

  /// The SQLSTATE `sql` fails with on `connection`; nil when it succeeds.
  private static func failure(
    _ connection: PostgresConnection, _ sql: String, _ parameters: [(any PostgresEncodable)?] = []
  ) -> String? {
    do {
      try connection.query(sql, parameters)
      return nil
    } catch let error as PostgresError {
      return error.sqlState ?? "no state"
    } catch {
      return "\(error)"
    }
  }

  @Test func aUserSeesAndAttachesOnlyTheirOwn() throws {
    let world = try ClientRoleFixture()
    defer { world.close() }
    let vera = try world.member("vera")
    let mallory = try world.member("mallory")
    let kept = try Self.landmarks()

    let veraConnection = try world.client(vera.token)
    guard
      case .saved(let verasWorkout, _) = try WorkoutRepository(
        connection: veraConnection, userID: vera.id
      ).record(Self.workout(1), landmarks: kept)
    else {
      Issue.record("Vera's workout was not saved")
      return
    }
    guard
      case .saved(let verasPlainWorkout, _) = try WorkoutRepository(
        connection: veraConnection, userID: vera.id
      ).record(Self.workout(4))
    else {
      Issue.record("Vera's second workout was not saved")
      return
    }
    let veras = LandmarkRepository(connection: veraConnection, userID: vera.id)
    #expect(try veras.landmarks(of: verasWorkout.id) == kept)
    let frames = try #require(try veras.landmarks(of: verasWorkout.id)).reader().frames()
    #expect(frames.count == 40 && frames[39].time == 39.0 / 30)

    let snapshot =
      "SELECT md5(string_agg(l::text, ',' ORDER BY workout_id)) FROM workout_landmarks l"
    let before = try world.admin.query(snapshot)[0].decode(0, as: String.self)

    // Mallory, with her own token and with none.
    for token in [mallory.token, nil] {
      let attacker = try world.client(token)
      #expect(try attacker.query("SELECT * FROM workout_landmarks").count == 0)
      let id = verasWorkout.id
      let payload = kept.payload
      // Her own user id on Vera's workout without landmarks: the composite foreign key
      // refuses it (or, with no token, the policy first); on the one with landmarks, the
      // primary key does too.
      for (target, state) in [(verasPlainWorkout.id, "23503"), (id, "23505")] {
        let own = Self.failure(
          attacker,
          "INSERT INTO workout_landmarks (workout_id, user_id, format_version, frame_count, "
            + "landmarks_per_frame, payload) VALUES ($1, $2, 1, 40, 33, $3)",
          [target, mallory.id, payload])
        #expect(own == (token == nil ? "42501" : state))
      }
      // Vera's user id: the policy's WITH CHECK refuses it.
      #expect(
        Self.failure(
          attacker,
          "INSERT INTO workout_landmarks (workout_id, user_id, format_version, frame_count, "
            + "landmarks_per_frame, payload) VALUES ($1, $2, 1, 40, 33, $3)",
          [id, vera.id, payload]) == "42501")
      // No UPDATE, DELETE, TRUNCATE or ALTER for clients at all.
      #expect(Self.failure(attacker, "UPDATE workout_landmarks SET frame_count = 0") == "42501")
      #expect(Self.failure(attacker, "DELETE FROM workout_landmarks") == "42501")
      #expect(Self.failure(attacker, "TRUNCATE workout_landmarks") == "42501")
      #expect(
        Self.failure(attacker, "ALTER TABLE workout_landmarks DISABLE ROW LEVEL SECURITY")
          == "42501")
      #expect(
        Self.failure(
          attacker,
          "ALTER TABLE workout_landmarks ALTER COLUMN payload SET COMPRESSION pglz") == "42501")
      // Through the repository as Vera's id: the rows are scoped by the token, not the id.
      let spoofed = LandmarkRepository(connection: attacker, userID: vera.id)
      #expect(try spoofed.landmarks(of: id) == nil)
      #expect(throws: PostgresError.self) { try spoofed.insert(kept, workoutID: id) }
    }
    #expect(try world.admin.query(snapshot)[0].decode(0, as: String.self) == before)

    // Mallory keeps landmarks of her own workout; Vera cannot see them.
    let malloryConnection = try world.client(mallory.token)
    guard
      case .saved(let mallorysWorkout, _) = try WorkoutRepository(
        connection: malloryConnection, userID: mallory.id
      ).record(Self.workout(2), landmarks: kept)
    else {
      Issue.record("Mallory's workout was not saved")
      return
    }
    #expect(try veras.landmarks(of: mallorysWorkout.id) == nil)
    #expect(try veraConnection.query("SELECT * FROM workout_landmarks").count == 1)
    #expect(try world.count("SELECT count(*) FROM workout_landmarks") == 2)
  }

  @Test func aRefusedPayloadStoresNoWorkoutEither() throws {
    let world = try ClientRoleFixture()
    defer { world.close() }
    let vera = try world.member("vera")
    var broken = try Self.landmarks()
    broken.payload = Array(broken.payload.prefix(10))  // the table's CHECK refuses it
    #expect(throws: PostgresError.self) {
      try WorkoutRepository(connection: try world.client(vera.token), userID: vera.id)
        .record(Self.workout(3), landmarks: broken)
    }
    var badRate = try Self.landmarks()
    badRate.framesPerSecond = .infinity
    #expect(throws: WorkoutError.self) {
      try WorkoutRepository(connection: try world.client(vera.token), userID: vera.id)
        .record(Self.workout(3), landmarks: badRate)
    }
    #expect(try world.count("SELECT count(*) FROM workouts") == 0)
    #expect(try world.count("SELECT count(*) FROM workout_landmarks") == 0)
  }

  @Test func aVersion4DatabaseWithRowsMigrates() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let connection = try database.connect()
    try SchemaMigrator(connection: connection, migrations: Array(Migration.all.prefix(4)))
      .migrate()
    let user = try connection.query(
      "INSERT INTO users (email, username, hashed_password) "
        + "VALUES ('v4@example.com', 'v4user', 'x') RETURNING id"
    )[0].decode(0, as: UUID.self)
    try connection.query(
      "INSERT INTO workouts (user_id, exercise_type, reps_count, duration_seconds) "
        + "VALUES ($1, 'squat', 12, 60)", [user])
    try connection.query(
      "INSERT INTO user_settings (user_id, weight_kg) VALUES ($1, 70)", [user])
    let snapshot = "SELECT string_agg(w::text, ',') FROM workouts w"
    let before = try connection.query(snapshot)[0].decode(0, as: String.self)
    let applied = try SchemaMigrator(connection: connection).migrate()
    #expect(applied.map(\.name).contains("kept landmarks"))
    #expect(try connection.query(snapshot)[0].decode(0, as: String.self) == before)
    #expect(
      try !connection.query("SELECT keep_landmarks FROM user_settings")[0].decode(
        0, as: Bool.self))
  }

  @Test func theMigrationMadeTheTableAsDocumented() throws {
    let world = try ClientRoleFixture()
    defer { world.close() }
    let row = try world.admin.query(
      """
      SELECT c.relrowsecurity, pg_get_userbyid(c.relowner)::text,
        has_table_privilege('buddy_clients', c.oid, 'SELECT'),
        has_table_privilege('buddy_clients', c.oid, 'INSERT'),
        has_table_privilege('buddy_clients', c.oid, 'UPDATE'),
        has_table_privilege('buddy_clients', c.oid, 'DELETE'),
        a.attcompression::text
      FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'payload'
      WHERE c.oid = 'public.workout_landmarks'::regclass
      """)[0]
    #expect(try row.decode(0, as: Bool.self))
    #expect(try row.decode(1, as: String.self) == "buddy_owner")
    #expect(try row.decode(2, as: Bool.self) && row.decode(3, as: Bool.self))
    #expect(try !row.decode(4, as: Bool.self) && !row.decode(5, as: Bool.self))
    // lz4 ('l') on a server built with it, as Debian's PostgreSQL 15 is.
    #expect(try row.decode(6, as: String.self) == "l")
  }
}
