import Foundation
import Postgres
import TestSupport
import Testing

@testable import WorkoutStore

/// A database restored into a fresh cluster, whose transaction ids start again from the bottom.
@Suite("Restored database", .enabled(if: TestDatabase.isAvailable))
struct RestoredDatabaseTests {
  /// Login attempts of the old cluster carry its transaction ids; the new cluster's ids run
  /// into them, and a login there is refused as a second login in its transaction until the
  /// restore clears them.
  @Test func loginsWorkAgainOnceTheEarlierClustersTransactionIDsAreCleared() throws {
    let world = try ClientRoleFixture()
    defer { world.close() }
    let ann = try world.member("ann")
    // What the next transactions' ids will meet after a restore: rows of the old cluster
    // whose ids lie just ahead of this cluster's counter.
    try world.admin.query(
      """
      INSERT INTO login_attempts (user_id, identifier, outcome, attempt_xact, claim_sha256)
      SELECT NULL, 'ghost', 'throttled', txid_current() + g,
        CASE WHEN g = 1 THEN sha256('pending claim') END
      FROM generate_series(1, 20000) g
      """)
    let accounts = AccountStore(connection: try world.client())
    #expect(throws: PostgresError.self) {
      try accounts.login(identifier: "ann", password: ann.password, label: "after restore")
    }

    let cleared = try RestoredDatabase.forgetTheEarlierCluster(on: world.admin)
    #expect(cleared >= 20_000)
    #expect(
      try world.count(
        "SELECT count(*) FROM login_attempts WHERE attempt_xact IS NOT NULL "
          + "OR claim_sha256 IS NOT NULL") == 0)
    let login = try accounts.login(identifier: "ann", password: ann.password, label: "after")
    #expect(try accounts.authenticate(login.token).user.id == ann.id)
    #expect(try RestoredDatabase.forgetTheEarlierCluster(on: world.admin) == 1, "the new claim")
  }
}
