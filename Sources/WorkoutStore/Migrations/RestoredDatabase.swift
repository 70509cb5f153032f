import Postgres

/// What a database loaded from a dump into another PostgreSQL cluster must forget.
///
/// Transaction ids belong to a cluster: a fresh cluster counts from the start again, so ids
/// stored in rows (`login_attempts.attempt_xact`, which tells a login's own transaction from
/// later ones) would match unrelated new transactions there, and the first logins after a
/// restore would be refused as "one login per transaction". Those ids, and the login claims
/// awaiting redemption in a transaction of the old cluster, are cleared.
public enum RestoredDatabase {
  /// Clears the old cluster's transaction ids and pending login claims; returns how many
  /// login attempts were changed. Needs an administrator's connection and a current schema.
  @discardableResult
  public static func forgetTheEarlierCluster(on connection: PostgresConnection) throws -> Int {
    let rows = try connection.query(
      """
      WITH cleared AS (
        UPDATE public.login_attempts SET attempt_xact = NULL, claim_sha256 = NULL
        WHERE attempt_xact IS NOT NULL OR claim_sha256 IS NOT NULL
        RETURNING 1
      )
      SELECT count(*) FROM cleared
      """)
    return try rows[0].decode(0, as: Int.self)
  }
}
