/// Removes secrets from text that may be shown to a user or written to a log.
public enum Redaction {
  /// Replaces the password of a `postgres://user:password@host` style URL with `***`.
  ///
  /// Text that is not a URL with a password comes back unchanged.
  public static func redactingURLPassword(_ text: String) -> String {
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

  /// Replaces every occurrence of each non-empty secret in `text` with `***`.
  static func scrub(_ text: String, secrets: [String]) -> String {
    var text = redactingURLPassword(text)
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
