import Foundation

/// Recognises video files by extension or by their first bytes.
enum VideoFile {
  static let extensions = ["mp4", "mov", "m4v", "mkv", "webm", "avi"]

  /// Whether `name` ends in a video extension, in any case.
  static func hasVideoExtension(_ name: String) -> Bool {
    let lowered = name.lowercased()
    return extensions.contains { lowered.hasSuffix("." + $0) }
  }

  /// Whether `path` is a video: a known extension, or an MP4/QuickTime `ftyp` box, a Matroska/WebM
  /// EBML header, or a RIFF AVI header at the start of a regular file (a stream is not read).
  static func isVideo(_ path: String) -> Bool {
    if hasVideoExtension(path) { return true }
    guard PathKind(path) == .regularFile, let handle = FileHandle(forReadingAtPath: path) else {
      return false
    }
    defer { try? handle.close() }
    let head = [UInt8]((try? handle.read(upToCount: 12)) ?? Data())
    return isVideo(head: head)
  }

  /// Whether these first bytes (at least 12) start a video container.
  static func isVideo(head: [UInt8]) -> Bool {
    guard head.count >= 12 else { return false }
    if head[4...7].elementsEqual(Array("ftyp".utf8)) { return true }
    if head[0...3].elementsEqual([0x1A, 0x45, 0xDF, 0xA3]) { return true }
    return head[0...3].elementsEqual(Array("RIFF".utf8))
      && head[8...11].elementsEqual(Array("AVI ".utf8))
  }
}
