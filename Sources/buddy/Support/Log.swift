import Foundation
import Logging

/// The loggers the command-line tool hands to libraries.
///
/// Server NOTICEs and other diagnostics go nowhere unless `BUDDY_LOG` names a level (e.g. `debug`),
/// in which case they are written to stderr.
enum Log {
  static let database: Logger = make("buddy.database")
  /// Pose model loading: the packed-weight cache, load stages, start-up milestones.
  static let pose: Logger = make("buddy.pose")

  private static func make(_ label: String) -> Logger {
    var logger = Logger(label: label) { label in
      guard ProcessInfo.processInfo.environment["BUDDY_LOG"] != nil else {
        return SwiftLogNoOpLogHandler(label)
      }
      return StreamLogHandler.standardError(label: label)
    }
    let level = ProcessInfo.processInfo.environment["BUDDY_LOG"].flatMap {
      Logger.Level(rawValue: $0)
    }
    logger.logLevel = level ?? .notice
    return logger
  }
}
