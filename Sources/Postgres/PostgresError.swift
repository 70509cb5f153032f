/// An error from the database or from this wrapper, typed by SQLSTATE class.
///
/// The description never contains a password: messages are scrubbed of the connection's secrets
/// before an error is built. It also leaves out the server's DETAIL line, which can quote row
/// values ("Failing row contains (…)"); `debugDescription` includes it, for diagnostics only.
public struct PostgresError: Error, CustomStringConvertible, CustomDebugStringConvertible,
  Sendable, Equatable
{
  /// What kind of failure this is, derived from the SQLSTATE where the server sent one.
  public enum Kind: Sendable, Equatable {
    /// 23505: a unique constraint or index rejected the row.
    case uniqueViolation
    /// 23514: a CHECK constraint rejected the row.
    case checkViolation
    /// 23503: a foreign key rejected the row.
    case foreignKeyViolation
    /// 23502: a NOT NULL column got NULL.
    case notNullViolation
    /// 40001: a serializable transaction must be retried.
    case serializationFailure
    /// 40P01: a deadlock was detected; the transaction must be retried.
    case deadlockDetected
    /// The server could not be reached, refused the login, or the connection broke (class 08, 28,
    /// 57P01–57P03, or no server answer at all).
    case connectionFailure
    /// 42P01: a table that a statement names does not exist.
    case undefinedTable
    /// A value could not be decoded into the requested Swift type, or a parameter was not encodable.
    case typeMismatch
    /// Any other error the server reported.
    case other
  }

  /// The kind of failure.
  public var kind: Kind
  /// The five-character SQLSTATE, when the server sent one.
  public var sqlState: String?
  /// The primary message, on one line.
  public var message: String
  /// The server's detail line, if any. It may quote row values, so it is not part of
  /// `description`.
  public var detail: String?
  /// The constraint that was violated, if any.
  public var constraint: String?

  /// Makes an error; `message` must already be free of secrets.
  public init(
    kind: Kind, sqlState: String? = nil, message: String, detail: String? = nil,
    constraint: String? = nil
  ) {
    self.kind = kind
    self.sqlState = sqlState
    self.message = message
    self.detail = detail
    self.constraint = constraint
  }

  /// Makes an error of the kind that `sqlState` names.
  init(sqlState: String?, message: String, detail: String?, constraint: String?) {
    self.init(
      kind: Self.kind(forSQLState: sqlState), sqlState: sqlState, message: message, detail: detail,
      constraint: constraint)
  }

  /// The kind that a SQLSTATE belongs to.
  static func kind(forSQLState state: String?) -> Kind {
    guard let state else { return .other }
    switch state {
    case "23505": return .uniqueViolation
    case "23514": return .checkViolation
    case "23503": return .foreignKeyViolation
    case "23502": return .notNullViolation
    case "40001": return .serializationFailure
    case "40P01": return .deadlockDetected
    case "42P01": return .undefinedTable
    case "57P01", "57P02", "57P03": return .connectionFailure
    default:
      if state.hasPrefix("08") || state.hasPrefix("28") { return .connectionFailure }
      return .other
    }
  }

  /// The message alone, safe to show a user.
  public var description: String { message }

  /// The message with the server's DETAIL line, for diagnostics (it may quote row values).
  public var debugDescription: String {
    var text = message
    if let detail, !detail.isEmpty { text += " (\(detail))" }
    return text
  }
}
