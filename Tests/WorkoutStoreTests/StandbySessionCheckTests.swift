import Foundation
import Postgres
import TestSupport
import Testing
import WorkoutStore

/// `buddy_api.whoami_unrefreshed()` (schema v7), as the client role: the session check a read on
/// a standby uses, which writes nothing.
@Suite("Session check without refresh (standby reads)", .enabled(if: TestDatabase.isAvailable))
struct StandbySessionCheckTests {
  static let lastUsed = "SELECT last_used_at::text FROM sessions WHERE user_id = $1"

  @Test func answersLikeWhoamiButWritesNothing() throws {
    let world = try ClientRoleFixture()
    defer { world.close() }
    let ann = try world.member("ann")
    let before = try world.admin.query(Self.lastUsed, [ann.id])[0].decode(0, as: String.self)

    // A read-only session, as every transaction on a standby is.
    let client = try world.client()
    try client.query("SET default_transaction_read_only = on")
    let accounts = AccountStore(connection: client)
    let found = try accounts.authenticateWithoutRefresh(ann.token)
    #expect(found.user.id == ann.id)
    #expect(found.user.username == "ann")
    #expect(try accounts.currentUserID() == ann.id)
    #expect(
      try world.admin.query(Self.lastUsed, [ann.id])[0].decode(0, as: String.self) == before)
    // The refreshing check is a write, which a read-only session (and a standby) refuses.
    let refused = try #require(throws: PostgresError.self) {
      _ = try accounts.authenticate(ann.token)
    }
    #expect(refused.sqlState == "25006")

    // The next write refreshes last_used_at.
    let writer = AccountStore(connection: try world.client())
    _ = try writer.authenticate(ann.token)
    let after = try world.admin.query(Self.lastUsed, [ann.id])[0].decode(0, as: String.self)
    #expect(after > before)
  }

  @Test func refusesUnknownDeactivatedExpiredAndRevoked() throws {
    let world = try ClientRoleFixture()
    defer { world.close() }
    let ann = try world.member("ann")
    let accounts = AccountStore(connection: try world.client())
    #expect(throws: AccountError.notLoggedIn) {
      _ = try accounts.authenticateWithoutRefresh(SessionToken.random())
    }
    try world.admin.query("UPDATE users SET is_active = false")
    #expect(throws: AccountError.notLoggedIn) {
      _ = try accounts.authenticateWithoutRefresh(ann.token)
    }
    try world.admin.query("UPDATE users SET is_active = true")
    _ = try accounts.authenticateWithoutRefresh(ann.token)
    try world.admin.query("UPDATE sessions SET expires_at = created_at + interval '1 ms'")
    #expect(throws: AccountError.notLoggedIn) {
      _ = try accounts.authenticateWithoutRefresh(ann.token)
    }
    try world.admin.query("DELETE FROM sessions")
    #expect(throws: AccountError.notLoggedIn) {
      _ = try accounts.authenticateWithoutRefresh(ann.token)
    }
  }

  @Test func onlyTheClientRoleMayCallIt() throws {
    let world = try ClientRoleFixture()
    defer { world.close() }
    let role = "outsider_\(UUID().uuidString.prefix(8).lowercased())"
    try world.admin.query("CREATE ROLE \(role)")
    defer { _ = try? world.admin.query("DROP ROLE IF EXISTS \(role)") }
    #expect(
      try world.admin.query(
        "SELECT has_function_privilege($1, 'buddy_api.whoami_unrefreshed()', 'EXECUTE')", [role]
      )[0].decode(0, as: Bool.self) == false)
    #expect(
      try world.admin.query(
        "SELECT has_function_privilege($1, 'buddy_api.whoami_unrefreshed()', 'EXECUTE')",
        [ClientRoleFixture.clientRole]
      )[0].decode(0, as: Bool.self))
  }
}
