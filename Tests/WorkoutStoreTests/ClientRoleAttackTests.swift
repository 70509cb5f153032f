import Foundation
import Postgres
import TestSupport
import Testing
import WorkoutStore

/// Hostile SQL typed by a user who holds the client role's credential (as anyone on a shared
/// server does): Mallory attacks Vera. Every statement must fail, or see and change nothing of
/// Vera's; the administrator's snapshot of her rows, her valid session and the schema's
/// protections is compared before and after each one.
@Suite("Hostile SQL as the client role", .enabled(if: TestDatabase.isAvailable))
struct ClientRoleAttackTests {
  // MARK: - The corpus

  /// The session token the attacker's fresh connection sets before a statement.
  enum Stance: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case noToken = "no token"
    case mallorysToken = "Mallory's own token"
    case randomToken = "a random 64-hex token"
    case verasTokenDigest = "Vera's token SHA-256 (read by the admin) as the token"
    case verasRevokedToken = "Vera's revoked token"
    case verasExpiredToken = "Vera's expired token"
    case sqlAsToken = "SQL as the token"

    var testDescription: String { rawValue }
  }

  /// What a statement must do.
  enum Expected: Sendable, Equatable {
    /// Fail with this SQLSTATE.
    case fails(String)
    /// Succeed with exactly these rows (columns joined by "|", NULL as "NULL"; placeholders
    /// filled in).
    case rows([String])
    /// Succeed; nothing of Vera's in what it returns.
    case harmless
  }

  /// One hostile statement, run on a fresh client connection after its setup statements (which
  /// must succeed), once per stance.
  struct Attack: Sendable {
    var name: String
    var setup: [String] = []
    var sql: String
    var expected: Expected
    /// Stances for which the statement behaves otherwise (Mallory may see her own rows).
    var except: [Stance: Expected] = [:]
    /// `sql` lists relations; each is then dumped with `SELECT t::text FROM <relation> t`.
    var dumpsEachListedRelation = false
  }

  /// A text argument of 1 MiB.
  static let megabyte = "repeat('x', 1048576)"
  /// A well-formed bcrypt cost-12 hash of no known password.
  static let wellFormedHash = "$2b$12$" + String(repeating: "a", count: 53)
  /// Rows of anyone but Mallory in the tables under row-level security.
  static let othersRows = """
    SELECT w::text FROM workouts w WHERE w.user_id IS DISTINCT FROM '{mallory_id}'
    UNION ALL SELECT s::text FROM user_settings s WHERE s.user_id IS DISTINCT FROM '{mallory_id}'
    """
  /// Temporary tables and functions named like what the definer functions use, a temporary `=`
  /// on bytea that is always true, pg_temp first on the search path, and a token of Mallory's
  /// choosing mapped to Vera in the fake `sessions`.
  static let shadowing = [
    """
    CREATE TEMP TABLE sessions (id uuid DEFAULT gen_random_uuid(), user_id uuid,
      token_sha256 bytea, label varchar(255) DEFAULT '', created_at timestamptz DEFAULT now(),
      expires_at timestamptz DEFAULT now() + interval '30 days',
      last_used_at timestamptz DEFAULT now())
    """,
    """
    INSERT INTO pg_temp.sessions (user_id, token_sha256) VALUES
      ('{vera_id}', sha256(decode(repeat('ab', 32), 'hex'))),
      ('{vera_id}', decode('{vera_token_digest}', 'hex'))
    """,
    """
    CREATE TEMP TABLE users (id uuid, email varchar(255), username varchar(50),
      hashed_password varchar(255), is_active boolean DEFAULT true,
      created_at timestamptz DEFAULT now(), updated_at timestamptz DEFAULT now())
    """,
    """
    INSERT INTO pg_temp.users (id, email, username, hashed_password)
    VALUES ('{vera_id}', 'fake@example.org', 'vera', 'x')
    """,
    """
    CREATE FUNCTION pg_temp.sha256(bytea) RETURNS bytea LANGUAGE sql
    AS $$ SELECT decode('{vera_token_digest}', 'hex') $$
    """,
    """
    CREATE FUNCTION pg_temp.current_setting(text, boolean) RETURNS text LANGUAGE sql
    AS $$ SELECT repeat('ab', 32) $$
    """,
    """
    CREATE FUNCTION pg_temp.token_digest(text) RETURNS bytea LANGUAGE sql
    AS $$ SELECT decode('{vera_token_digest}', 'hex') $$
    """,
    """
    CREATE FUNCTION pg_temp.connection_token_digest() RETURNS bytea LANGUAGE sql
    AS $$ SELECT decode('{vera_token_digest}', 'hex') $$
    """,
    """
    CREATE FUNCTION pg_temp.current_account_id() RETURNS uuid LANGUAGE sql
    AS $$ SELECT '{vera_id}'::uuid $$
    """,
    "CREATE FUNCTION pg_temp.always(bytea, bytea) RETURNS boolean LANGUAGE sql AS 'SELECT true'",
    "CREATE OPERATOR pg_temp.= (LEFTARG = bytea, RIGHTARG = bytea, FUNCTION = pg_temp.always)",
    "SELECT set_config('search_path', 'pg_temp, buddy_api, public, pg_catalog', false)",
    "SELECT set_config('buddy.session_token', repeat('ab', 32), false)",
  ]
  /// A function that records every row a query hands it, and a query that hands it rows.
  static let leakyFunction = [
    "CREATE TEMP TABLE seen (t text)",
    """
    CREATE FUNCTION pg_temp.leak(text) RETURNS boolean LANGUAGE plpgsql VOLATILE COST 0.0000001
    AS $$ BEGIN INSERT INTO pg_temp.seen VALUES ($1); RETURN true; END $$
    """,
    "SELECT count(*) FROM workouts w WHERE pg_temp.leak(w::text)",
  ]

  static let corpus: [Attack] = [
    // Tables only the definer functions may touch.
    Attack(name: "SELECT users", sql: "SELECT u::text FROM users u", expected: .fails("42501")),
    Attack(
      name: "SELECT one column of users",
      sql: "SELECT email::text FROM public.users WHERE username = 'vera'",
      expected: .fails("42501")),
    Attack(name: "TABLE users", sql: "TABLE users", expected: .fails("42501")),
    Attack(name: "TABLE sessions", sql: "TABLE sessions", expected: .fails("42501")),
    Attack(name: "TABLE login_attempts", sql: "TABLE login_attempts", expected: .fails("42501")),
    Attack(
      name: "SELECT sessions", sql: "SELECT s::text FROM public.sessions s",
      expected: .fails("42501")),
    Attack(
      name: "count login_attempts", sql: "SELECT count(*)::text FROM public.login_attempts",
      expected: .fails("42501")),
    Attack(name: "COPY users TO STDOUT", sql: "COPY users TO STDOUT", expected: .fails("42501")),
    Attack(
      name: "COPY (SELECT sessions) TO STDOUT",
      sql: "COPY (SELECT * FROM public.sessions) TO STDOUT", expected: .fails("42501")),
    Attack(
      name: "COPY workouts FROM STDIN", sql: "COPY workouts FROM STDIN",
      expected: .fails("0A000")),
    Attack(
      name: "COPY workouts to a server file", sql: "COPY workouts TO '/tmp/buddy-attack.txt'",
      expected: .fails("42501")),

    // Everything readable, searched for Vera.
    Attack(
      name: "dump every relation the client can SELECT",
      sql: """
        SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE has_table_privilege(c.oid, 'SELECT')
          AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND (n.oid = pg_my_temp_schema() OR n.nspname !~ '^pg_(toast_)?temp_')
          AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
        ORDER BY 1
        """,
      expected: .harmless, dumpsEachListedRelation: true),
    Attack(name: "pg_stats", sql: "SELECT t::text FROM pg_stats t", expected: .harmless),
    Attack(name: "pg_stats_ext", sql: "SELECT t::text FROM pg_stats_ext t", expected: .rows([])),
    Attack(
      name: "pg_stats_ext_exprs", sql: "SELECT t::text FROM pg_stats_ext_exprs t",
      expected: .rows([])),
    Attack(
      name: "pg_statistic", sql: "SELECT s::text FROM pg_statistic s", expected: .fails("42501")),
    Attack(
      name: "pg_statistic_ext_data", sql: "SELECT d::text FROM pg_statistic_ext_data d",
      expected: .fails("42501")),
    Attack(
      name: "pg_stat_activity (Vera's connection is open)",
      sql: "SELECT a::text FROM pg_stat_activity a WHERE a.datname = current_database()",
      expected: .harmless),
    Attack(
      name: "pg_stat_user_tables", sql: "SELECT t::text FROM pg_stat_user_tables t",
      expected: .harmless),
    Attack(
      name: "EXPLAIN ANALYZE VERBOSE of all workouts",
      sql: "EXPLAIN (ANALYZE, VERBOSE, COSTS OFF) SELECT * FROM workouts", expected: .harmless),

    // Reading the tables under row-level security.
    Attack(
      name: "SELECT workouts", sql: "SELECT w::text FROM workouts w", expected: .rows([]),
      except: [.mallorysToken: .harmless]),
    Attack(name: "SELECT others' rows", sql: othersRows, expected: .rows([])),
    Attack(
      name: "SELECT workouts of Vera's id",
      sql: "SELECT w::text FROM workouts w WHERE w.user_id = '{vera_id}'", expected: .rows([])),
    Attack(
      name: "SELECT Vera's workout by id",
      sql: "SELECT w::text FROM workouts w WHERE w.id = '{vera_workout}'", expected: .rows([])),
    Attack(
      name: "SELECT user_settings", sql: "SELECT s::text FROM user_settings s",
      expected: .rows([])),
    Attack(
      name: "division-by-zero oracle on Vera's rows",
      sql: """
        SELECT count(*)::text FROM workouts
        WHERE 1 / (CASE WHEN user_id = '{vera_id}' THEN 0 ELSE 1 END) = 1
        """,
      expected: .rows(["0"]), except: [.mallorysToken: .rows(["1"])]),
    Attack(
      name: "cheap leaky function in WHERE", setup: leakyFunction,
      sql: "SELECT t FROM pg_temp.seen", expected: .rows([]),
      except: [.mallorysToken: .harmless]),
    Attack(
      name: "temporary view over workouts",
      setup: ["CREATE TEMP VIEW all_workouts AS SELECT * FROM workouts"],
      sql: "SELECT v::text FROM all_workouts v WHERE v.user_id = '{vera_id}'",
      expected: .rows([])),

    // Writing them.
    Attack(
      name: "UPDATE all workouts", sql: "UPDATE workouts SET reps_count = 999 RETURNING id::text",
      expected: .rows([]), except: [.mallorysToken: .rows(["{mallory_workout}"])]),
    Attack(
      name: "DELETE all workouts", sql: "DELETE FROM workouts RETURNING id::text",
      expected: .rows([]), except: [.mallorysToken: .rows(["{mallory_workout}"])]),
    Attack(
      name: "steal Vera's workouts",
      sql: """
        UPDATE workouts SET user_id = '{mallory_id}' WHERE user_id = '{vera_id}'
        RETURNING id::text
        """,
      expected: .rows([])),
    Attack(
      name: "DELETE Vera's workout by id",
      sql: "DELETE FROM workouts WHERE id = '{vera_workout}' RETURNING id::text",
      expected: .rows([])),
    Attack(
      name: "INSERT a workout for Vera",
      sql: """
        INSERT INTO workouts (user_id, exercise_type, reps_count, duration_seconds)
        VALUES ('{vera_id}', 'push-up', 1, 1)
        """,
      expected: .fails("42501")),
    Attack(
      name: "INSERT for Vera with her source digest (no unique-violation oracle)",
      sql: """
        INSERT INTO workouts (user_id, exercise_type, reps_count, duration_seconds, source_digest)
        VALUES ('{vera_id}', 'push-up', 1, 1, decode('{vera_source_digest}', 'hex'))
        """,
      expected: .fails("42501")),
    Attack(
      name: "move own workout to Vera",
      sql: """
        UPDATE workouts SET user_id = '{vera_id}' WHERE id = '{mallory_workout}'
        RETURNING id::text
        """,
      expected: .rows([]), except: [.mallorysToken: .fails("42501")]),
    Attack(
      name: "upsert over Vera's workout id",
      sql: """
        INSERT INTO workouts (id, user_id, exercise_type, reps_count, duration_seconds)
        VALUES ('{vera_workout}', '{mallory_id}', 'push-up', 1, 1)
        ON CONFLICT (id) DO UPDATE SET reps_count = 0, user_id = excluded.user_id
        """,
      // Since schema v8 no unique index of the partitioned workouts is on id alone (the ledger
      // workout_keys keeps ids unique), so the statement is refused before it starts.
      expected: .fails("42P10")),
    Attack(
      name: "INSERT … ON CONFLICT DO NOTHING on Vera's workout id",
      sql: """
        INSERT INTO workouts (id, user_id, exercise_type, reps_count, duration_seconds)
        VALUES ('{vera_workout}', '{mallory_id}', 'push-up', 1, 1)
        ON CONFLICT DO NOTHING RETURNING id::text
        """,
      // With her own token the ledger of ids (schema v8) refuses the taken id as a unique index
      // would; ON CONFLICT cannot see it (only `buddy.duplicate_keys = skip` skips).
      expected: .fails("42501"), except: [.mallorysToken: .fails("23505")]),
    Attack(
      name: "MERGE into Vera's workout",
      sql: """
        MERGE INTO workouts w USING (SELECT '{vera_workout}'::uuid AS id) s ON w.id = s.id
        WHEN MATCHED THEN UPDATE SET reps_count = 0
        WHEN NOT MATCHED THEN DO NOTHING
        """,
      expected: .harmless),
    Attack(name: "TRUNCATE workouts", sql: "TRUNCATE workouts", expected: .fails("42501")),
    Attack(name: "TRUNCATE users", sql: "TRUNCATE users CASCADE", expected: .fails("42501")),
    Attack(
      name: "INSERT settings for Vera",
      sql: "INSERT INTO user_settings (user_id, weight_kg) VALUES ('{vera_id}', 99)",
      expected: .fails("42501")),
    Attack(
      name: "upsert settings for Vera",
      sql: """
        INSERT INTO user_settings (user_id, weight_kg) VALUES ('{vera_id}', 99)
        ON CONFLICT (user_id) DO UPDATE SET weight_kg = 99
        """,
      expected: .fails("42501")),
    Attack(
      name: "UPDATE all settings",
      sql: "UPDATE user_settings SET weight_kg = 99, time_zone = 'UTC' RETURNING user_id::text",
      expected: .rows([])),
    Attack(
      name: "DELETE all settings", sql: "DELETE FROM user_settings RETURNING user_id::text",
      expected: .rows([])),

    // Session variables.
    Attack(
      name: "Vera's token digest as the token, then read",
      setup: ["SELECT set_config('buddy.session_token', '{vera_token_digest}', false)"],
      sql: othersRows, expected: .rows([])),
    Attack(
      name: "Vera's token digest in upper case as the token, then read",
      setup: ["SELECT set_config('buddy.session_token', upper('{vera_token_digest}'), false)"],
      sql: othersRows, expected: .rows([])),
    Attack(
      name: "other variables name Vera, then read",
      setup: [
        "SELECT set_config('buddy.user_id', '{vera_id}', false)",
        "SET buddy.username = 'vera'",
        "SELECT set_config('buddy.current_account_id', '{vera_id}', false)",
        "SELECT set_config('buddy.session_token', '', false)",
      ],
      sql: othersRows, expected: .rows([])),

    // Roles.
    Attack(name: "SET ROLE buddy_owner", sql: "SET ROLE buddy_owner", expected: .fails("42501")),
    Attack(
      name: "SET ROLE to the superuser", sql: "SET ROLE {superuser}", expected: .fails("42501")),
    Attack(
      name: "SET SESSION AUTHORIZATION to the superuser",
      sql: "SET SESSION AUTHORIZATION {superuser}", expected: .fails("42501")),
    Attack(
      name: "set_config('role', 'buddy_owner')",
      sql: "SELECT set_config('role', 'buddy_owner', false)", expected: .fails("42501")),
    Attack(
      name: "SET ROLE pg_read_all_data", sql: "SET ROLE pg_read_all_data",
      expected: .fails("42501")),
    Attack(
      name: "SET ROLE buddy_clients, then read", setup: ["SET ROLE buddy_clients"],
      sql: othersRows, expected: .rows([])),
    Attack(
      name: "GRANT buddy_owner to oneself", sql: "GRANT buddy_owner TO CURRENT_USER",
      expected: .fails("42501")),
    Attack(
      name: "ALTER ROLE … BYPASSRLS", sql: "ALTER ROLE CURRENT_USER BYPASSRLS",
      expected: .fails("42501")),
    Attack(
      name: "row_security off, then read", setup: ["SET row_security = off"],
      sql: "SELECT w::text FROM workouts w", expected: .fails("42501")),
    Attack(
      name: "session_replication_role = replica",
      sql: "SET session_replication_role = replica", expected: .fails("42501")),

    // Creating and changing schema objects.
    Attack(name: "CREATE SCHEMA", sql: "CREATE SCHEMA evil", expected: .fails("42501")),
    Attack(
      name: "CREATE TABLE public.x", sql: "CREATE TABLE public.x (a int)",
      expected: .fails("42501")),
    Attack(
      name: "CREATE TABLE on the default search path", sql: "CREATE TABLE x (a int)",
      expected: .fails("42501")),
    Attack(
      name: "CREATE FUNCTION public.f()",
      sql: "CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
      expected: .fails("42501")),
    Attack(
      name: "CREATE TABLE buddy_api.x", sql: "CREATE TABLE buddy_api.x (a int)",
      expected: .fails("42501")),
    Attack(
      name: "CREATE FUNCTION buddy_api.sessions_hijack()",
      sql: """
        CREATE FUNCTION buddy_api.sessions_hijack() RETURNS SETOF uuid LANGUAGE sql
        SECURITY DEFINER AS 'SELECT user_id FROM public.sessions'
        """,
      expected: .fails("42501")),
    Attack(
      name: "replace buddy_api.current_account_id()",
      sql: """
        CREATE OR REPLACE FUNCTION buddy_api.current_account_id() RETURNS uuid LANGUAGE sql
        AS $$ SELECT '{vera_id}'::uuid $$
        """,
      expected: .fails("42501")),
    Attack(
      name: "CREATE TABLE buddy_crypto.x", sql: "CREATE TABLE buddy_crypto.x (a int)",
      expected: .fails("42501")),
    Attack(
      name: "DISABLE ROW LEVEL SECURITY",
      sql: "ALTER TABLE workouts DISABLE ROW LEVEL SECURITY", expected: .fails("42501")),
    Attack(
      name: "DISABLE ROW LEVEL SECURITY from a DO block",
      sql: """
        DO $$ BEGIN
          EXECUTE 'ALTER TABLE public.user_settings DISABLE ROW LEVEL SECURITY';
        END $$
        """,
      expected: .fails("42501")),
    Attack(
      name: "DROP POLICY", sql: "DROP POLICY workouts_of_the_session_user ON workouts",
      expected: .fails("42501")),
    Attack(
      name: "CREATE POLICY … USING (true)",
      sql: "CREATE POLICY everyone ON workouts FOR SELECT TO PUBLIC USING (true)",
      expected: .fails("42501")),
    Attack(
      name: "ALTER POLICY … USING (true)",
      sql: "ALTER POLICY settings_of_the_session_user ON user_settings USING (true)",
      expected: .fails("42501")),
    Attack(
      name: "ALTER FUNCTION … SECURITY INVOKER",
      sql: "ALTER FUNCTION buddy_api.current_account_id() SECURITY INVOKER",
      expected: .fails("42501")),
    Attack(
      name: "ALTER FUNCTION … RESET search_path",
      sql: "ALTER FUNCTION buddy_api.whoami() RESET search_path", expected: .fails("42501")),
    Attack(
      name: "GRANT SELECT ON users", sql: "GRANT SELECT ON users TO buddy_clients",
      expected: .fails("42501")),
    Attack(
      name: "GRANT EXECUTE on an internal helper",
      sql: "GRANT EXECUTE ON FUNCTION buddy_api.token_digest(text) TO PUBLIC",
      expected: .fails("42501")),
    Attack(
      name: "GRANT SELECT ON workouts (no grant option: a warning, nothing granted)",
      sql: "GRANT SELECT ON workouts TO PUBLIC", expected: .harmless),
    Attack(name: "DROP TABLE workouts", sql: "DROP TABLE workouts", expected: .fails("42501")),
    Attack(
      name: "CREATE TRIGGER on workouts",
      sql: """
        CREATE TRIGGER copy_rows BEFORE INSERT ON workouts
        FOR EACH ROW EXECUTE FUNCTION buddy_set_updated_at()
        """,
      expected: .fails("42501")),
    Attack(
      name: "CREATE RULE on workouts",
      sql: "CREATE RULE copy_rows AS ON INSERT TO workouts DO ALSO NOTHING",
      expected: .fails("42501")),
    Attack(
      name: "CREATE INDEX on users", sql: "CREATE INDEX ON users (email)",
      expected: .fails("42501")),
    Attack(
      name: "CREATE STATISTICS on users",
      sql: "CREATE STATISTICS pg_temp.peek ON email, username FROM users",
      expected: .fails("42501")),
    Attack(
      name: "COMMENT ON TABLE users", sql: "COMMENT ON TABLE users IS 'mine'",
      expected: .fails("42501")),
    Attack(name: "REINDEX TABLE users", sql: "REINDEX TABLE users", expected: .fails("42501")),
    Attack(
      name: "ANALYZE users (skipped with a warning)", sql: "ANALYZE users", expected: .harmless),
    Attack(
      name: "foreign key into workouts from a temporary table",
      sql: "CREATE TEMP TABLE probe (w uuid REFERENCES workouts (id))",
      expected: .fails("42P16")),
    Attack(
      name: "LEAKPROOF function",
      sql: """
        CREATE FUNCTION pg_temp.peek(text) RETURNS boolean LANGUAGE sql LEAKPROOF
        AS 'SELECT true'
        """,
      expected: .fails("42501")),
    Attack(
      name: "CREATE EXTENSION dblink", sql: "CREATE EXTENSION dblink", expected: .fails("42501")),
    Attack(
      name: "CREATE EXTENSION hstore (trusted)", sql: "CREATE EXTENSION hstore",
      expected: .fails("42501")),
    Attack(
      name: "pg_read_file", sql: "SELECT pg_read_file('postgresql.conf')",
      expected: .fails("42501")),
    Attack(
      name: "lo_import", sql: "SELECT lo_import('/etc/passwd')::text", expected: .fails("42501")),
    Attack(
      name: "COPY … TO PROGRAM", sql: "COPY (SELECT 1) TO PROGRAM 'id'",
      expected: .fails("42501")),
    Attack(
      name: "pgcrypto in buddy_crypto", sql: "SELECT buddy_crypto.crypt('x', 'y')",
      expected: .fails("42501")),

    // Shadowing what the definer functions use (pg_temp is last on their search_path).
    Attack(
      name: "shadowed tables and functions, then whoami()", setup: shadowing,
      sql: "SELECT t::text FROM buddy_api.whoami() t", expected: .rows([])),
    Attack(
      name: "shadowed tables and functions, then sessions()", setup: shadowing,
      sql: "SELECT t::text FROM buddy_api.sessions() t", expected: .rows([])),
    Attack(
      name: "shadowed tables and functions, then current_account_id()", setup: shadowing,
      sql: "SELECT buddy_api.current_account_id()::text", expected: .rows(["NULL"])),
    Attack(
      name: "shadowed tables and functions, then read", setup: shadowing, sql: othersRows,
      expected: .rows([])),

    // The account API with hostile arguments.
    Attack(
      name: "register(NULL, NULL, NULL)",
      sql: "SELECT t::text FROM buddy_api.register(NULL, NULL, NULL) t",
      expected: .fails("22023")),
    Attack(
      name: "register with 1 MiB arguments",
      sql: "SELECT t::text FROM buddy_api.register(\(megabyte), \(megabyte), \(megabyte)) t",
      expected: .fails("22023")),
    Attack(
      name: "register with SQL in email and username",
      sql: """
        SELECT t::text FROM buddy_api.register('x@example.org''); DROP TABLE users; --',
          '''; DROP TABLE users; --', '\(wellFormedHash)') t
        """,
      expected: .fails("23514")),
    Attack(
      name: "register Vera's email in upper case",
      sql: """
        SELECT t::text FROM buddy_api.register(upper('{vera_email}'), 'mallory2',
          '\(wellFormedHash)') t
        """,
      expected: .fails("23505")),
    Attack(
      name: "login(NULL, NULL, NULL)",
      sql: "SELECT t::text FROM buddy_api.login(NULL, NULL, NULL) t", expected: .harmless),
    Attack(
      name: "login with 1 MiB arguments",
      sql: "SELECT t::text FROM buddy_api.login(\(megabyte), \(megabyte), \(megabyte)) t",
      expected: .harmless),
    Attack(
      name: "login with SQL in every argument",
      sql: """
        SELECT t::text FROM buddy_api.login('vera'' OR ''1''=''1', ''' OR ''1''=''1',
          '''; DROP TABLE sessions; --') t
        """,
      expected: .harmless),
    Attack(
      name: "login('vera', NULL, NULL)",
      sql: "SELECT t::text FROM buddy_api.login('vera', NULL, NULL) t", expected: .harmless),
    Attack(
      name: "login_result(NULL)", sql: "SELECT outcome FROM buddy_api.login_result(NULL)",
      expected: .rows(["unknown_claim"])),
    Attack(
      name: "login_result of 1 MiB",
      sql: "SELECT outcome FROM buddy_api.login_result(\(megabyte))",
      expected: .rows(["unknown_claim"])),
    Attack(
      name: "login_result of a forged claim",
      sql: """
        SELECT outcome FROM buddy_api.login_result(md5(random()::text) || md5(random()::text))
        """,
      expected: .rows(["unknown_claim"])),
    Attack(
      name: "login_result with SQL",
      sql: "SELECT outcome FROM buddy_api.login_result('''; DELETE FROM login_attempts; --')",
      expected: .rows(["unknown_claim"])),
    Attack(
      name: "whoami()", sql: "SELECT t::text FROM buddy_api.whoami() t", expected: .rows([]),
      except: [.mallorysToken: .harmless]),
    Attack(
      name: "sessions()", sql: "SELECT t::text FROM buddy_api.sessions() t", expected: .rows([]),
      except: [.mallorysToken: .harmless]),
    Attack(
      name: "current_account_id()", sql: "SELECT buddy_api.current_account_id()::text",
      expected: .rows(["NULL"]), except: [.mallorysToken: .rows(["{mallory_id}"])]),
    Attack(
      name: "logout()", sql: "SELECT buddy_api.logout()::text", expected: .rows(["false"]),
      except: [.mallorysToken: .rows(["true"]), .verasExpiredToken: .rows(["true"])]),
    Attack(
      name: "revoke_session(Vera's session id)",
      sql: "SELECT buddy_api.revoke_session('{vera_session}')::text", expected: .rows(["false"])),
    Attack(
      name: "revoke_session(NULL)", sql: "SELECT buddy_api.revoke_session(NULL)::text",
      expected: .rows(["false"])),
    Attack(
      name: "revoke_other_sessions()", sql: "SELECT buddy_api.revoke_other_sessions()::text",
      expected: .rows(["0"])),
    Attack(
      name: "change_password(NULL, NULL)",
      sql: "SELECT t::text FROM buddy_api.change_password(NULL, NULL) t",
      expected: .fails("22023")),
    Attack(
      name: "change_password with 1 MiB arguments",
      sql: "SELECT t::text FROM buddy_api.change_password(\(megabyte), \(megabyte)) t",
      expected: .fails("22023")),
    Attack(
      name: "change_password with a 1 MiB current password",
      sql: "SELECT t::text FROM buddy_api.change_password(\(megabyte), '\(wellFormedHash)') t",
      expected: .rows(["(not_logged_in,0)"]),
      except: [.mallorysToken: .rows(["(wrong_password,0)"])]),
    Attack(
      name: "change_password with SQL",
      sql: """
        SELECT t::text FROM buddy_api.change_password(
          '''; UPDATE users SET hashed_password = NULL; --', '\(wellFormedHash)') t
        """,
      expected: .rows(["(not_logged_in,0)"]),
      except: [.mallorysToken: .rows(["(wrong_password,0)"])]),
    Attack(
      name: "deactivate(NULL)", sql: "SELECT buddy_api.deactivate(NULL)",
      expected: .rows(["not_logged_in"]), except: [.mallorysToken: .rows(["wrong_password"])]),
    Attack(
      name: "deactivate of 1 MiB", sql: "SELECT buddy_api.deactivate(\(megabyte))",
      expected: .rows(["not_logged_in"]), except: [.mallorysToken: .rows(["wrong_password"])]),
    Attack(
      name: "deactivate with SQL",
      sql: "SELECT buddy_api.deactivate(''' OR true; --')",
      expected: .rows(["not_logged_in"]), except: [.mallorysToken: .rows(["wrong_password"])]),

    // Internal helpers: no EXECUTE.
    Attack(
      name: "token_digest()",
      sql: "SELECT encode(buddy_api.token_digest('{vera_token_digest}'), 'hex')",
      expected: .fails("42501")),
    Attack(
      name: "connection_token_digest()",
      sql: "SELECT encode(buddy_api.connection_token_digest(), 'hex')", expected: .fails("42501")),
    Attack(
      name: "password_matches()",
      sql: "SELECT buddy_api.password_matches('x', '\(wellFormedHash)')::text",
      expected: .fails("42501")),
    Attack(
      name: "buddy_set_updated_at()", sql: "SELECT buddy_set_updated_at()::text",
      expected: .fails("42501")),

    // Account lifecycle (schema v5) with claims that are no password proof.
    Attack(
      name: "delete_account with a forged claim",
      sql: "SELECT outcome FROM buddy_api.delete_account(repeat('ab', 32))",
      expected: .rows(["not_logged_in"]), except: [.mallorysToken: .rows(["wrong_password"])]),
    Attack(
      name: "delete_account with shadowed helpers", setup: shadowing,
      sql: "SELECT outcome FROM buddy_api.delete_account(repeat('ab', 32))",
      expected: .rows(["not_logged_in"])),
    Attack(
      name: "reactivate with a forged claim",
      sql: "SELECT outcome FROM buddy_api.reactivate(repeat('ab', 32))",
      expected: .rows(["unknown_claim"])),
    Attack(
      name: "reactivate with shadowed helpers", setup: shadowing,
      sql: "SELECT outcome FROM buddy_api.reactivate(repeat('ab', 32))",
      expected: .rows(["unknown_claim"])),
  ]

  // MARK: - Tests

  @Test(arguments: Stance.allCases)
  func everyStatementFailsOrSeesNothingOfVeras(_ stance: Stance) throws {
    let field = try Battlefield.make()
    defer { field.close() }
    let initial = try field.snapshot()
    for attack in Self.corpus {
      try run(attack, as: stance, on: field)
    }
    #expect(try field.snapshot() == initial)
    #expect(
      try field.world.count("SELECT count(*) FROM workouts WHERE user_id = $1", [field.vera.id])
        == 3)
  }

  /// A claim is the secret of one login attempt: its SHA-256 (which an administrator can read),
  /// a near miss or a random value is no claim.
  @Test func claimsOfOtherAttemptsAreUnknown() throws {
    let world = try ClientRoleFixture()
    defer { world.close() }
    let vera = try world.member("vera")
    let mallory = try world.member("mallory")
    let verasConnection = try world.client()
    let pending = try Self.login(verasConnection, "vera", vera.password)
    let claim = try #require(pending.claim)
    let claimDigest = try world.admin.query(
      """
      SELECT encode(claim_sha256, 'hex') FROM login_attempts
      WHERE user_id = $1 AND claim_sha256 IS NOT NULL
      """, [vera.id])[0].decode(0, as: String.self)
    let nearMiss = String(claim.dropLast()) + (claim.hasSuffix("0") ? "1" : "0")
    let attacker = try world.client(mallory.token)
    for forged in [claimDigest, claimDigest.uppercased(), nearMiss, SessionToken.random().hex] {
      #expect(try Self.loginResult(attacker, forged) == "unknown_claim")
    }
    // The claim was live all along: Vera redeems it.
    #expect(try Self.loginResult(verasConnection, claim) == "success")
  }

  /// Five wrong passwords for Vera through SQL lock her account: the sixth attempt, and then the
  /// right password too, are throttled without a check.
  @Test func theSixthWrongLoginIsThrottledAndThenSoIsTheRightPassword() throws {
    let world = try ClientRoleFixture()
    defer { world.close() }
    let vera = try world.member("vera")
    let before = try Self.snapshot(world.admin, of: vera.id)
    let attacker = try world.client(try world.member("mallory").token)
    for guess in 1...5 {
      let attempt = try Self.login(attacker, "vera", "guess-\(guess)")
      #expect(attempt.outcome == "checked")
      #expect(try Self.loginResult(attacker, try #require(attempt.claim)) == "wrong_credentials")
    }
    let sixth = try Self.login(attacker, "vera", "guess-6")
    #expect(sixth.outcome == "throttled")
    #expect(sixth.claim == nil)
    #expect(try #require(sixth.lockedUntil) > Date().addingTimeInterval(14 * 60))
    for identifier in ["vera", "VERA@example.org"] {
      let right = try Self.login(attacker, identifier, vera.password)
      #expect(right.outcome == "throttled")
      #expect(right.claim == nil)
    }
    #expect(try Self.snapshot(world.admin, of: vera.id) == before)
  }

  /// The rollback trick: a claim cannot be redeemed in the transaction that made it, nor from
  /// another connection before that transaction commits, nor after it rolls back.
  @Test func noSessionWithoutACommittedAttempt() throws {
    let world = try ClientRoleFixture()
    defer { world.close() }
    let vera = try world.member("vera")
    let before = try Self.snapshot(world.admin, of: vera.id)
    let attempts = try world.count("SELECT count(*) FROM login_attempts")
    let attacker = try world.client()
    let bystander = try world.client()
    try attacker.query("BEGIN")
    let attempt = try Self.login(attacker, "vera", vera.password)
    let claim = try #require(attempt.claim)
    #expect(try Self.loginResult(attacker, claim) == "unknown_claim")
    #expect(try Self.loginResult(bystander, claim) == "unknown_claim")
    try attacker.query("ROLLBACK")
    #expect(try Self.loginResult(attacker, claim) == "unknown_claim")
    #expect(try Self.loginResult(bystander, claim) == "unknown_claim")
    #expect(try world.count("SELECT count(*) FROM login_attempts") == attempts)
    #expect(try Self.snapshot(world.admin, of: vera.id) == before)
  }

  /// Inside one transaction that is then rolled back (so no attempt is ever recorded), the
  /// outcomes of further logins must not depend on whether a guess was right: otherwise a
  /// client guesses without limit, the throttle reading its uncommitted attempts as the answer.
  @Test func aRolledBackTransactionCannotTellWhetherAPasswordWasRight() throws {
    let world = try ClientRoleFixture()
    defer { world.close() }
    let vera = try world.member("vera")
    let attempts = try world.count("SELECT count(*) FROM login_attempts")
    let attacker = try world.client()
    func outcomes(guessing guess: String) throws -> [String] {
      try attacker.query("BEGIN")
      defer { _ = try? attacker.query("ROLLBACK") }
      var outcomes: [String] = []
      for password in ["wrong-1", "wrong-2", "wrong-3", "wrong-4", guess, "wrong-6"] {
        do {
          outcomes.append(try Self.login(attacker, "vera", password).outcome)
        } catch let error as PostgresError {
          outcomes.append("error \(error.sqlState ?? "")")
          break
        }
      }
      return outcomes
    }
    let afterAWrongGuess = try outcomes(guessing: "not her password")
    let afterTheRightGuess = try outcomes(guessing: vera.password)
    #expect(
      afterAWrongGuess == afterTheRightGuess,
      "the last login tells a right guess from a wrong one in a rolled-back transaction")
    #expect(try world.count("SELECT count(*) FROM login_attempts") == attempts)
  }

  // MARK: - Running an attack

  /// Runs `attack` as `stance` on a fresh connection and records every way it leaks or breaks
  /// its expectation.
  private func run(_ attack: Attack, as stance: Stance, on field: Battlefield) throws {
    try field.restoreStage()
    let before = try field.snapshot()
    let label = "\(attack.name) [\(stance.rawValue)]"
    let (connection, backend) = try field.attacker(stance)
    defer { field.end(connection, backend: backend) }
    for step in attack.setup {
      do {
        try connection.query(field.fill(step))
      } catch {
        Issue.record("\(label): setup failed: \(step): \(error)")
        return
      }
    }
    var seen: [String] = []
    var failure: PostgresError?
    do {
      let rows = try connection.query(field.fill(attack.sql))
      seen = try Self.texts(rows)
      if attack.dumpsEachListedRelation {
        seen += try dump(relations: seen, on: connection, label)
      }
    } catch let error as PostgresError where error.sqlState != nil {
      failure = error
    }
    switch (attack.except[stance] ?? attack.expected, failure) {
    case (.fails(let state), let error?):
      #expect(error.sqlState == state, "\(label): \(error)")
    case (.fails(let state), nil):
      Issue.record("\(label): should fail with \(state), returned \(seen)")
    case (_, let error?):
      Issue.record("\(label): failed with \(error.sqlState ?? "") \(error)")
    case (.rows(let expected), nil):
      #expect(seen == expected.map(field.fill), "\(label)")
    case (.harmless, nil):
      break
    }
    let said = seen + [failure?.message, failure?.detail].compactMap { $0 }
    for leak in field.leaks(in: said) {
      Issue.record("\(label) revealed \(leak)")
    }
    #expect(try field.snapshot() == before, "\(label) changed Vera's data or a protection")
  }

  /// Dumps each listed relation as text; the listing must hold the client's tables and none
  /// that only the definer functions may read.
  private func dump(relations: [String], on connection: PostgresConnection, _ label: String)
    throws -> [String]
  {
    let names = Set(relations.map { $0.hasPrefix("public.") ? String($0.dropFirst(7)) : $0 })
    #expect(names.isSuperset(of: ["workouts", "user_settings", "schema_migrations"]), "\(label)")
    #expect(names.isDisjoint(with: ["users", "sessions", "login_attempts"]), "\(label)")
    var seen: [String] = []
    for relation in relations {
      do {
        seen += try Self.texts(connection.query("SELECT t::text FROM \(relation) t"))
      } catch {
        Issue.record("\(label): \(relation) is listed as readable but: \(error)")
      }
    }
    return seen
  }

  /// Every row as its columns' text joined by "|", NULL as "NULL".
  private static func texts(_ rows: PostgresRows) throws -> [String] {
    try rows.all.map { row in
      try (0..<rows.columnCount).map { try row.decode($0, as: String?.self) ?? "NULL" }
        .joined(separator: "|")
    }
  }

  /// Vera's user row, workouts, settings and valid sessions, and what protects them (owners,
  /// privileges, row-level security, policies, functions, triggers, rules, schemas), as the
  /// administrator reads them.
  private static func snapshot(_ admin: PostgresConnection, of user: UUID) throws -> [String] {
    try admin.query(
      """
      SELECT 'user ' || u::text FROM users u WHERE u.id = $1
      UNION ALL SELECT 'workout ' || w::text FROM workouts w WHERE w.user_id = $1
      UNION ALL SELECT 'settings ' || s::text FROM user_settings s WHERE s.user_id = $1
      UNION ALL SELECT 'session ' || s::text FROM sessions s
        WHERE s.user_id = $1 AND s.expires_at > now()
      UNION ALL SELECT format('relation %s owner %s acl %s rls %s force %s', c.oid::regclass,
          c.relowner::regrole, c.relacl, c.relrowsecurity, c.relforcerowsecurity)
        FROM pg_class c
        WHERE c.relnamespace IN ('public'::regnamespace, 'buddy_api'::regnamespace,
          'buddy_crypto'::regnamespace)
      UNION ALL SELECT format('policy %s on %s for %s to %s using %s check %s', p.polname,
          p.polrelid::regclass, p.polcmd, p.polroles::regrole[],
          pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid))
        FROM pg_policy p
      UNION ALL SELECT format('function %s owner %s definer %s acl %s config %s body %s',
          f.oid::regprocedure, f.proowner::regrole, f.prosecdef, f.proacl, f.proconfig,
          md5(f.prosrc))
        FROM pg_proc f WHERE f.pronamespace IN ('public'::regnamespace, 'buddy_api'::regnamespace)
      UNION ALL SELECT format('trigger %s on %s', t.tgname, t.tgrelid::regclass)
        FROM pg_trigger t WHERE NOT t.tgisinternal
      UNION ALL SELECT format('rule %s on %s', r.rulename, r.ev_class::regclass)
        FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
        WHERE c.relnamespace = 'public'::regnamespace
      UNION ALL SELECT format('schema %s owner %s acl %s', n.nspname, n.nspowner::regrole,
          n.nspacl)
        FROM pg_namespace n WHERE n.nspname !~ '^pg_(toast_)?temp_'
      UNION ALL SELECT format('extension %s', e.extname) FROM pg_extension e
      UNION ALL SELECT format('database acl %s', d.datacl) FROM pg_database d
        WHERE d.datname = current_database()
      ORDER BY 1
      """, [user]
    ).all.map { try $0.decode(0, as: String.self) }
  }

  /// Step 1 of a login through SQL.
  private static func login(
    _ connection: PostgresConnection, _ identifier: String, _ password: String
  )
    throws -> (outcome: String, claim: String?, lockedUntil: Date?)
  {
    let row = try connection.query(
      "SELECT outcome, claim, locked_until FROM buddy_api.login($1, $2, 'attack')",
      [identifier, password])[0]
    return (try row.decode(0), try row.decode(1), try row.decode(2))
  }

  /// The outcome of step 2 of a login through SQL.
  private static func loginResult(_ connection: PostgresConnection, _ claim: String) throws
    -> String
  {
    try connection.query("SELECT outcome FROM buddy_api.login_result($1)", [claim])[0].decode(0)
  }

  // MARK: - The stage

  /// Vera (the victim: three workouts and a settings row inserted by the administrator, a valid
  /// session, one she logged out of and one expired) and Mallory (the attacker, with a workout
  /// of her own) on a fresh database with planner statistics; closed by `close()`.
  private struct Battlefield {
    let world: ClientRoleFixture
    let vera: ClientRoleFixture.Member
    let mallory: ClientRoleFixture.Member
    let malloryWorkout: UUID
    let revokedToken: SessionToken
    let expiredToken: SessionToken
    let expiredSession: UUID
    let verasTokenDigest: String
    /// Vera's own connection, left open (what pg_stat_activity shows of it).
    let verasConnection: PostgresConnection
    let placeholders: [String: String]
    /// Lower-case strings of Vera's that no attack may return.
    let markers: [String]

    static func make() throws -> Battlefield {
      let world = try ClientRoleFixture()
      do {
        return try Battlefield(world: world)
      } catch {
        world.close()
        throw error
      }
    }

    private init(world: ClientRoleFixture) throws {
      self.world = world
      let admin = world.admin
      vera = try world.member("vera")
      mallory = try world.member("mallory")

      // A session Vera ends with logout(), and one the administrator lets expire.
      let accounts = AccountStore(connection: try world.client())
      revokedToken = try accounts.login(identifier: "vera", password: vera.password, label: "gone")
        .token
      let revoker = try world.client(revokedToken)
      #expect(try AccountStore(connection: revoker).currentUserID() == vera.id)
      #expect(try revoker.query("SELECT buddy_api.logout()")[0].decode(0, as: Bool.self))
      #expect(try AccountStore(connection: revoker).currentUserID() == nil)
      expiredToken = try accounts.login(identifier: "vera", password: vera.password, label: "old")
        .token
      let expiring = try world.client(expiredToken)
      #expect(try AccountStore(connection: expiring).currentUserID() == vera.id)
      expiredSession = try admin.query(
        """
        UPDATE sessions SET created_at = now() - interval '2 days',
          expires_at = now() - interval '1 second'
        WHERE token_sha256 = $1 RETURNING id
        """, [expiredToken.digest])[0].decode(0, as: UUID.self)
      #expect(try AccountStore(connection: expiring).currentUserID() == nil)

      var verasWorkouts: [UUID] = []
      for index in 0..<3 {
        verasWorkouts.append(
          try admin.query(
            """
            INSERT INTO workouts (user_id, exercise_type, reps_count, duration_seconds,
              calories_burned, details, source_digest)
            VALUES ($1, $2, $3, $4, 4.5, $5::jsonb, $6) RETURNING id
            """,
            [
              vera.id, index == 1 ? "jump-rope" : "push-up", 10 + index, 60 * (index + 1),
              "{\"note\": \"vera-secret-\(index)\"}",
              [UInt8](repeating: UInt8(index + 1), count: 32),
            ])[0].decode(0, as: UUID.self))
      }
      try admin.query(
        """
        INSERT INTO user_settings (user_id, weight_kg, time_zone, week_start)
        VALUES ($1, 61.25, 'Pacific/Chatham', 'sunday')
        """, [vera.id])
      malloryWorkout = UUID()
      try world.client(mallory.token).query(
        """
        INSERT INTO workouts (id, user_id, exercise_type, reps_count, duration_seconds)
        VALUES ($1, $2, 'jump-rope', 50, 30)
        """, [malloryWorkout, mallory.id])

      // Planner statistics, extended ones included, that hold Vera's email.
      try admin.query(
        "CREATE STATISTICS public.users_peek (ndistinct, dependencies, mcv) "
          + "ON email, username FROM public.users")
      try admin.query(
        "CREATE STATISTICS public.users_expression_peek ON lower(email::text), username "
          + "FROM public.users")
      try admin.query(
        "CREATE STATISTICS public.workouts_peek ON user_id, exercise_type FROM public.workouts")
      try admin.query("ANALYZE")
      for view in ["pg_stats", "pg_stats_ext", "pg_stats_ext_exprs"] {
        #expect(
          try world.count(
            "SELECT count(*) FROM \(view) t WHERE strpos(t::text, $1) > 0", [vera.email]) > 0,
          "the administrator should see Vera's email in \(view)")
      }

      let session = try admin.query(
        """
        SELECT id, encode(token_sha256, 'hex') FROM sessions
        WHERE user_id = $1 AND expires_at > now()
        """, [vera.id])
      #expect(session.count == 1)
      let verasSession = try session[0].decode(0, as: UUID.self)
      verasTokenDigest = try session[0].decode(1, as: String.self)
      #expect(verasTokenDigest == vera.token.digest.map { String(format: "%02x", $0) }.joined())
      let hash = try admin.query("SELECT hashed_password FROM users WHERE id = $1", [vera.id])[0]
        .decode(0, as: String.self)
      let superuser = try admin.query("SELECT current_user::text")[0].decode(0, as: String.self)
      #expect(superuser.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" })

      // Vera's own connection sees her rows (so seeing none is the policy, not an empty table).
      verasConnection = try world.client(vera.token)
      #expect(
        try verasConnection.query("SELECT w::text FROM workouts w WHERE w.user_id = $1", [vera.id])
          .count == 3)
      #expect(try verasConnection.query("SELECT s::text FROM user_settings s").count == 1)

      placeholders = [
        "{vera_id}": vera.id.uuidString.lowercased(),
        "{vera_email}": vera.email,
        "{vera_workout}": verasWorkouts[0].uuidString.lowercased(),
        "{vera_source_digest}": String(repeating: "01", count: 32),
        "{vera_session}": verasSession.uuidString.lowercased(),
        "{vera_token_digest}": verasTokenDigest,
        "{mallory_id}": mallory.id.uuidString.lowercased(),
        "{mallory_workout}": malloryWorkout.uuidString.lowercased(),
        "{superuser}": superuser,
      ]
      markers =
        [
          vera.id.uuidString, vera.email, verasSession.uuidString, expiredSession.uuidString,
          vera.token.hex, revokedToken.hex, expiredToken.hex, verasTokenDigest, hash,
          "vera-secret", "pacific/chatham", "$2a$", "$2b$", "$2y$",
        ].map { $0.lowercased() } + verasWorkouts.map { $0.uuidString.lowercased() }
    }

    func close() {
      verasConnection.close()
      world.close()
    }

    /// The session token `stance` sets, or nil for none.
    func token(for stance: Stance) -> String? {
      switch stance {
      case .noToken: return nil
      case .mallorysToken: return mallory.token.hex
      case .randomToken: return SessionToken.random().hex
      case .verasTokenDigest: return verasTokenDigest
      case .verasRevokedToken: return revokedToken.hex
      case .verasExpiredToken: return expiredToken.hex
      case .sqlAsToken: return "' OR true; --"
      }
    }

    /// A fresh client connection acting for the token of `stance`, and its server process id.
    func attacker(_ stance: Stance) throws -> (PostgresConnection, Int32) {
      let connection = try world.client()
      if let token = token(for: stance) {
        try connection.query("SELECT set_config('buddy.session_token', $1, false)", [token])
      }
      let backend = try connection.query("SELECT pg_backend_pid()")[0].decode(0, as: Int32.self)
      return (connection, backend)
    }

    /// Closes an attacker's connection and waits (up to 5 s) until its server process is gone,
    /// so that the next attack's pg_stat_activity does not show this one's statement.
    func end(_ connection: PostgresConnection, backend: Int32) {
      connection.close()
      for _ in 0..<1000 {
        let alive = try? world.count(
          "SELECT count(*) FROM pg_stat_activity WHERE pid = $1", [Int(backend)])
        if alive != 1 { return }
        usleep(5000)
      }
    }

    /// Puts back what an earlier attack may legitimately have changed: Mallory's session, her
    /// workout and her account, and Vera's expired session (which logout() with its token ends).
    func restoreStage() throws {
      try world.admin.query(
        """
        INSERT INTO sessions (user_id, token_sha256, label, expires_at)
        VALUES ($1, $2, 'test', now() + interval '30 days') ON CONFLICT (token_sha256) DO NOTHING
        """, [mallory.id, mallory.token.digest])
      try world.admin.query(
        "UPDATE workouts SET user_id = $2 WHERE id = $1 AND user_id <> $2",
        [malloryWorkout, mallory.id])
      try world.admin.query(
        """
        INSERT INTO workouts (id, user_id, exercise_type, reps_count, duration_seconds)
        SELECT $1, $2, 'jump-rope', 50, 30
        WHERE NOT EXISTS (SELECT 1 FROM workouts WHERE id = $1)
        """, [malloryWorkout, mallory.id])
      try world.admin.query(
        "UPDATE users SET is_active = true WHERE id = $1 AND NOT is_active", [mallory.id])
      try world.admin.query(
        """
        INSERT INTO sessions (id, user_id, token_sha256, label, created_at, expires_at)
        VALUES ($1, $2, $3, 'old', now() - interval '2 days', now() - interval '1 second')
        ON CONFLICT (id) DO NOTHING
        """, [expiredSession, vera.id, expiredToken.digest])
    }

    func snapshot() throws -> [String] {
      try ClientRoleAttackTests.snapshot(world.admin, of: vera.id)
    }

    /// `sql` with its placeholders filled in.
    func fill(_ sql: String) -> String {
      placeholders.reduce(sql) { $0.replacingOccurrences(of: $1.key, with: $1.value) }
    }

    /// The markers of Vera's found in `texts` (the hash an attack itself sent may come back in
    /// the detail of a constraint error on the row it proposed).
    func leaks(in texts: [String]) -> [String] {
      let text = texts.joined(separator: "\n").lowercased()
        .replacingOccurrences(of: ClientRoleAttackTests.wellFormedHash.lowercased(), with: "")
      return markers.filter { text.contains($0) }
    }
  }
}
