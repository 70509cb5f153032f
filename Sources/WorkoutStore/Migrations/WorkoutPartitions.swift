import Postgres

/// The monthly partitions of `workouts` (schema version 8): made ahead by every migration run,
/// by pg_partman when the server has it and the administrator is a superuser, else by buddy's
/// own `buddy_maintain_workout_partitions()`.
public enum WorkoutPartitions {
  /// The schema version that partitioned `workouts`.
  public static let firstVersion = 8
  /// How many months after the current one get their partition ahead of time.
  public static let monthsAhead = 12

  /// Who makes the partitions ahead.
  public enum Maker: String, Sendable {
    /// pg_partman (`partman.run_maintenance`), installed in schema `partman`.
    case partman
    /// `buddy_maintain_workout_partitions()`, part of the schema.
    case buddy
  }

  /// Makes the partitions of this month and the next ``monthsAhead``, and of every month that
  /// has rows in the DEFAULT partition (moving them, with their kept landmarks); nothing below
  /// version 8. With `usePartman` (the default), pg_partman is installed and takes over the
  /// months ahead when the server offers it and the connection is a superuser's. Every partition
  /// is then handed to `buddy_owner` with no privilege for anyone else and row-level security
  /// enabled. Runs inside the caller's transaction; returns who makes the months ahead.
  @discardableResult
  static func maintain(_ connection: PostgresConnection, schemaVersion: Int, usePartman: Bool)
    throws -> Maker?
  {
    guard schemaVersion >= firstVersion else { return nil }
    // buddy's own pass first: it empties the DEFAULT partition, which pg_partman needs.
    try connection.execute(script: "SET LOCAL ROLE buddy_owner")
    try connection.query("SELECT public.buddy_maintain_workout_partitions($1::int4)", [monthsAhead])
    try connection.execute(script: "RESET ROLE")
    var maker = Maker.buddy
    if try usePartman && partmanAvailable(connection) {
      try runPartman(connection)
      maker = .partman
    }
    try connection.execute(script: adoptPartitions)
    return maker
  }

  /// Whether pg_partman can be used: the server has the extension and this connection is a
  /// superuser's (the extension is not trusted).
  static func partmanAvailable(_ connection: PostgresConnection) throws -> Bool {
    try connection.query(
      """
      SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_partman')
        AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
      """)[0].decode(0, as: Bool.self)
  }

  /// Installs pg_partman in schema `partman` when missing, registers `workouts` with it the
  /// first time (monthly, 12 months made ahead, privileges not inherited: the partitions grant
  /// clients nothing), and runs its maintenance.
  private static func runPartman(_ connection: PostgresConnection) throws {
    try connection.execute(
      script: """
        CREATE SCHEMA IF NOT EXISTS partman;
        REVOKE ALL ON SCHEMA partman FROM PUBLIC;
        CREATE EXTENSION IF NOT EXISTS pg_partman SCHEMA partman
        """)
    let schema = try connection.query(
      "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_partman'")[0]
      .decode(0, as: String.self)
    let registered = try connection.query(
      "SELECT count(*) FROM \(schema).part_config WHERE parent_table = 'public.workouts'")[0]
      .decode(0, as: Int.self)
    if registered == 0 {
      // pg_partman makes its own DEFAULT partition: buddy's (emptied above) makes way.
      try connection.execute(
        script: """
          ALTER TABLE public.workouts DETACH PARTITION public.workouts_default;
          DROP TABLE public.workouts_default
          """)
      try connection.query(
        "SELECT \(schema).create_parent(p_parent_table := 'public.workouts', "
          + "p_control := 'created_at', p_type := 'native', p_interval := 'monthly', "
          + "p_premake := $1::int4, p_jobmon := false)", [monthsAhead])
      try connection.query(
        "UPDATE \(schema).part_config SET inherit_privileges = false, "
          + "infinite_time_partitions = true, premake = $1::int4 WHERE parent_table = 'public.workouts'",
        [monthsAhead])
    }
    try connection.query("SELECT \(schema).run_maintenance('public.workouts')")
  }

  /// Hands every partition to `buddy_owner`, takes every privilege of anyone else away and
  /// enables row-level security (no policy: nothing for anyone but the owner).
  private static let adoptPartitions: StaticString = """
    DO $adopt$
    DECLARE
      part regclass;
      grantee text;
    BEGIN
      FOR part IN
        SELECT i.inhrelid::regclass FROM pg_catalog.pg_inherits i
        WHERE i.inhparent = 'public.workouts'::regclass
      LOOP
        IF (SELECT pg_catalog.pg_get_userbyid(c.relowner) FROM pg_catalog.pg_class c
          WHERE c.oid = part) <> 'buddy_owner'
        THEN
          EXECUTE format('ALTER TABLE %s OWNER TO buddy_owner', part);
        END IF;
        EXECUTE format('REVOKE ALL ON %s FROM PUBLIC', part);
        FOR grantee IN
          SELECT DISTINCT pg_catalog.pg_get_userbyid(a.grantee)
          FROM pg_catalog.pg_class c, aclexplode(c.relacl) a
          WHERE c.oid = part AND a.grantee <> c.relowner AND a.grantee <> 0
        LOOP
          EXECUTE format('REVOKE ALL ON %s FROM %I', part, grantee);
        END LOOP;
        EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', part);
      END LOOP;
    END
    $adopt$
    """

  /// One partition of `workouts`: its name and range (a UTC month, or DEFAULT).
  public struct Partition: Sendable, Equatable {
    public let name: String
    public let bounds: String
  }

  /// The partitions of `workouts`, oldest month first, the DEFAULT partition last.
  public static func list(_ connection: PostgresConnection) throws -> [Partition] {
    try connection.query(
      """
      SELECT c.relname::text, pg_get_expr(c.relpartbound, c.oid)
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'public.workouts'::regclass
      ORDER BY c.relname = 'workouts_default', c.relname
      """
    ).all.map { Partition(name: try $0.decode(0), bounds: try $0.decode(1)) }
  }
}
