/// Why a scan over the current buffer stopped.
enum ScanError: Error {
  /// The buffer ended inside a value and more bytes may follow: refill and retry the unit.
  case needMore
  /// The input is wrong at 1-based `line` and `column`, optionally inside frame `frame`.
  case invalid(String, line: Int, column: Int, frame: Int?)
}
