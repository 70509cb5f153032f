/// Version 7: reads on a standby. `buddy_api.whoami()` refreshes `sessions.last_used_at`, a
/// write a standby refuses (25006 read_only_sql_transaction); `buddy_api.whoami_unrefreshed()`
/// answers the same question without writing, for read-only commands that reached a standby of
/// a multi-host URL. The next command that writes (on the primary) refreshes `last_used_at`.
let schemaV7: StaticString = #"""
  SET LOCAL ROLE buddy_owner;

  -- The user and session of the connection's token, like whoami() but writing nothing; no row
  -- when the token is unknown, expired or revoked, or the account is deactivated.
  CREATE FUNCTION buddy_api.whoami_unrefreshed()
  RETURNS TABLE (
    user_id uuid, email text, username text, is_active boolean, user_created_at timestamptz,
    session_id uuid, label text, session_created_at timestamptz, expires_at timestamptz,
    last_used_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, public, buddy_api, pg_temp
  AS $$
    SELECT u.id, u.email::text, u.username::text, u.is_active, u.created_at,
      s.id, s.label::text, s.created_at, s.expires_at, s.last_used_at
    FROM public.sessions s JOIN public.users u ON u.id = s.user_id
    WHERE s.token_sha256 = buddy_api.connection_token_digest() AND s.expires_at > now()
      AND u.is_active
  $$;

  REVOKE ALL ON FUNCTION buddy_api.whoami_unrefreshed() FROM PUBLIC;
  GRANT EXECUTE ON FUNCTION buddy_api.whoami_unrefreshed() TO buddy_clients;
  RESET ROLE;
  """#
