/// Recognises video files by extension (``InputExtensions/video``) or by their first bytes.
enum VideoFile {
  /// Whether `path` is a video: a known extension, or an MP4/QuickTime `ftyp` box, a Matroska/WebM
  /// EBML header, or a RIFF AVI header at the start of a regular file (a stream is not read).
  static func isVideo(_ path: String) -> Bool {
    InputExtensions.isVideoFile(path) || isVideo(head: LocalFiles.head(path, count: 12))
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
