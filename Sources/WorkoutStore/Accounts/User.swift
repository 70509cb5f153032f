import Foundation

/// An account as the store returns it (never with its password hash).
public struct User: Sendable, Equatable {
  public var id: UUID
  public var email: String
  public var username: String
  public var isActive: Bool
  public var createdAt: Date
}

/// One login session of a user.
public struct Session: Sendable, Equatable {
  public var id: UUID
  public var label: String
  public var createdAt: Date
  public var expiresAt: Date
  public var lastUsedAt: Date
}

/// A user with the session their token belongs to.
public struct Authenticated: Sendable {
  public var user: User
  public var session: Session
}

/// The secret a client holds for a session: 32 random bytes; the database keeps only its SHA-256.
public struct SessionToken: Sendable, Equatable {
  public let bytes: [UInt8]

  /// A new token from the system CSPRNG (`getrandom`).
  public static func random() -> SessionToken {
    var generator = SystemRandomNumberGenerator()
    return SessionToken(bytes: (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
  }

  /// Parses the 64-character hex form.
  public init?(hex: String) {
    let digits = Array(hex.utf8)
    guard digits.count == 64 else { return nil }
    var bytes: [UInt8] = []
    for index in stride(from: 0, to: 64, by: 2) {
      guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else {
        return nil
      }
      bytes.append(high << 4 | low)
    }
    self.bytes = bytes
  }

  init(bytes: [UInt8]) {
    self.bytes = bytes
  }

  /// The 64-character lower-case hex form written to the session file.
  public var hex: String { SHA256.hex(bytes) }

  /// What the database stores: the token's SHA-256.
  public var digest: [UInt8] { SHA256.hash(bytes) }

  private static func nibble(_ character: UInt8) -> UInt8? {
    switch character {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
    default: return nil
    }
  }
}

/// The result of a successful login.
public struct Login: Sendable {
  public var token: SessionToken
  public var user: User
  public var session: Session
}
