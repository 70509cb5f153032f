import Annotation
import ArgumentParser
import PoseEstimation
import PoseInput
import Postgres
import Recording
import WorkoutStore

/// The one map from errors to process exit codes (sysexits.h numbers), shown in `--help` and the README.
enum ExitStatus: Int32, CaseIterable {
  /// Success.
  case ok = 0
  /// Something unexpected went wrong (a bug, or an error with no better code).
  case unexpected = 1
  /// The command line was wrong.
  case usage = 64
  /// The input data was bad (malformed file, invalid value, taken name).
  case dataError = 65
  /// An input file or directory does not exist or holds nothing to read.
  case noInput = 66
  /// The database could not be reached.
  case unavailable = 69
  /// Not logged in, or not allowed.
  case noPermission = 77
  /// Configuration problem (unmigrated schema, missing tool or model, bad config file).
  case config = 78

  /// What the code means, for `--help` and the README.
  var meaning: String {
    switch self {
    case .ok: return "success"
    case .unexpected: return "unexpected error"
    case .usage: return "usage error (bad arguments or options)"
    case .dataError: return "bad input data"
    case .noInput: return "input file or directory missing or empty"
    case .unavailable: return "database unavailable"
    case .noPermission: return "not logged in / not allowed"
    case .config:
      return "configuration error (e.g. run `buddy db migrate`, pose models missing)"
    }
  }

  /// The exit code for an error thrown by any module.
  static func of(_ error: any Error) -> ExitStatus {
    switch error {
    case let error as CLIError:
      return error.status
    case let error as PostgresError:
      if error.kind == .connectionFailure { return .unavailable }
      // 42501 insufficient_privilege: the database refused this role (e.g. a client role).
      return error.sqlState == "42501" ? .noPermission : .unexpected
    case let error as ServerSetupError:
      switch error {
      case .notAdministrator: return .noPermission
      case .invalidRoleName: return .usage
      case .roleOwnsObjects: return .dataError
      }
    case let error as MigrationError:
      switch error {
      case .databaseBehind, .databaseAhead: return .config
      }
    case let error as AccountError:
      switch error {
      case .invalidEmail, .invalidUsername, .passwordTooShort, .passwordTooLong, .invalidPassword,
        .emailTaken, .usernameTaken:
        return .dataError
      case .wrongCredentials, .throttled, .deactivated, .notLoggedIn:
        return .noPermission
      case .sessionNotFound, .ambiguousSession:
        return .usage
      case .hashingFailed:
        return .unexpected
      }
    case let error as WorkoutError:
      switch error {
      case .notFound: return .noInput
      case .ambiguous, .prefixTooShort: return .usage
      case .unknownExercise, .invalidValue: return .dataError
      }
    case let error as RecordingError:
      switch error.kind {
      case .durationOutOfRange, .noExercise: return .dataError
      case .outboxNotWritable: return .config
      case .outboxEntryNotMovable: return .unexpected
      }
    case is LandmarkPayloadError:
      return .dataError
    case is ProfileError:
      return .usage
    case is ConfigFileError:
      return .config
    case is ClusterError:
      return .config
    case is TFLiteModelError, is PoseInstructionSetError:
      return .config
    case let error as AnnotationError:
      switch error.kind {
      case .badDestination: return .usage
      case .unavailable: return .unavailable
      case .writeFailed: return .unexpected
      }
    case let error as PoseInputError:
      switch error.kind {
      case .badData: return .dataError
      case .missingInput: return .noInput
      case .unavailable: return .unavailable
      }
    default:
      return .unexpected
    }
  }

  /// The exit-code table as text, for `--help`.
  ///
  /// Built on every start (argument-parser reads the root command's discussion to parse any
  /// command line), so it pads with the standard library alone: Foundation's
  /// `padding(toLength:withPad:startingAt:)` bridged through NSString and took about a tenth of
  /// `buddy --version`.
  static var helpTable: String {
    allCases.map {
      let code = String($0.rawValue)
      return "  " + code + String(repeating: " ", count: max(0, 4 - code.count)) + $0.meaning
    }
    .joined(separator: "\n")
  }
}

/// An error raised by the command-line layer itself, carrying its exit status.
struct CLIError: Error, CustomStringConvertible {
  var status: ExitStatus
  var description: String

  init(_ status: ExitStatus, _ description: String) {
    self.status = status
    self.description = description
  }
}
