/// Why a scan stopped before the end of its unit.
enum ScanError: Error {
  /// The unit (one frame, or the document head) does not fit in the largest buffer allowed.
  case tooLarge
  /// Reading more input failed (an I/O error, not bad data).
  case readFailed(String)
  /// The input is wrong at 1-based `line` and `column`, optionally inside frame `frame`.
  case invalid(String, line: Int, column: Int, frame: Int?)
}
