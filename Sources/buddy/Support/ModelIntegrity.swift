import Foundation
import PoseEstimation
import Synchronization
import WorkoutStore

/// The pose models as the tool uses them: each file's SHA-256 is checked against the one the
/// fetch script pins before it is parsed, once per change of the file. The verdicts are kept in
/// `$XDG_CACHE_HOME/exercise-buddy/verified-models` by path, size and modification time, so a
/// normal start costs two `stat` calls, not 10 MB of hashing.
enum ModelIntegrity {
  /// The model files the environment selects, with the check installed.
  static func files() -> PoseModelFiles {
    var files = PoseModelFiles(environment: ProcessInfo.processInfo.environment)
    files.integrityCheck = { path, expected in try check(path, expected: expected) }
    var packed = PackedWeightCache(directory: Paths.cacheDirectory)
    packed.log = { Log.pose.debug("\($0)") }
    files.packedWeightCache = packed
    return files
  }

  static var cacheFile: String { Paths.cacheDirectory + "/verified-models" }

  /// One check at a time: the two models load side by side, and two rounds of reading and
  /// rewriting the verdict file at once would lose one of the verdicts.
  private static let checking = Mutex(())

  /// Throws unless the file at `path` has SHA-256 `expected` (from the cache when its size and
  /// modification time are those recorded for that digest).
  static func check(_ path: String, expected: String) throws {
    try checking.withLock { _ in try checkAlone(path, expected: expected) }
  }

  private static func checkAlone(_ path: String, expected: String) throws {
    var info = stat()
    guard stat(path, &info) == 0 else { return }  // the loader names a missing file itself
    let key = "\(path)\t\(info.st_size)\t\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    let cached = (try? String(contentsOfFile: cacheFile, encoding: .utf8)) ?? ""
    if cached.split(separator: "\n").contains(Substring(key + "\t" + expected)) { return }
    let actual = try digest(of: path)
    guard actual == expected else {
      throw TFLiteModelError(
        "\(path) has SHA-256 \(actual), expected \(expected) (a damaged or different model): "
          + "run scripts/fetch-pose-models.sh again")
    }
    let kept = cached.split(separator: "\n").filter { !$0.hasPrefix(path + "\t") }
    let text = (kept.map(String.init) + [key + "\t" + expected]).joined(separator: "\n") + "\n"
    try? FileSystem.makeDirectory(Paths.cacheDirectory, mode: 0o700)
    try? FileSystem.writeAtomically(text, to: cacheFile, mode: 0o600)
  }

  private static func digest(of path: String) throws -> String {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw TFLiteModelError("cannot read \(path)")
    }
    defer { try? handle.close() }
    let hasher = SHA256()
    while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
      chunk.withUnsafeBytes { hasher.update($0) }
    }
    return SHA256.hex(hasher.finalize())
  }
}
