import Foundation
import Postgres

/// Reads and updates `user_settings` for one user.
public struct ProfileStore {
  private let connection: PostgresConnection
  private let userID: UUID

  public init(connection: PostgresConnection, userID: UUID) {
    self.connection = connection
    self.userID = userID
  }

  /// The user's settings, or the defaults when none were saved.
  public func settings() throws -> UserSettings {
    let rows = try connection.query(
      "SELECT weight_kg, time_zone, week_start, keep_landmarks FROM user_settings WHERE user_id = $1",
      [userID])
    guard let row = rows.first else { return .defaults }
    return UserSettings(
      weightKg: try row.decode(0), timeZone: try row.decode(1),
      weekStart: UserSettings.WeekStart(rawValue: try row.decode(2)) ?? .monday,
      keepLandmarks: try row.decode(3))
  }

  /// Saves `settings` after checking them (weight 0–500 kg, a known IANA time zone).
  public func save(_ settings: UserSettings) throws {
    if let weight = settings.weightKg, !(weight > 0 && weight <= 500) {
      throw ProfileError.invalidWeight(weight)
    }
    try validateTimeZone(settings.timeZone)
    try connection.query(
      """
      INSERT INTO user_settings (user_id, weight_kg, time_zone, week_start, keep_landmarks)
      VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (user_id) DO UPDATE
        SET weight_kg = EXCLUDED.weight_kg, time_zone = EXCLUDED.time_zone,
            week_start = EXCLUDED.week_start, keep_landmarks = EXCLUDED.keep_landmarks
      """,
      [
        userID, settings.weightKg, settings.timeZone, settings.weekStart.rawValue,
        settings.keepLandmarks,
      ])
  }

  /// Throws unless `name` is an IANA zone name the server knows (e.g. `Europe/Paris`, `UTC`).
  public func validateTimeZone(_ name: String) throws {
    let known = try connection.query(
      "SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1)", [name])[0]
      .decode(0, as: Bool.self)
    guard known else { throw ProfileError.unknownTimeZone(name) }
  }
}

/// A profile value was refused.
public enum ProfileError: Error, Equatable, CustomStringConvertible, Sendable {
  case invalidWeight(Double)
  case unknownTimeZone(String)

  public var description: String {
    switch self {
    case .invalidWeight(let weight): return "weight \(weight) kg is out of range (0–500)"
    case .unknownTimeZone(let name):
      return "unknown time zone \"\(name)\" (use an IANA name such as Europe/Paris or UTC)"
    }
  }
}
