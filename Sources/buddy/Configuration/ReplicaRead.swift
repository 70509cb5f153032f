import Foundation
import Logging
import Postgres

/// A read-only command's connection on a multi-host URL: it prefers a standby, but one that has
/// not yet replayed this user's last write (``LastWritePosition``) within
/// `BUDDY_REPLICA_WAIT_MS` (default 2000 ms) is left for the primary, so a `record` followed at
/// once by `history` always shows the new workout.
enum ReplicaRead {
  /// The default bound of the wait for a standby to catch up, in milliseconds.
  static let defaultWaitMilliseconds = 2000
  /// The largest bound `BUDDY_REPLICA_WAIT_MS` may set: one minute.
  static let maximumWaitMilliseconds = 60_000

  /// `BUDDY_REPLICA_WAIT_MS`, 0 to 60000 (0: a lagging standby is left at once); exit 78 for
  /// anything else.
  static func waitMilliseconds(_ text: String?) throws -> Int {
    guard let text, !text.isEmpty else { return defaultWaitMilliseconds }
    guard text.count <= 5, text.allSatisfy(\.isASCII), let value = Int(text),
      (0...maximumWaitMilliseconds).contains(value)
    else {
      throw CLIError(
        .config,
        "BUDDY_REPLICA_WAIT_MS must be a whole number of milliseconds from 0 to "
          + "\(maximumWaitMilliseconds), not '\(text.prefix(20))'")
    }
    return value
  }

  /// A connection for reading from `location`, and whether it is a standby. `connect` opens one
  /// for a target. A standby that has not replayed the remembered position in time is closed
  /// and the primary used instead (said only with `BUDDY_LOG=debug`).
  static func connect(
    _ location: DatabaseLocation,
    open connect: (SessionTarget) throws -> PostgresConnection
  ) throws -> (connection: PostgresConnection, onStandby: Bool) {
    let wait = try waitMilliseconds(Paths.environment("BUDDY_REPLICA_WAIT_MS"))
    guard SessionTarget.isReplicated(location.url) else {
      return (try connect(.readWrite), false)
    }
    let connection = try connect(.preferStandby)
    do {
      guard try connection.isInRecovery() else {
        Log.database.debug("no standby answered; reading from the primary")
        return (connection, false)
      }
      let standby = "\(connection.host):\(connection.port)"
      guard let position = LastWritePosition.load(for: location.url) else {
        Log.database.debug("reading from the standby \(standby)")
        return (connection, true)
      }
      let deadline = Date().addingTimeInterval(Double(wait) / 1000)
      while true {
        if try connection.hasReplayed(position) {
          Log.database.debug("reading from the standby \(standby), which has replayed \(position)")
          return (connection, true)
        }
        if Date() >= deadline { break }
        usleep(20_000)
      }
      Log.database.debug(
        "the standby \(standby) has not replayed \(position) in \(wait) ms; reading from the primary"
      )
    } catch let error as PostgresError {
      Log.database.debug("the standby failed (\(error.message)); reading from the primary")
    }
    connection.close()
    return (try connect(.readWrite), false)
  }
}
