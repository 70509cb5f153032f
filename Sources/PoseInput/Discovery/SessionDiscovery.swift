internal import Glibc

/// Finds the sessions that paths stand for, the one rule `buddy count DIR` and `buddy import
/// DIR` share: landmark files, directories of JPEG frames, videos (``InputExtensions``).
///
/// A path that is not a directory is one session as it is (whatever its name). A directory
/// that holds JPEG frames and no landmark file is one session of frames. Any other directory
/// is walked recursively: its landmark files and videos are sessions, and so is each
/// directory of frames below it; hidden files and directories are skipped, symbolic links to
/// directories are not followed, and extensions match in any case.
public enum SessionDiscovery {
  /// The sessions below each of `paths`, together sorted and without repeats (what `import`
  /// reads). A directory with nothing to read adds nothing; a missing path is a
  /// `.missingInput` error naming it.
  public static func sessions(in paths: [String]) throws(PoseInputError) -> [String] {
    var found: [String] = []
    for path in paths {
      found += try sessions(under: path, allowEmpty: true)
    }
    var seen = Set<String>()
    return found.sorted().filter { seen.insert($0).inserted }
  }

  /// The sessions `path` stands for, sorted: itself when it is not a directory or is a
  /// directory of frames, else what the walk finds (what `count` reads for one argument).
  /// A missing path, or a directory with nothing to read, is a `.missingInput` error.
  public static func sessions(under path: String) throws(PoseInputError) -> [String] {
    try sessions(under: path, allowEmpty: false)
  }

  /// Whether directory `path` holds JPEG frames and no landmark files (then it is one
  /// session); hidden names do not count.
  public static func isFrameDirectory(_ path: String) -> Bool {
    guard let names = try? LocalFiles.directoryEntries(path) else { return false }
    let visible = names.filter { !$0.hasPrefix(".") }
    return visible.contains(where: InputExtensions.isJPEGFile)
      && !visible.contains(where: InputExtensions.isLandmarkFile)
  }

  /// Why a directory gave nothing to read.
  static let nothingFound =
    "the directory holds no \(InputExtensions.listed(InputExtensions.landmarks)) file, "
    + "directory of JPEG frames or video"

  private static func sessions(under path: String, allowEmpty: Bool) throws(PoseInputError)
    -> [String]
  {
    guard try LocalFiles.isDirectory(path), !isFrameDirectory(path) else { return [path] }
    var found: [String] = []
    try walk(path.hasSuffix("/") ? String(path.dropLast()) : path, into: &found)
    if found.isEmpty && !allowEmpty {
      throw PoseInputError(.missingInput, file: path, reason: nothingFound)
    }
    return found.sorted()
  }

  private static func walk(_ directory: String, into found: inout [String]) throws(PoseInputError) {
    let names: [String]
    do {
      names = try LocalFiles.directoryEntries(directory)
    } catch {
      throw PoseInputError(.missingInput, file: directory, reason: "cannot be read")
    }
    for name in names.sorted() where !name.hasPrefix(".") {
      let path = directory + "/" + name
      var info = stat()
      guard lstat(path, &info) == 0 else { continue }
      switch info.st_mode & S_IFMT {
      case S_IFDIR:
        if isFrameDirectory(path) {
          found.append(path)
        } else {
          try walk(path, into: &found)
        }
      case S_IFREG, S_IFLNK:
        if InputExtensions.isLandmarkFile(name) || InputExtensions.isVideoFile(name) {
          found.append(path)
        }
      default: continue
      }
    }
  }
}
