import Foundation

/// The `key = value` configuration file; keeps comments and order when it rewrites a value.
struct ConfigFile {
  /// The keys `buddy config set` accepts, with what each one means.
  static let knownKeys: [(key: String, meaning: String)] = [
    ("database_url", "PostgreSQL URL or conninfo used when no option or variable names one")
  ]

  let path: String
  private var lines: [String]

  /// Reads the file at `path`; a missing file is an empty configuration.
  init(path: String = Paths.configFile) throws {
    self.path = path
    guard FileManager.default.fileExists(atPath: path) else {
      lines = []
      return
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ConfigFileError(path: path, line: nil, reason: "cannot be read")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw ConfigFileError(path: path, line: nil, reason: "is not UTF-8 text")
    }
    // Split on the scalar "\n" (a Swift Character joins "\r\n" into one) and drop a "\r" before
    // it, so a file with CRLF line endings reads line by line too (found by the fuzz target).
    lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map {
      let line = String(String.UnicodeScalarView($0))
      return line.hasSuffix("\r") ? String(line.unicodeScalars.dropLast()) : line
    }
    if lines.last == "" { lines.removeLast() }
    _ = try entries()
  }

  /// The `(key, value)` pairs in file order; throws on a line that is neither a comment nor a pair.
  func entries() throws -> [(key: String, value: String)] {
    var result: [(key: String, value: String)] = []
    for (index, line) in lines.enumerated() {
      guard let (key, value) = try Self.parse(line, path: path, number: index + 1) else { continue }
      result.append((key, value))
    }
    return result
  }

  /// The value of `key`, the last one if the file sets it twice.
  func value(for key: String) -> String? {
    (try? entries())?.last { $0.key == key }?.value
  }

  /// Sets `key` to `value`, replacing an existing line or appending one.
  mutating func set(_ key: String, _ value: String) {
    let line = "\(key) = \(value)"
    if let index = lines.lastIndex(where: {
      (try? Self.parse($0, path: path, number: 0))??.0 == key
    }) {
      lines[index] = line
    } else {
      if lines.isEmpty { lines.append("# Exercise Buddy configuration (`buddy config --help`)") }
      lines.append(line)
    }
  }

  /// Removes every line that sets `key`; returns whether there was one.
  @discardableResult
  mutating func unset(_ key: String) -> Bool {
    let before = lines.count
    lines.removeAll { (try? Self.parse($0, path: path, number: 0))??.0 == key }
    return lines.count != before
  }

  /// Writes the file atomically with mode 0600 inside a 0700 directory.
  func save() throws {
    let directory = (path as NSString).deletingLastPathComponent
    try FileSystem.makeDirectory(directory, mode: 0o700)
    let text = lines.joined(separator: "\n") + "\n"
    try FileSystem.writeAtomically(text, to: path, mode: 0o600)
  }

  private static func parse(_ line: String, path: String, number: Int) throws -> (String, String)? {
    let trimmed = line.trimmingCharacters(in: .whitespaces)
    if trimmed.isEmpty || trimmed.hasPrefix("#") { return nil }
    guard let equals = trimmed.firstIndex(of: "=") else {
      throw ConfigFileError(path: path, line: number, reason: "expected `key = value`")
    }
    let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
    let value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
    guard !key.isEmpty else {
      throw ConfigFileError(path: path, line: number, reason: "the key is empty")
    }
    return (key, value)
  }
}

/// The configuration file could not be read or understood.
struct ConfigFileError: Error, CustomStringConvertible {
  var path: String
  var line: Int?
  var reason: String

  var description: String {
    if let line { return "\(path):\(line): \(reason)" }
    return "\(path): \(reason)"
  }
}
