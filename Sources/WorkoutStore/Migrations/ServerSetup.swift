import Foundation
import Postgres

/// What an administrator's connection sets up for a shared server (`buddy server init`) and the
/// private cluster (`buddy db start`): the schema with its roles, and a client login role.
public struct ServerSetup {
  /// What happened to the client role.
  public enum RoleChange: String, Sendable {
    case created
    case updated
    case unchanged
  }

  /// The outcome of `ensureClientRole`.
  public struct ClientRoleReport: Sendable {
    public var role: String
    public var change: RoleChange
    public var passwordSet: Bool
    /// Whether bound parameters are kept out of the server log for this role
    /// (`log_parameter_max_length = 0`, superuser-only, and `…_on_error = 0`).
    public var parameterLoggingOff: Bool
    /// Why not, when `parameterLoggingOff` is false.
    public var parameterLoggingNote: String?
  }

  private let connection: PostgresConnection

  public init(connection: PostgresConnection) {
    self.connection = connection
  }

  /// Throws `notAdministrator` unless the connection's role is a superuser, or has CREATEROLE
  /// and owns the database (directly or through a role it belongs to).
  public func requireAdministrator() throws {
    let row = try connection.query(
      """
      SELECT r.rolsuper, r.rolcreaterole, pg_has_role(r.oid, d.datdba, 'USAGE')
      FROM pg_roles r, pg_database d
      WHERE r.rolname = current_user AND d.datname = current_database()
      """)[0]
    let superuser: Bool = try row.decode(0)
    let createRole: Bool = try row.decode(1)
    let ownsDatabase: Bool = try row.decode(2)
    guard superuser || (createRole && ownsDatabase) else {
      throw ServerSetupError.notAdministrator(connection.user)
    }
  }

  /// Whether the connection's role is a superuser.
  private func isSuperuser() throws -> Bool {
    try connection.query("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")[0]
      .decode(0, as: Bool.self)
  }

  /// Creates the client login role `name`, or brings an existing one to the required shape:
  /// LOGIN, NOSUPERUSER, NOCREATEDB, NOCREATEROLE, NOREPLICATION, NOBYPASSRLS, a member of
  /// `buddy_clients`, owning nothing in this database. A `password` is sent only as a SCRAM
  /// verifier made here. Changes nothing when all is already so. The schema must be migrated.
  public func ensureClientRole(name: String, password: String?) throws -> ClientRoleReport {
    try Self.validateRoleName(name)
    var attempt = 0
    while true {
      do {
        return try connection.transaction {
          try ensureClientRoleOnce(name: name, password: password)
        }
      } catch let error as PostgresError
        where Self.concurrentRoleChange.contains(error.sqlState ?? "") && attempt < 5
      {
        // Another database's setup changed the same cluster-wide role at the same moment.
        attempt += 1
        usleep(UInt32(50_000 * attempt))
      }
    }
  }

  /// SQLSTATEs of two sessions creating or changing one role at once: unique violation,
  /// duplicate object, "tuple concurrently updated".
  private static let concurrentRoleChange: Set<String> = ["23505", "42710", "XX000"]

  private func ensureClientRoleOnce(name: String, password: String?) throws -> ClientRoleReport {
    var change = RoleChange.unchanged
    let existing = try connection.query(
      """
      SELECT rolcanlogin AND NOT rolsuper AND NOT rolcreatedb AND NOT rolcreaterole
        AND NOT rolreplication AND NOT rolbypassrls AND rolinherit
      FROM pg_roles WHERE rolname = $1
      """, [name]
    ).first
    let attributes = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT"
    if let existing {
      if try !existing.decode(0, as: Bool.self) {
        try run("SELECT format('ALTER ROLE %I \(attributes)', $1::text)", [name])
        change = .updated
      }
    } else {
      try run("SELECT format('CREATE ROLE %I \(attributes)', $1::text)", [name])
      change = .created
    }
    let member = try connection.query(
      "SELECT pg_has_role($1::text, $2::text, 'MEMBER')", [name, RoleSetup.clientGroup]
    )[0].decode(0, as: Bool.self)
    if !member {
      try run("SELECT format('GRANT %I TO %I', $2::text, $1::text)", [name, RoleSetup.clientGroup])
      if change == .unchanged { change = .updated }
    }
    let owned = try connection.query(
      """
      SELECT (SELECT count(*) FROM pg_class WHERE relowner = r.oid)
        + (SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid)
        + (SELECT count(*) FROM pg_proc WHERE proowner = r.oid)
        + (SELECT count(*) FROM pg_type WHERE typowner = r.oid)
        + (SELECT count(*) FROM pg_database WHERE datdba = r.oid)
      FROM pg_roles r WHERE r.rolname = $1
      """, [name])[0].decode(0, as: Int.self)
    guard owned == 0 else { throw ServerSetupError.roleOwnsObjects(name) }
    if let password {
      let verifier = try connection.scramVerifier(password: password, role: name)
      try run("SELECT format('ALTER ROLE %I PASSWORD %L', $1::text, $2::text)", [name, verifier])
      if change == .unchanged { change = .updated }
    }
    let (loggingOff, note, loggingChanged) = try keepParametersOutOfTheLog(role: name)
    if loggingChanged && change == .unchanged { change = .updated }
    return ClientRoleReport(
      role: name, change: change, passwordSet: password != nil, parameterLoggingOff: loggingOff,
      parameterLoggingNote: note)
  }

