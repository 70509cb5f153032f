public import Foundation
import Postgres
import WorkoutStore

#if canImport(Glibc)
internal import Glibc
#endif

extension Outbox {
  /// The entry files, pending or set aside in `rejected/`, that belong to the user `userID`:
  /// those kept with `token` (or, written before entries kept their token, its SHA-256), and
  /// those whose own session token the database confirms as a session of that user. An entry
  /// whose session is gone cannot be traced to anyone and is left alone.
  ///
  /// The connection acts for each entry's token while it asks, and for `token` again afterwards.
  public func entries(
    ofUser userID: UUID, token: SessionToken, connection: PostgresConnection
  ) throws -> [String] {
    let accounts = AccountStore(connection: connection)
    defer { try? accounts.use(token) }
    let tokenDigest = SHA256.hex(token.digest)
    var owned: [String] = []
    for path in pendingFiles() + files(in: rejectedDirectory) {
      guard let entry = load(path) else { continue }
      if entry.token == token.hex || entry.tokenSHA256?.lowercased() == tokenDigest {
        owned.append(path)
      } else if let hex = entry.token, let other = SessionToken(hex: hex) {
        try accounts.use(other)
        if try accounts.currentUserID() == userID { owned.append(path) }
      }
    }
    return owned
  }

  /// Deletes entry files (with the `.reason` file of one set aside); returns how many went.
  @discardableResult
  public func discard(_ paths: [String]) -> Int {
    var removed = 0
    for path in paths where unlink(path) == 0 {
      removed += 1
      unlink(path + ".reason")
    }
    return removed
  }

  /// The `.json` files directly in `directory`, sorted by name.
  private func files(in directory: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
      .map { "\(directory)/\($0)" }
  }
}
