public import Foundation

#if canImport(Glibc)
internal import Glibc
#endif

/// Where `buddy db backup` keeps its dumps by default, how it names them and which it removes.
///
/// Names are `buddy-YYYYMMDD-HHMMSS.dump` (UTC, so they sort by time whatever the time zone),
/// with `-2`, `-3`… when one second holds several. Rotation only ever deletes files with such a
/// name, in this directory; anything else there is left alone.
public struct BackupDirectory: Sendable {
  /// How many dumps rotation keeps unless told otherwise.
  public static let defaultKeep = 7

  public let path: String

  /// The directory at `path` (`buddy db backup` uses `$XDG_DATA_HOME/exercise-buddy/backups`).
  public init(path: String) {
    self.path = path
  }

  /// A name for a new dump taken at `date` that no file in the directory has yet.
  public func newFilePath(at date: Date = Date()) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
    let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    func padded(_ value: Int?, _ width: Int) -> String {
      let text = String(value ?? 0)
      return String(repeating: "0", count: max(0, width - text.count)) + text
    }
    let stamp =
      padded(parts.year, 4) + padded(parts.month, 2) + padded(parts.day, 2) + "-"
      + padded(parts.hour, 2) + padded(parts.minute, 2) + padded(parts.second, 2)
    var candidate = path + "/buddy-\(stamp).dump"
    var number = 2
    while FileManager.default.fileExists(atPath: candidate) && number < 1000 {
      candidate = path + "/buddy-\(stamp)-\(number).dump"
      number += 1
    }
    return candidate
  }

  /// Deletes all but the newest `keep` dumps named by `newFilePath`; returns the deleted paths,
  /// oldest first.
  public func rotate(keep: Int) throws(PrivateFiles.Failure) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    let dumps = names.compactMap { name in Self.order(of: name).map { (name, $0) } }
      .sorted { $0.1.lexicographicallyPrecedes($1.1) }
    var removed: [String] = []
    for (name, _) in dumps.dropLast(keep) {
      let file = path + "/" + name
      guard unlink(file) == 0 else {
        throw PrivateFiles.Failure(
          description: "cannot remove the old backup \(file): \(String(cString: strerror(errno)))")
      }
      removed.append(file)
    }
    return removed
  }

  /// Whether `path` names a file in this directory (where rotation applies).
  public func contains(_ file: String) -> Bool {
    (file as NSString).deletingLastPathComponent == path
  }

  /// The sort key of a dump name `buddy-YYYYMMDD-HHMMSS[-N].dump`; nil for any other name.
  public static func order(of name: String) -> [Int]? {
    guard name.hasPrefix("buddy-"), name.hasSuffix(".dump") else { return nil }
    let stem = name.dropFirst("buddy-".count).dropLast(".dump".count)
    let fields = stem.split(separator: "-", omittingEmptySubsequences: false)
    guard fields.count == 2 || fields.count == 3,
      fields[0].utf8.count == 8, fields[1].utf8.count == 6,
      fields.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } })
    else { return nil }
    var key = fields.compactMap { Int($0) }
    guard key.count == fields.count, fields.count == 2 || (fields[2].utf8.count <= 3) else {
      return nil
    }
    if key.count == 2 { key.append(1) }
    return key
  }
}
