/// Why a counted session could not become a workout, or the outbox could not be written.
///
/// The message names the value or the file and the reason; it never holds a session token.
public struct RecordingError: Error, Equatable, Sendable, CustomStringConvertible {
  /// What kind of failure this is (the command-line tool maps it to an exit code).
  public enum Kind: Sendable, Equatable {
    /// The session's active duration is not a whole number of seconds a workout can hold.
    case durationOutOfRange
    /// The session showed none of the exercises, so there is nothing to store.
    case noExercise
    /// An outbox directory or entry file could not be created or written.
    case outboxNotWritable
    /// A refused outbox entry could not be moved aside to `rejected/`.
    case outboxEntryNotMovable
  }

  /// What kind of failure this is.
  public var kind: Kind
  /// A one-line, secret-free explanation.
  public var message: String

  /// Makes an error of `kind` explained by `message`.
  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  public var description: String { message }
}
