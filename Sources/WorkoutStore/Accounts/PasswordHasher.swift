internal import CXCrypt
import Foundation

/// bcrypt hashing and verification through libxcrypt, thread-safe (`crypt_rn` with a per-call
/// `crypt_data`).
public enum PasswordHasher {
  /// The bcrypt cost factor (2^12 rounds, ≈ 200 ms here).
  public static let cost = 12

  /// A valid cost-12 hash of a password nobody knows: verifying against it for an unknown user
  /// spends the same time as verifying a real account's password.
  static let timingEqualiser = "$2b$12$3xkhHSTROOW8ZsM/dqidDuZg8K6cT59Tr.FXDmgzXviYRIv5vYRkW"

  /// Hashes `password` with a fresh random salt (`$2b$12$…`).
  public static func hash(_ password: String) throws -> String {
    var setting = [CChar](repeating: 0, count: Int(CRYPT_GENSALT_OUTPUT_SIZE))
    // A nil random-bytes argument makes libxcrypt read the system CSPRNG itself.
    guard crypt_gensalt_rn("$2b$", UInt(cost), nil, 0, &setting, Int32(setting.count)) != nil else {
      throw AccountError.hashingFailed
    }
    guard let hash = crypt(password, setting: setting) else { throw AccountError.hashingFailed }
    return hash
  }

  /// Whether `password` matches `hash` (any of `$2a$`, `$2b$`, `$2y$`); compares in constant time.
  public static func verify(_ password: String, against hash: String) -> Bool {
    let setting = Array(hash.utf8CString)
    guard let computed = crypt(password, setting: setting) else { return false }
    let left = Array(computed.utf8)
    let right = Array(hash.utf8)
    guard left.count == right.count else { return false }
    var difference: UInt8 = 0
    for index in left.indices { difference |= left[index] ^ right[index] }
    return difference == 0
  }

  private static func crypt(_ password: String, setting: [CChar]) -> String? {
    let size = MemoryLayout<crypt_data>.size
    guard let data = calloc(1, size) else { return nil }
    defer {
      memset(data, 0, size)  // The work area held the password.
      free(data)
    }
    guard let result = crypt_rn(password, setting, data, Int32(size)) else { return nil }
    let text = String(cString: result)
    return text.hasPrefix("*") ? nil : text
  }
}
