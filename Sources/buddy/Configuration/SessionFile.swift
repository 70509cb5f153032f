import Foundation
import WorkoutStore

/// The login token on disk: `$XDG_CONFIG_HOME/exercise-buddy/session`, mode 0600 in a 0700
/// directory. It holds the token; the database holds only the token's SHA-256.
enum SessionFile {
  static var path: String { Paths.configDirectory + "/session" }

  /// The saved token, or nil when there is none (or it is unreadable).
  static func load() -> SessionToken? {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
    return SessionToken(hex: text.trimmingCharacters(in: .whitespacesAndNewlines))
  }

  /// Saves `token`, replacing any previous one.
  static func save(_ token: SessionToken) throws {
    try FileSystem.makeDirectory(Paths.configDirectory, mode: 0o700)
    chmod(Paths.configDirectory, 0o700)
    try FileSystem.writeAtomically(token.hex + "\n", to: path, mode: 0o600)
  }

  /// Deletes the saved token.
  static func remove() {
    unlink(path)
  }
}