  /// Sets `log_parameter_max_length = 0` (needs a superuser) and
  /// `log_parameter_max_length_on_error = 0` on the role, in every database, when not yet so.
  private func keepParametersOutOfTheLog(role: String) throws -> (Bool, String?, Bool) {
    let current = try connection.query(
      """
      SELECT coalesce(bool_or(s = 'log_parameter_max_length=0'), false),
        coalesce(bool_or(s = 'log_parameter_max_length_on_error=0'), false)
      FROM pg_db_role_setting d JOIN pg_roles r ON r.oid = d.setrole, unnest(d.setconfig) s
      WHERE r.rolname = $1 AND d.setdatabase = 0
      """, [role])[0]
    var (plain, onError) = (
      try current.decode(0, as: Bool.self), try current.decode(1, as: Bool.self)
    )
    var changed = false
    if !onError {
      try run(
        "SELECT format('ALTER ROLE %I SET log_parameter_max_length_on_error = 0', $1::text)", [role]
      )
      onError = true
      changed = true
    }
    if !plain {
      guard try isSuperuser() else {
        return (
          false,
          "log_parameter_max_length = 0 needs a superuser: ask one to run "
            + "ALTER ROLE \(role) SET log_parameter_max_length = 0 (else log_statement = 'all' "
            + "would log bound passwords and tokens)", changed
        )
      }
      try run("SELECT format('ALTER ROLE %I SET log_parameter_max_length = 0', $1::text)", [role])
      plain = true
      changed = true
    }
    return (plain && onError, nil, changed)
  }

  /// Runs the one statement that `generator` (a `SELECT format(…)` over bind parameters, which
  /// quotes names with %I and literals with %L) produces.
  private func run(_ generator: String, _ parameters: [(any PostgresEncodable)?]) throws {
    let statement = try connection.query(generator, parameters)[0].decode(0, as: String.self)
    try connection.query(statement)
  }

  /// The URL a user connects with as `role`: this connection's host, port and database, with no
  /// password (libpq finds it in ~/.pgpass or a service file).
  public func clientURL(role: String) -> String {
    let host = connection.host
    let port = connection.port
    let database = Self.encoded(connection.databaseName)
    if host.isEmpty || host.hasPrefix("/") {
      var url = "postgresql:///\(database)?"
      if !host.isEmpty { url += "host=\(Self.encoded(host))&" }
      if !port.isEmpty { url += "port=\(port)&" }
      return url + "user=\(Self.encoded(role))"
    }
    let bracketed = host.contains(":") ? "[\(host)]" : host
    return
      "postgresql://\(Self.encoded(role))@\(bracketed)\(port.isEmpty ? "" : ":" + port)/\(database)"
  }

  /// Role names buddy accepts: 1–63 of a-z 0-9 _ (starting with a letter or _), not `pg_…`.
  public static func validateRoleName(_ name: String) throws {
    let valid =
      !name.isEmpty && name.utf8.count <= 63 && !name.hasPrefix("pg_")
      && name.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
      && !(name.utf8.first.map { $0 >= 48 && $0 <= 57 } ?? true)
      && ![RoleSetup.ownerRole, RoleSetup.clientGroup].contains(name)
    guard valid else { throw ServerSetupError.invalidRoleName(name) }
  }

  private static func encoded(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
  }
}

/// Why a server could not be set up.
public enum ServerSetupError: Error, Equatable, CustomStringConvertible, Sendable {
  /// The connection's role may not create roles or own the schema.
  case notAdministrator(String)
  case invalidRoleName(String)
  /// A client role must own nothing (an owner bypasses row-level security).
  case roleOwnsObjects(String)

  public var description: String {
    switch self {
    case .notAdministrator(let role):
      return "this needs an administrator's connection (a superuser, or a role with CREATEROLE "
        + "that owns the database); \(role) is not one"
    case .invalidRoleName(let name):
      return "invalid role name \"\(name)\": use 1 to 63 of a-z 0-9 _, not starting with a digit "
        + "or pg_, and not buddy_owner or buddy_clients"
    case .roleOwnsObjects(let name):
      return "role \(name) owns objects in this database; a client role must own nothing "
        + "(an owner bypasses row-level security); choose another name or reassign them"
    }
  }
}
