import Foundation

/// Small file-system operations with explicit permissions.
enum FileSystem {
  /// Creates `path` and its parents; the last component gets `mode`.
  static func makeDirectory(_ path: String, mode: mode_t) throws {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else {
        throw CLIError(.config, "\(path) exists and is not a directory")
      }
      return
    }
    do {
      // Parents get the usual 0755 so other users (the server's) can traverse them.
      let parent = (path as NSString).deletingLastPathComponent
      try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
      try FileManager.default.createDirectory(
        atPath: path, withIntermediateDirectories: false,
        attributes: [.posixPermissions: NSNumber(value: mode)])
    } catch {
      throw CLIError(.config, "cannot create \(path): \(error.localizedDescription)")
    }
    chmod(path, mode)
  }

  /// Writes `text` to a temporary file beside `path` with `mode`, then renames it into place.
  static func writeAtomically(_ text: String, to path: String, mode: mode_t) throws {
    let temporary = path + ".tmp.\(getpid())"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
    guard descriptor >= 0 else {
      throw CLIError(.config, "cannot write \(path): \(String(cString: strerror(errno)))")
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
    let failure = errno
    close(descriptor)
    guard ok, rename(temporary, path) == 0 else {
      unlink(temporary)
      throw CLIError(.config, "cannot write \(path): \(String(cString: strerror(failure)))")
    }
  }
}
