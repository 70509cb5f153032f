internal import Glibc

/// Finds the sessions that paths stand for, the one rule `buddy count DIR` and `buddy import
/// DIR` share: landmark files, directories of JPEG frames, videos (``InputExtensions``).
///
/// A path that is not a directory is one session as it is (whatever its name). A directory
/// that holds JPEG frames and no landmark file is one session of frames. Any other directory
/// is walked recursively: its landmark files and videos are sessions, and so is each
/// directory of frames below it; hidden files and directories are skipped, symbolic links to
/// directories are not followed, and extensions match in any case.
///
/// Two things found in a walk are passed over, each reported to `skipped` as one line:
/// - a landmark-named file that is not landmark data (`manifest.json`, see ``JSONFileContent``);
/// - a `frames/` directory beside a `landmarks.json` (or `.jsonl`/`.ndjson`): that file
///   describes the frames (the layout `scripts/eval-realdata.sh` reads), so the folder is one
///   session, counted from the landmarks, which also give the true frame rate.
public enum SessionDiscovery {
  /// The sessions below each of `paths`, together sorted and without repeats (what `import`
  /// reads). A directory with nothing to read adds nothing; a missing path is a
  /// `.missingInput` error naming it.
  public static func sessions(
    in paths: [String], skipped: (SkippedInput) -> Void = { _ in }
  ) throws(PoseInputError) -> [String] {
    var found: [String] = []
    for path in paths {
      found += try sessions(under: path, allowEmpty: true, skipped: skipped)
    }
    var seen = Set<String>()
    return found.sorted().filter { seen.insert($0).inserted }
  }

  /// The sessions `path` stands for, sorted: itself when it is not a directory or is a
  /// directory of frames, else what the walk finds (what `count` reads for one argument).
  /// A missing path, or a directory with nothing to read, is a `.missingInput` error.
  public static func sessions(
    under path: String, skipped: (SkippedInput) -> Void = { _ in }
  ) throws(PoseInputError) -> [String] {
    try sessions(under: path, allowEmpty: false, skipped: skipped)
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

  /// The name of the frame directory that a landmark file named `landmarks.*` beside it
  /// describes.
  static let describedFramesName = "frames"

  private static func sessions(
    under path: String, allowEmpty: Bool, skipped: (SkippedInput) -> Void
  ) throws(PoseInputError) -> [String] {
    guard try LocalFiles.isDirectory(path), !isFrameDirectory(path) else { return [path] }
    var found: [String] = []
    try walk(path.hasSuffix("/") ? String(path.dropLast()) : path, into: &found, skipped: skipped)
    if found.isEmpty && !allowEmpty {
      throw PoseInputError(.missingInput, file: path, reason: nothingFound)
    }
    return found.sorted()
  }

  private static func walk(
    _ directory: String, into found: inout [String], skipped: (SkippedInput) -> Void
  ) throws(PoseInputError) {
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
          if name == describedFramesName, let landmarks = landmarksFile(among: names, in: directory)
          {
            skipped(
              SkippedInput(
                path: path,
                reason: "its frames are counted from \(directory)/\(landmarks) beside it"))
          } else {
            found.append(path)
          }
        } else {
          try walk(path, into: &found, skipped: skipped)
        }
      case S_IFREG, S_IFLNK:
        if InputExtensions.isVideoFile(name) {
          found.append(path)
        } else if InputExtensions.isLandmarkFile(name) {
          switch JSONFileContent.of(path: path) {
          case .landmarks, .workoutExport: found.append(path)
          case .other(let reason): skipped(SkippedInput(path: path, reason: reason))
          }
        }
      default: continue
      }
    }
  }

  /// The `landmarks.json` (`.jsonl`, `.ndjson`, any case) among `names` in `directory` that
  /// holds landmark data, if there is one.
  private static func landmarksFile(among names: [String], in directory: String) -> String? {
    let wanted = Set(InputExtensions.landmarks.map { "landmarks" + $0 })
    return names.sorted().first {
      wanted.contains($0.lowercased()) && PathKind(directory + "/" + $0) == .regularFile
        && JSONFileContent.of(path: directory + "/" + $0) == .landmarks
    }
  }
}
