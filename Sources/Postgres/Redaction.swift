/// Removes secrets from text that may be shown to a user or written to a log.
public enum Redaction {
  /// Replaces every password that a database URL or conninfo string in `text` carries with `***`:
  /// the `user:password@` of a `postgres://` URL, its `?password=…`/`&password=…` query parameter,
  /// and a conninfo `password=…` keyword (bare or `'quoted'`).
  ///
  /// Text without a password comes back unchanged.
  public static func redactingPasswords(_ text: String) -> String {
    redactingPasswordKeywords(redactingUserInfoPasswords(text))
  }

  /// Replaces the password of a `postgres://user:password@host` style URL with `***`.
  private static func redactingUserInfoPasswords(_ text: String) -> String {
    var result = ""
    var rest = Substring(text)
    while let schemeEnd = rest.firstRange(of: "://") {
      result += rest[..<schemeEnd.upperBound]
      rest = rest[schemeEnd.upperBound...]
      let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == " " } ?? rest.endIndex
      let authority = rest[..<authorityEnd]
      if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
        result += authority[...colon] + "***" + authority[at...]
      } else {
        result += authority
      }
      rest = rest[authorityEnd...]
    }
    result += rest
    return result
  }

  /// Replaces the value of every `password=` (and `sslpassword=`, the client key's passphrase)
  /// keyword (conninfo) or query parameter (URL).
  ///
  /// A keyword counts where it starts the text or follows whitespace, `?` or `&`. In a URL
  /// query (after `?` or `&`) the value ends at `&`, `#` or whitespace; in conninfo `=` may have
  /// spaces around it and the value is either `'quoted'` (with `\'` escapes) or runs to the next
  /// whitespace.
  private static func redactingPasswordKeywords(_ text: String) -> String {
    let keyword = "password"
    var result = ""
    var rest = Substring(text)
    while let found = rest.firstRange(of: keyword) {
      var keyStart = found.lowerBound
      while keyStart > text.startIndex, text[text.index(before: keyStart)].isLetter {
        keyStart = text.index(before: keyStart)
      }
      let key = text[keyStart..<found.upperBound]
      let before = keyStart == text.startIndex ? nil : text[text.index(before: keyStart)]
      let inQuery = before == "?" || before == "&"
      let startsWord =
        (key == "password" || key == "sslpassword")
        && (before == nil || inQuery || before?.isWhitespace == true)
      var cursor = found.upperBound
      if !inQuery {
        cursor = rest[cursor...].firstIndex { $0 != " " && $0 != "\t" } ?? rest.endIndex
      }
      guard startsWord, cursor < rest.endIndex, rest[cursor] == "=" else {
        result += rest[..<found.upperBound]
        rest = rest[found.upperBound...]
        continue
      }
      cursor = rest.index(after: cursor)
      if !inQuery {
        cursor = rest[cursor...].firstIndex { $0 != " " && $0 != "\t" } ?? rest.endIndex
      }
      result += rest[..<cursor] + "***"
      rest = rest[valueEnd(in: rest[cursor...], inQuery: inQuery)...]
    }
    result += rest
    return result
  }

  /// Where a password value that starts `value` ends.
  private static func valueEnd(in value: Substring, inQuery: Bool) -> Substring.Index {
    if inQuery {
      return value.firstIndex { $0 == "&" || $0 == "#" || $0.isWhitespace } ?? value.endIndex
    }
    guard value.first == "'" else {
      return value.firstIndex(where: \.isWhitespace) ?? value.endIndex
    }
    var index = value.index(after: value.startIndex)
    while index < value.endIndex {
      if value[index] == "\\" {
        index = value.index(after: index)
        if index == value.endIndex { break }
      } else if value[index] == "'" {
        return value.index(after: index)
      }
      index = value.index(after: index)
    }
    return value.endIndex
  }

  /// Replaces every occurrence of each non-empty secret in `text` with `***`.
  static func scrub(_ text: String, secrets: [String]) -> String {
    var text = redactingPasswords(text)
    for secret in secrets where !secret.isEmpty {
      text = text.replacing(secret, with: "***")
    }
    return text
  }

  /// Joins libpq's multi-line messages into one line.
  static func oneLine(_ text: String) -> String {
    text.split(whereSeparator: \.isNewline)
      .map { $0.trimmingWhitespace() }
      .filter { !$0.isEmpty }
      .joined(separator: " ")
  }
}

extension StringProtocol {
  fileprivate func trimmingWhitespace() -> String {
    let scalars = unicodeScalars
    guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
      let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
    else { return "" }
    return String(String.UnicodeScalarView(scalars[first...last]))
  }
}
