internal import Glibc

/// The few file-system look-ups the readers need, without Foundation: whether a path is a
/// directory, a directory's names, a file's first bytes.
enum LocalFiles {
  /// Whether `path` is a directory (following symbolic links); a path that cannot be looked
  /// up (missing, unreadable) is a `.missingInput` error naming it.
  static func isDirectory(_ path: String) throws(PoseInputError) -> Bool {
    var info = stat()
    guard stat(path, &info) == 0 else {
      let reason = errno == ENOENT ? "no such file or directory" : String(cString: strerror(errno))
      throw PoseInputError(.missingInput, file: path, reason: reason)
    }
    return info.st_mode & S_IFMT == S_IFDIR
  }

  /// The names in directory `path` (without `.` and `..`), in no particular order.
  static func directoryEntries(_ path: String) throws(PoseInputError) -> [String] {
    guard let directory = opendir(path) else {
      throw PoseInputError(.missingInput, file: path, reason: String(cString: strerror(errno)))
    }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafePointer(to: entry.pointee.d_name) { tuple in
        tuple.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }

  /// Up to `count` first bytes of the regular file at `path`; empty for anything else (a
  /// stream is never read here: its bytes would be gone) or when it cannot be read.
  static func head(_ path: String, count: Int) -> [UInt8] {
    guard PathKind(path) == .regularFile else { return [] }
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return [] }
    defer { close(descriptor) }
    var bytes = [UInt8](repeating: 0, count: count)
    var filled = 0
    while filled < count {
      let read = bytes.withUnsafeMutableBytes { buffer in
        Glibc.read(descriptor, buffer.baseAddress.map { $0 + filled }, count - filled)
      }
      if read < 0 && errno == EINTR { continue }
      guard read > 0 else { break }
      filled += read
    }
    return Array(bytes.prefix(filled))
  }
}
