internal import Foundation

#if canImport(Glibc)
internal import Glibc
#endif

/// Directories and files with explicit permissions, written atomically: the outbox's (0700 and
/// 0600, as it keeps session tokens) and the command-line tool's session, config and cache files.
public enum PrivateFiles {
  /// Why a directory or file could not be made; the message names the path and the reason.
  public struct Failure: Error, CustomStringConvertible {
    public var description: String
  }

  /// Creates `path` (mode 0700) and its parents (the usual 0755), for the outbox.
  static func makeDirectory(_ path: String) throws {
    do throws(Failure) {
      try makeDirectory(path, mode: 0o700)
    } catch {
      throw RecordingError(.outboxNotWritable, error.description)
    }
  }

  /// Writes `text` atomically to `path` with mode 0600, for the outbox.
  static func writeAtomically(_ text: String, to path: String) throws {
    do throws(Failure) {
      try writeAtomically(text, to: path, mode: 0o600)
    } catch {
      throw RecordingError(.outboxNotWritable, error.description)
    }
  }

  /// Creates `path` and its parents; the last component gets `mode`, the parents the usual
  /// 0755 (so other users, e.g. the server's, can traverse them).
  public static func makeDirectory(_ path: String, mode: UInt32) throws(Failure) {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else {
        throw Failure(description: "\(path) exists and is not a directory")
      }
      return
    }
    do {
      let parent = (path as NSString).deletingLastPathComponent
      try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
      try FileManager.default.createDirectory(
        atPath: path, withIntermediateDirectories: false,
        attributes: [.posixPermissions: NSNumber(value: mode)])
    } catch {
      throw Failure(description: "cannot create \(path): \(error.localizedDescription)")
    }
    chmod(path, mode_t(mode))
  }

  /// Writes `text` to a temporary file beside `path` with `mode`, flushes it to disk, then
  /// renames it into place, so a reader sees the whole file or none (``PrivateFileWriter``).
  public static func writeAtomically(_ text: String, to path: String, mode: UInt32)
    throws(Failure)
  {
    let writer = try PrivateFileWriter(path: path, mode: mode)
    try writer.write(text)
    try writer.commit()
  }
}
