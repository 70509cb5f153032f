internal import Foundation

#if canImport(Glibc)
internal import Glibc
#endif

/// Directories (0700) and files (0600) only their owner can read, as the outbox keeps session
/// tokens.
enum PrivateFiles {
  /// Creates `path` (mode 0700) and its parents (the usual 0755).
  static func makeDirectory(_ path: String) throws {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else {
        throw RecordingError(.outboxNotWritable, "\(path) exists and is not a directory")
      }
      return
    }
    do {
      let parent = (path as NSString).deletingLastPathComponent
      try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
      try FileManager.default.createDirectory(
        atPath: path, withIntermediateDirectories: false,
        attributes: [.posixPermissions: NSNumber(value: 0o700)])
    } catch {
      throw RecordingError(
        .outboxNotWritable, "cannot create \(path): \(error.localizedDescription)")
    }
    chmod(path, 0o700)
  }

  /// Writes `text` to a temporary file beside `path` (mode 0600), flushes it to disk, then
  /// renames it into place, so a reader sees the whole file or none.
  static func writeAtomically(_ text: String, to path: String) throws {
    let mode: mode_t = 0o600
    let temporary = path + ".tmp.\(getpid())"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
    guard descriptor >= 0 else {
      throw RecordingError(
        .outboxNotWritable, "cannot write \(path): \(String(cString: strerror(errno)))")
    }
    var ok = fchmod(descriptor, mode) == 0
    let bytes = Array(text.utf8)
    var offset = 0
    while ok && offset < bytes.count {
      let written = bytes.withUnsafeBytes { buffer -> Int in
        guard let base = buffer.baseAddress else { return 0 }
        return write(descriptor, base + offset, buffer.count - offset)
      }
      if written <= 0 { ok = false } else { offset += written }
    }
    ok = ok && fsync(descriptor) == 0
    var failure = errno
    close(descriptor)
    if ok {
      if rename(temporary, path) == 0 { return }
      failure = errno
    }
    unlink(temporary)
    throw RecordingError(
      .outboxNotWritable, "cannot write \(path): \(String(cString: strerror(failure)))")
  }
}
