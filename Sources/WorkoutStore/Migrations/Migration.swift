/// One versioned step of the database schema, embedded in the binary.
public struct Migration: Sendable {
  /// The version this migration brings the schema to (1, 2, …, without gaps).
  public let version: Int
  /// A short description, recorded in `schema_migrations`.
  public let name: String
  /// The SQL, run in the migration transaction.
  let sql: StaticString

  /// Every migration this binary knows, in order.
  public static let all: [Migration] = [
    Migration(
      version: 1, name: "users, workouts, sessions, login attempts, settings", sql: schemaV1),
    Migration(
      version: 2,
      name: "owner role, account API, row-level security for the client role", sql: schemaV2),
    Migration(version: 3, name: "exercises lookup table", sql: schemaV3),
    Migration(version: 4, name: "squats", sql: schemaV4),
    Migration(
      version: 5, name: "workout edits, reactivate and delete accounts", sql: schemaV5),
    Migration(version: 6, name: "kept landmarks", sql: schemaV6),
    Migration(version: 7, name: "session check without refresh, for standbys", sql: schemaV7),
    Migration(version: 8, name: "monthly partitions of workouts", sql: schemaV8),
  ]

  /// The schema version this binary expects.
  public static var latestVersion: Int { all.last?.version ?? 0 }
}
