import Postgres

extension RoleSetup {
  /// Makes the owner role and the client group when missing (what every migration run does
  /// first), outside any migration: a restored dump holds no roles, yet its objects are owned
  /// by `buddy_owner` and granted to `buddy_clients`, so both must exist before it is loaded.
  /// Needs an administrator's connection.
  public static func ensureRoles(on connection: PostgresConnection) throws {
    try connection.execute(script: sql)
  }
}
