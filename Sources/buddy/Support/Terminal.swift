#if canImport(Glibc)
import Glibc
#endif

/// Writing to the terminal's standard streams.
enum Terminal {
  /// Prints one `buddy: message` line on stderr (newlines in `message` are joined, other
  /// control characters escaped).
  static func printError(_ message: String) {
    let line = message.split(whereSeparator: \.isNewline).joined(separator: " ")
    writeStderr("buddy: \(escapingControls(line))\n")
  }

  /// Prints a note for the user on stderr, on one line.
  static func note(_ message: String) {
    writeStderr("buddy: \(escapingControls(message))\n")
  }

  /// `text` with every control character (C0, DEL, C1: a file name or a JSON string may hold
  /// them) written as `\u{…}`, so nothing from outside can move the cursor, recolour the
  /// terminal or break a one-line message in a log.
  static func escapingControls(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
    else { return text }
    var result = ""
    for scalar in text.unicodeScalars {
      if scalar.properties.generalCategory == .control {
        result += "\\u{\(String(scalar.value, radix: 16))}"
      } else {
        result.unicodeScalars.append(scalar)
      }
    }
    return result
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

  /// Whether colour may go to standard output: it is a terminal and `NO_COLOR` is unset.
  static var stdoutColour: Bool { isatty(1) != 0 && Paths.environment("NO_COLOR") == nil }

  /// Whether the locale's character set is UTF-8: the first of `LC_ALL`, `LC_CTYPE` and `LANG`
  /// that is set and not empty names it.
  static var localeIsUTF8: Bool {
    let name = ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap { Paths.environment($0) }
      .first { !$0.isEmpty }
    guard let name = name?.lowercased() else { return false }
    return name.contains("utf-8") || name.contains("utf8")
  }

  /// The width of the terminal on standard output, in columns; nil when it is not a terminal.
  static var stdoutColumns: Int? {
    var size = winsize()
    guard isatty(1) != 0, ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else {
      return nil
    }
    return Int(size.ws_col)
  }
}
