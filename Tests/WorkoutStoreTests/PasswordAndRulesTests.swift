import Foundation
import Testing

@testable import WorkoutStore

@Suite("bcrypt, tokens and account rules")
struct PasswordAndRulesTests {
  @Test func hashesAreBcryptCost12WithFreshSalts() throws {
    let first = try PasswordHasher.hash("correct horse")
    let second = try PasswordHasher.hash("correct horse")
    #expect(first.hasPrefix("$2b$12$"))
    #expect(first.count == 60)
    #expect(first != second)
    #expect(PasswordHasher.verify("correct horse", against: first))
    #expect(PasswordHasher.verify("correct horse", against: second))
    #expect(!PasswordHasher.verify("correct horsE", against: first))
    #expect(!PasswordHasher.verify("", against: first))
    #expect(!PasswordHasher.verify("correct horse", against: "not a hash"))
  }

  /// Vectors from the crypt_blowfish test suite (OpenBSD-compatible `$2a$`), plus the same hash
  /// under the `$2b$` and `$2y$` prefixes that other bcrypt implementations write.
  @Test(arguments: [
    ("U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"),
    ("U*U*", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK"),
    ("", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy"),
    ("U*U", "$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"),
    ("U*U", "$2y$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"),
  ])
  func verifiesHashesFromOtherImplementations(password: String, hash: String) {
    #expect(PasswordHasher.verify(password, against: hash))
    #expect(!PasswordHasher.verify(password + "x", against: hash))
  }

  @Test func theTimingEqualiserIsARealCost12Hash() {
    #expect(PasswordHasher.timingEqualiser.hasPrefix("$2b$12$"))
    #expect(
      PasswordHasher.verify(
        "exercise-buddy timing equaliser", against: PasswordHasher.timingEqualiser))
  }

  @Test func seventyTwoBytesAreTheLimitAndNothingIsTruncated() throws {
    let seventyTwo = String(repeating: "a", count: 71) + "b"
    #expect(seventyTwo.utf8.count == 72)
    try AccountRules.validatePassword(seventyTwo)
    #expect(throws: AccountError.passwordTooLong(bytes: 73)) {
      try AccountRules.validatePassword(seventyTwo + "c")
    }
    // Multi-byte characters count in bytes: 36 two-byte letters are 72 bytes, 37 are 74.
    try AccountRules.validatePassword(String(repeating: "é", count: 36))
    #expect(throws: AccountError.passwordTooLong(bytes: 74)) {
      try AccountRules.validatePassword(String(repeating: "é", count: 37))
    }
    #expect(throws: AccountError.passwordTooShort(bytes: 7)) {
      try AccountRules.validatePassword("1234567")
    }
    #expect(throws: AccountError.self) { try AccountRules.validatePassword("12345678\u{0}") }
  }

  @Test(arguments: [
    "ann@example.com", "Ann.Lee+gym@Example.co.uk", "x@a-b.io", "o'brien@example.ie",
    "{weird}!#$%@sub.example.org",
  ])
  func acceptsReasonableEmails(email: String) throws {
    try AccountRules.validateEmail(email)
  }

  @Test(arguments: [
    "", "plain", "@example.com", "ann@", "ann@example", "ann@@example.com", "ann@exa mple.com",
    ".ann@example.com", "ann.@example.com", "an..n@example.com", "ann@-example.com",
    "ann@example.c0m", "ann@example.c", "änn@example.com", "ann@example..com",
    String(repeating: "a", count: 65) + "@example.com",
  ])
  func rejectsMalformedEmails(email: String) {
    #expect(throws: AccountError.self) { try AccountRules.validateEmail(email) }
  }

  @Test func usernamesAreThreeToFiftySafeCharacters() throws {
    for name in ["ann", "a_b-c", String(repeating: "z", count: 50), "ANN99"] {
      try AccountRules.validateUsername(name)
    }
    for name in ["an", String(repeating: "z", count: 51), "ann lee", "ann@x", "änn", "a.b"] {
      #expect(throws: AccountError.self) { try AccountRules.validateUsername(name) }
    }
  }

  @Test func tokensAreRandomAndRoundTripThroughHex() throws {
    let token = SessionToken.random()
    #expect(token.bytes.count == 32)
    #expect(token != SessionToken.random())
    #expect(token.hex.count == 64)
    #expect(SessionToken(hex: token.hex) == token)
    #expect(SessionToken(hex: token.hex.uppercased()) == token)
    #expect(SessionToken(hex: "zz" + token.hex.dropFirst(2)) == nil)
    #expect(SessionToken(hex: String(token.hex.dropLast())) == nil)
    #expect(token.digest == SHA256.hash(token.bytes))
  }

  @Test func sha256MatchesKnownVectors() {
    #expect(
      SHA256.hex(SHA256.hash([]))
        == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(
      SHA256.hex(SHA256.hash(Array("abc".utf8)))
        == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    let streaming = SHA256()
    streaming.update(Array("a".utf8))
    streaming.update(Array("bc".utf8))
    #expect(streaming.finalize() == SHA256.hash(Array("abc".utf8)))
  }
}
