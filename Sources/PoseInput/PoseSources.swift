internal import Glibc

/// Turns the paths a user gave into the inputs to read.
public enum PoseSources {
  /// The file extensions read from a directory.
  public static let extensions = [".json", ".jsonl"]

  /// Expands `paths`: `-` stays standard input, a directory becomes its `.json` and `.jsonl`
  /// files in name order, a file stays itself. A missing path, or a directory with nothing to
  /// read, is a `.missingInput` error.
  public static func expand(_ paths: [String]) throws(PoseInputError) -> [String] {
    var result: [String] = []
    for path in paths {
      if path == "-" {
        result.append(path)
        continue
      }
      guard try isDirectory(path) else {
        result.append(path)
        continue
      }
      let names = try directoryEntries(path)
        .filter { name in extensions.contains { name.hasSuffix($0) } && !name.hasPrefix(".") }
        .sorted()
      guard !names.isEmpty else {
        throw PoseInputError(
          .missingInput, file: path, reason: "the directory holds no .json or .jsonl file to read")
      }
      let prefix = path.hasSuffix("/") ? path : path + "/"
      result.append(contentsOf: names.map { prefix + $0 })
    }
    return result
  }

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
}
