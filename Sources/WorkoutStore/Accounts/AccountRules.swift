/// The shape rules for emails, usernames and passwords.
public enum AccountRules {
  public static let minimumPasswordBytes = 8
  /// bcrypt ignores every byte after the 72nd, so longer passwords are refused, never truncated.
  public static let maximumPasswordBytes = 72

  /// Checks an email address against a practical subset of RFC 5322: a dot-atom local part of at
  /// most 64 bytes, `@`, and a domain of dot-separated LDH labels ending in a 2+ letter top level.
  public static func validateEmail(_ email: String) throws {
    guard email.utf8.count <= 254 else { throw AccountError.invalidEmail("longer than 254 bytes") }
    guard email.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7f })
    else {
      throw AccountError.invalidEmail("only printable ASCII without spaces is accepted")
    }
    let parts = email.split(separator: "@", omittingEmptySubsequences: false)
    guard parts.count == 2 else { throw AccountError.invalidEmail("it needs exactly one @") }
    let local = parts[0]
    let domain = parts[1]
    guard !local.isEmpty, local.utf8.count <= 64 else {
      throw AccountError.invalidEmail("the part before @ must have 1 to 64 characters")
    }
    let localCharacters = Set(
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-.")
    guard local.allSatisfy({ localCharacters.contains($0) }), !local.hasPrefix("."),
      !local.hasSuffix("."), !local.contains("..")
    else {
      throw AccountError.invalidEmail(
        "the part before @ has a character or dot that is not allowed")
    }
    let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
    guard labels.count >= 2 else { throw AccountError.invalidEmail("the domain needs a dot") }
    for label in labels {
      guard !label.isEmpty, label.count <= 63, !label.hasPrefix("-"), !label.hasSuffix("-"),
        label.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" })
      else { throw AccountError.invalidEmail("the domain \"\(domain)\" is not valid") }
    }
    guard let top = labels.last, top.count >= 2, top.allSatisfy(\.isLetter) else {
      throw AccountError.invalidEmail("the domain must end in a top-level domain like .com")
    }
  }

  /// Checks a username: 3 to 50 of `A-Z a-z 0-9 _ -`.
  public static func validateUsername(_ username: String) throws {
    guard (3...50).contains(username.count) else {
      throw AccountError.invalidUsername("it must have 3 to 50 characters")
    }
    guard
      username.unicodeScalars.allSatisfy({
        $0.isASCII && (isAlphanumeric($0) || $0 == "_" || $0 == "-")
      })
    else {
      throw AccountError.invalidUsername("use only letters A-Z, digits, _ and -")
    }
  }

  /// Checks a password's length in bytes (8–72) and that it has no NUL or line break.
  public static func validatePassword(_ password: String) throws {
    let bytes = password.utf8.count
    if bytes < minimumPasswordBytes { throw AccountError.passwordTooShort(bytes: bytes) }
    if bytes > maximumPasswordBytes { throw AccountError.passwordTooLong(bytes: bytes) }
    if password.unicodeScalars.contains(where: { $0 == "\0" || $0 == "\n" || $0 == "\r" }) {
      throw AccountError.invalidPassword("it contains a NUL byte or a line break")
    }
  }

  private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
    ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
  }
}
