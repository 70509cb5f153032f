import Foundation
import Recording

/// Small file-system operations with explicit permissions: `Recording`'s `PrivateFiles`, whose
/// failures are configuration errors here.
enum FileSystem {
  /// Creates `path` and its parents; the last component gets `mode`.
  static func makeDirectory(_ path: String, mode: mode_t) throws {
    do {
      try PrivateFiles.makeDirectory(path, mode: mode)
    } catch {
      throw CLIError(.config, error.description)
    }
  }

  /// Writes `text` to a temporary file beside `path` with `mode`, then renames it into place.
  static func writeAtomically(_ text: String, to path: String, mode: mode_t) throws {
    do {
      try PrivateFiles.writeAtomically(text, to: path, mode: mode)
    } catch {
      throw CLIError(.config, error.description)
    }
  }
}
