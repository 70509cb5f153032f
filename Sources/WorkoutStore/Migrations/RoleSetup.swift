/// The two cluster-wide roles every migrated database relies on, made before any migration runs.
///
/// - `buddy_owner` (NOLOGIN) owns every schema object, so the `SECURITY DEFINER` API functions run
///   with that role's rights only, never a superuser's.
/// - `buddy_clients` (NOLOGIN) holds what a user's connection may do: EXECUTE on the API
///   functions, and rows of the per-user tables under row-level security. Login roles handed to
///   users (`buddy server init --client-role`, `buddy_client` on the private cluster) are its
///   members and own nothing.
///
/// Roles belong to the cluster, so several databases share them; the script creates what is
/// missing, takes away rights a role made by hand may have (LOGIN, SUPERUSER, BYPASSRLS…), and
/// changes nothing otherwise. Two databases migrated at once may both try to create a
/// role: the loser's duplicate error is caught and the role the winner made is used.
/// A non-superuser administrator (CREATEROLE and owner of the database) becomes a member of
/// `buddy_owner`, which PostgreSQL requires to hand objects to it and to act as it.
public enum RoleSetup {
  /// The NOLOGIN role that owns every schema object.
  public static let ownerRole = "buddy_owner"
  /// The NOLOGIN group whose members (the client login roles) may use the account API and
  /// their own rows.
  public static let clientGroup = "buddy_clients"

  static let sql: StaticString = """
    DO $roles$
    DECLARE
      wanted text;
    BEGIN
      FOREACH wanted IN ARRAY ARRAY['buddy_owner', 'buddy_clients'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = wanted) THEN
          BEGIN
            EXECUTE format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE '
              'NOINHERIT NOREPLICATION NOBYPASSRLS', wanted);
          EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;  -- made meanwhile by a migration of another database
          END;
        ELSIF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = wanted
          AND (rolcanlogin OR rolsuper OR rolcreatedb OR rolcreaterole OR rolreplication
            OR rolbypassrls))
        THEN
          -- Someone made it by hand with more rights than it may have: take them away.
          BEGIN
            EXECUTE format('ALTER ROLE %I NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE '
              'NOREPLICATION NOBYPASSRLS', wanted);
          EXCEPTION WHEN internal_error THEN
            NULL;  -- "tuple concurrently updated": another migration is doing the same
          END;
        END IF;
      END LOOP;
      IF NOT (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user)
        AND NOT pg_catalog.pg_has_role(current_user, 'buddy_owner', 'MEMBER')
      THEN
        BEGIN
          GRANT buddy_owner TO CURRENT_USER;
        EXCEPTION WHEN unique_violation THEN
          NULL;
        END;
      END IF;
    END
    $roles$
    """
}
