#if canImport(Glibc)
import Glibc
#endif

/// Writing to the terminal's standard streams.
enum Terminal {
  /// Prints one `buddy: message` line on stderr (newlines in `message` are joined).
  static func printError(_ message: String) {
    let line = message.split(whereSeparator: \.isNewline).joined(separator: " ")
    writeStderr("buddy: \(line)\n")
  }

  /// Prints a note for the user on stderr.
  static func note(_ message: String) {
    writeStderr("buddy: \(message)\n")
  }

  /// Writes raw text to stderr, unbuffered.
  static func writeStderr(_ text: String) {
    var text = text
    text.withUTF8 { buffer in
      var offset = 0
      while offset < buffer.count {
        let written = write(2, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
        if written <= 0 { break }
        offset += written
      }
    }
  }

  /// Whether standard error is a terminal.
  static var stderrIsTTY: Bool { isatty(2) != 0 }
}
