import Foundation
import PoseInput

/// Finds the sessions an import reads: landmark files, directories of JPEG frames, videos.
enum ImportFiles {
  /// The extensions read from directories.
  static let extensions = [".json", ".jsonl", ".ndjson"]

  /// Files named directly are taken as they are; directories are walked recursively for
  /// `*.json`, `*.jsonl`, `*.ndjson` and videos (`.mp4 .mov .mkv .webm .avi`), and a directory
  /// holding JPEG frames and no landmark files is one session; hidden files and directories
  /// are skipped and symbolic links to directories not followed. The result is sorted and has
  /// no repeats.
  static func discover(_ paths: [String]) throws -> [String] {
    var found: [String] = []
    for path in paths {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw PoseInputError(.missingInput, file: path, reason: "no such file or directory")
      }
      if isDirectory.boolValue && CountSource.isFrameDirectory(path) {
        found.append(path)  // A directory of JPEG frames is one session.
      } else if isDirectory.boolValue {
        try walk(path.hasSuffix("/") ? String(path.dropLast()) : path, into: &found)
      } else {
        found.append(path)
      }
    }
    var seen = Set<String>()
    return found.sorted().filter { seen.insert($0).inserted }
  }

  private static func walk(_ directory: String, into found: inout [String]) throws {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory)
    } catch {
      throw PoseInputError(.missingInput, file: directory, reason: "cannot be read")
    }
    for name in names.sorted() where !name.hasPrefix(".") {
      let path = directory + "/" + name
      var info = stat()
      guard lstat(path, &info) == 0 else { continue }
      switch info.st_mode & S_IFMT {
      case S_IFDIR:
        if CountSource.isFrameDirectory(path) {
          found.append(path)
        } else {
          try walk(path, into: &found)
        }
      case S_IFREG, S_IFLNK:
        if extensions.contains(where: { name.hasSuffix($0) }) || VideoFile.hasVideoExtension(name) {
          found.append(path)
        }
      default: continue
      }
    }
  }
}
