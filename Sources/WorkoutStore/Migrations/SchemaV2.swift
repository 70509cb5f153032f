/// Version 2: the database keeps users apart by itself, for a client role that holds a database
/// credential of its own (see ARCHITECTURE.md, "The database keeps people apart").
///
/// - Every object is handed to the NOLOGIN `buddy_owner` (made by `RoleSetup`).
/// - `users`, `sessions` and `login_attempts` are reachable for `buddy_clients` only through the
///   `SECURITY DEFINER` functions of schema `buddy_api`; passwords are checked there (pgcrypto's
///   bcrypt, so no hash ever leaves the server), with throttling serialised per account.
/// - `workouts` and `user_settings` are under row-level security: a row is visible and writable
///   only when its `user_id` is the user of the session whose token the connection set with
///   `set_config('buddy.session_token', …)`.
/// - Each definer function pins `search_path` with `pg_temp` last, so a client's temporary table
///   or function cannot shadow what it uses; EXECUTE is revoked from PUBLIC.
///
/// Tables, columns and `login_attempts` outcomes are unchanged: v1 hashes (`$2b$`) verify (as
/// `$2a$`, the same algorithm for passwords under 256 bytes), sessions stay valid.
let schemaV2: StaticString = #"""
  -- pgcrypto (trusted extension) for bcrypt and random tokens: reuse it where it is, else put it
  -- in a schema of its own.
  CREATE SCHEMA IF NOT EXISTS buddy_crypto AUTHORIZATION buddy_owner;
  REVOKE ALL ON SCHEMA buddy_crypto FROM PUBLIC;
  DO $check$
  DECLARE
    home text;
  BEGIN
    SELECT n.nspname INTO home FROM pg_catalog.pg_extension e
      JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pgcrypto';
    IF home IS NOT NULL AND home NOT IN ('public', 'buddy_crypto') THEN
      RAISE EXCEPTION 'pgcrypto is installed in schema %, buddy expects public or buddy_crypto', home;
    END IF;
  END
  $check$;
  CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA buddy_crypto;

  CREATE SCHEMA buddy_api AUTHORIZATION buddy_owner;
  REVOKE ALL ON SCHEMA buddy_api FROM PUBLIC;

  -- The owner takes over every object; nobody but it may create in public.
  GRANT USAGE, CREATE ON SCHEMA public TO buddy_owner;
  REVOKE CREATE ON SCHEMA public FROM PUBLIC;
  ALTER TABLE public.users OWNER TO buddy_owner;
  ALTER TABLE public.workouts OWNER TO buddy_owner;
  ALTER TABLE public.sessions OWNER TO buddy_owner;
  ALTER TABLE public.login_attempts OWNER TO buddy_owner;
  ALTER TABLE public.user_settings OWNER TO buddy_owner;
  ALTER TABLE public.schema_migrations OWNER TO buddy_owner;
  ALTER FUNCTION public.buddy_set_updated_at() OWNER TO buddy_owner;

  -- Login claims (see buddy_api.login): added columns, nothing renamed.
  ALTER TABLE public.login_attempts
    ADD COLUMN claim_sha256 bytea CHECK (claim_sha256 IS NULL OR octet_length(claim_sha256) = 32),
    ADD COLUMN claim_label varchar(255),
    ADD COLUMN attempt_xact bigint;
  CREATE UNIQUE INDEX idx_login_attempts_claim ON public.login_attempts (claim_sha256)
    WHERE claim_sha256 IS NOT NULL;
  CREATE INDEX idx_login_attempts_xact ON public.login_attempts (attempt_xact)
    WHERE attempt_xact IS NOT NULL;

  -- Usernames become unique without regard to letter case, like emails. Names that already
  -- differ only in case keep working: every such name but the oldest is marked a clash and left
  -- out of the unique index, and logs in by its exact spelling.
  ALTER TABLE public.users ADD COLUMN username_clash boolean NOT NULL DEFAULT false;
  UPDATE public.users u SET username_clash = true
  WHERE EXISTS (
    SELECT 1 FROM public.users o
    WHERE lower(o.username) = lower(u.username) AND (o.created_at, o.id) < (u.created_at, u.id));
  CREATE UNIQUE INDEX idx_users_username_ci ON public.users (lower(username))
    WHERE NOT username_clash;
  CREATE INDEX idx_users_username_lower ON public.users (lower(username));

  SET LOCAL ROLE buddy_owner;
  ALTER DEFAULT PRIVILEGES FOR ROLE buddy_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
  REVOKE ALL ON public.users, public.workouts, public.sessions, public.login_attempts,
    public.user_settings, public.schema_migrations FROM PUBLIC;
  REVOKE EXECUTE ON FUNCTION public.buddy_set_updated_at() FROM PUBLIC;

  -- Helpers (not callable by clients).

  -- SHA-256 of a 64-hex-digit token; NULL for anything else.
  CREATE FUNCTION buddy_api.token_digest(token text) RETURNS bytea
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
    SELECT CASE WHEN octet_length(token) = 64 AND token ~ '^[0-9a-fA-F]{64}$'
      THEN sha256(decode(token, 'hex')) END
  $$;

  -- The digest of the token this connection set (`buddy.session_token`), or NULL.
  CREATE FUNCTION buddy_api.connection_token_digest() RETURNS bytea
  LANGUAGE sql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
    SELECT buddy_api.token_digest(current_setting('buddy.session_token', true))
  $$;

  -- Whether `password` matches the bcrypt `hash` ($2a$, $2b$ or $2y$: pgcrypto computes $2b$
  -- and $2y$ hashes under the $2a$ name, identical for passwords under 256 bytes).
  CREATE FUNCTION buddy_api.password_matches(password text, hash text) RETURNS boolean
  LANGUAGE sql VOLATILE
  SET search_path = pg_catalog, public, buddy_crypto, pg_temp
  AS $$
    SELECT coalesce(octet_length(password) BETWEEN 1 AND 72
      AND crypt(password, setting) = setting, false)
    FROM (SELECT CASE WHEN hash ~ '^\$2[aby]\$[0-9]{2}\$[./A-Za-z0-9]{53}$'
      THEN '$2a$' || substr(hash, 5) END AS setting) normalized
  $$;

  -- The active user whose unexpired session has the connection's token; NULL otherwise.
  -- Row-level security calls it once per statement (`(SELECT buddy_api.current_account_id())`).
  CREATE FUNCTION buddy_api.current_account_id() RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE
  SET search_path = pg_catalog, public, buddy_api, pg_temp
  AS $$
    SELECT s.user_id FROM public.sessions s JOIN public.users u ON u.id = s.user_id
    WHERE s.token_sha256 = buddy_api.connection_token_digest()
      AND s.expires_at > now() AND u.is_active
  $$;

  -- Accounts.

  -- Creates an active account from a bcrypt cost-12 hash made by the client.
  CREATE FUNCTION buddy_api.register(p_email text, p_username text, p_password_hash text)
  RETURNS TABLE (id uuid, email text, username text, is_active boolean, created_at timestamptz)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, public, buddy_api, pg_temp
  AS $$
  #variable_conflict use_column
  BEGIN
    IF p_email IS NULL OR p_username IS NULL OR octet_length(p_email) > 1020
      OR octet_length(p_username) > 200
    THEN
      RAISE EXCEPTION 'email and username are required (at most 255 and 50 characters)'
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_password_hash IS NULL
      OR p_password_hash !~ '^\$2[aby]\$12\$[./A-Za-z0-9]{53}$'
    THEN
      RAISE EXCEPTION 'the password must arrive as a bcrypt hash of cost 12'
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF EXISTS (SELECT 1 FROM public.users u WHERE lower(u.username) = lower(p_username)) THEN
      RAISE EXCEPTION 'that username is taken'
        USING ERRCODE = 'unique_violation', CONSTRAINT = 'idx_users_username';
    END IF;
    IF EXISTS (SELECT 1 FROM public.users u WHERE lower(u.email) = lower(p_email)) THEN
      RAISE EXCEPTION 'an account with that email address already exists'
        USING ERRCODE = 'unique_violation', CONSTRAINT = 'idx_users_email';
    END IF;
    RETURN QUERY
      INSERT INTO public.users AS u (email, username, hashed_password)
      VALUES (p_email, p_username, p_password_hash)
      RETURNING u.id, u.email::text, u.username::text, u.is_active, u.created_at;
  END
  $$;

  -- Login, in two steps so that no attempt goes unrecorded: a client cannot learn whether a
  -- password was right and then roll the record of its attempt back (inside a transaction, or by
  -- failing the statement that called the check).
  --
  -- Step 1, login(): checks the password and records the attempt with its true outcome and the
  -- SHA-256 of a random claim, but returns only the claim (or 'throttled'); the outcome is
  -- known only once the attempt is committed. Attempts on one account are serialised by a row
  -- lock on the account (an advisory lock on the lower-cased name when there is no account),
  -- held until commit, so at most 5 passwords per account are checked in any 15 minutes,
  -- however many arrive at once. An unknown user costs the same bcrypt time.
  CREATE FUNCTION buddy_api.login(p_identifier text, p_password text, p_label text)
  RETURNS TABLE (outcome text, claim text, locked_until timestamptz)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, public, buddy_crypto, buddy_api, pg_temp
  SET lock_timeout = '10s'
  AS $$
  #variable_conflict use_column
  DECLARE
    max_failures constant integer := 5;
    failure_window constant interval := interval '15 minutes';
    lockout constant interval := interval '15 minutes';
    equaliser constant text := '$2a$12$3xkhHSTROOW8ZsM/dqidDuZg8K6cT59Tr.FXDmgzXviYRIv5vYRkW';
    login_key text := left(lower(coalesce(p_identifier, '')), 255);
    account public.users%ROWTYPE;
    failures timestamptz[];
    verdict text;
    secret bytea := gen_random_bytes(32);
  BEGIN
    -- One login per transaction: otherwise the throttle, which counts this transaction's own
    -- attempts, would tell a right password (a success resets the count) from a wrong one
    -- before everything is rolled back.
    IF EXISTS (SELECT 1 FROM public.login_attempts a WHERE a.attempt_xact = txid_current()) THEN
      RAISE EXCEPTION 'one login per transaction' USING ERRCODE = 'active_sql_transaction';
    END IF;
    IF octet_length(p_identifier) <= 1020 THEN
      -- Username or email in any letter case; of names that differ only in case (from before
      -- v2), the exact spelling wins, else the oldest.
      SELECT * INTO account FROM public.users u
      WHERE lower(u.username) = lower(p_identifier) OR lower(u.email) = lower(p_identifier)
      ORDER BY u.username = p_identifier DESC, lower(u.username) = lower(p_identifier) DESC,
        u.username_clash, u.created_at
      LIMIT 1
      FOR NO KEY UPDATE;
    END IF;
    IF account.id IS NULL THEN
      PERFORM pg_advisory_xact_lock(1651860601, hashtext(login_key));
    END IF;

    SELECT array_agg(f.attempted_at ORDER BY f.attempted_at DESC) INTO failures
    FROM (
      SELECT a.attempted_at FROM public.login_attempts a
      WHERE CASE WHEN account.id IS NULL THEN a.user_id IS NULL AND a.identifier = login_key
            ELSE a.user_id = account.id END
        AND a.outcome IN ('wrong_password', 'unknown_user')
        AND a.attempted_at > coalesce((
          SELECT max(b.attempted_at) FROM public.login_attempts b
          WHERE CASE WHEN account.id IS NULL THEN b.user_id IS NULL AND b.identifier = login_key
                ELSE b.user_id = account.id END
            AND b.outcome = 'success'), '-infinity')
      ORDER BY a.attempted_at DESC LIMIT max_failures
    ) f;
    IF cardinality(failures) >= max_failures
      AND failures[1] - failures[max_failures] <= failure_window
      AND clock_timestamp() < failures[1] + lockout
    THEN
      INSERT INTO public.login_attempts (user_id, identifier, outcome, attempted_at)
      VALUES (account.id, login_key, 'throttled', clock_timestamp());
      RETURN QUERY SELECT 'throttled'::text, NULL::text, failures[1] + lockout;
      RETURN;
    END IF;

    IF NOT buddy_api.password_matches(p_password, coalesce(account.hashed_password, equaliser))
      OR account.id IS NULL
    THEN
      verdict := CASE WHEN account.id IS NULL THEN 'unknown_user' ELSE 'wrong_password' END;
    ELSIF NOT account.is_active THEN
      verdict := 'inactive';
    ELSE
      verdict := 'success';
    END IF;
    INSERT INTO public.login_attempts
      (user_id, identifier, outcome, attempted_at, claim_sha256, claim_label, attempt_xact)
    VALUES (account.id, login_key, verdict, clock_timestamp(), sha256(secret),
      left(coalesce(p_label, ''), 255), txid_current());
    RETURN QUERY SELECT 'checked'::text, encode(secret, 'hex'), NULL::timestamptz;
  END
  $$;

  -- Takes the attempt of a claim: committed by an earlier transaction, at most a minute old,
  -- usable once (the claim is cleared). NULL when there is none. Step 2 of login and the
  -- password proof of change_password/deactivate both redeem claims through it.
  CREATE FUNCTION buddy_api.redeem_claim(p_claim text) RETURNS public.login_attempts
  LANGUAGE sql VOLATILE
  SET search_path = pg_catalog, public, buddy_api, pg_temp
  AS $$
    UPDATE public.login_attempts a SET claim_sha256 = NULL
    WHERE a.claim_sha256 = buddy_api.token_digest(p_claim)
      AND a.attempt_xact <> txid_current()
      AND a.attempted_at > clock_timestamp() - interval '1 minute'
    RETURNING a.*
  $$;

  -- Step 2, login_result(): in a later transaction, turns a committed attempt's claim (at most a
  -- minute old, usable once) into its outcome: success with a new session (token valid 30
  -- days), wrong_credentials (unknown user or wrong password: one answer), inactive (only after
  -- a correct password), or unknown_claim.
  CREATE FUNCTION buddy_api.login_result(p_claim text)
  RETURNS TABLE (
    outcome text, token text,
    user_id uuid, email text, username text, is_active boolean, user_created_at timestamptz,
    session_id uuid, label text, session_created_at timestamptz, expires_at timestamptz,
    last_used_at timestamptz)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, public, buddy_crypto, buddy_api, pg_temp
  AS $$
  #variable_conflict use_column
  DECLARE
    lifetime constant interval := interval '30 days';
    attempt public.login_attempts%ROWTYPE;
    account public.users%ROWTYPE;
    secret bytea := gen_random_bytes(32);
    opened public.sessions%ROWTYPE;
    verdict text;
  BEGIN
    attempt := buddy_api.redeem_claim(p_claim);
    IF attempt.id IS NULL THEN
      verdict := 'unknown_claim';
    ELSIF attempt.outcome = 'inactive' THEN
      verdict := 'inactive';
    ELSIF attempt.outcome <> 'success' THEN
      verdict := 'wrong_credentials';
    ELSE
      SELECT * INTO account FROM public.users u WHERE u.id = attempt.user_id AND u.is_active;
      IF account.id IS NULL THEN
        verdict := 'wrong_credentials';
      ELSE
        verdict := 'success';
        INSERT INTO public.sessions AS s (user_id, token_sha256, label, expires_at)
        VALUES (account.id, sha256(secret), attempt.claim_label, now() + lifetime)
        RETURNING * INTO opened;
      END IF;
    END IF;
    -- Every field but the verdict is NULL unless the login succeeded.
    RETURN QUERY SELECT verdict, CASE WHEN opened.id IS NOT NULL THEN encode(secret, 'hex') END,
      account.id, account.email::text, account.username::text, account.is_active,
      account.created_at, opened.id, opened.label::text, opened.created_at, opened.expires_at,
      opened.last_used_at;
  END
  $$;

  -- The user and session of the connection's token, refreshing last_used_at; no row when the
  -- token is unknown, expired or revoked, or the account is deactivated.
  CREATE FUNCTION buddy_api.whoami()
  RETURNS TABLE (
    user_id uuid, email text, username text, is_active boolean, user_created_at timestamptz,
    session_id uuid, label text, session_created_at timestamptz, expires_at timestamptz,
    last_used_at timestamptz)
  LANGUAGE sql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, public, buddy_api, pg_temp
  AS $$
    UPDATE public.sessions s SET last_used_at = now() FROM public.users u
    WHERE s.token_sha256 = buddy_api.connection_token_digest() AND s.expires_at > now()
      AND u.id = s.user_id AND u.is_active
    RETURNING u.id, u.email::text, u.username::text, u.is_active, u.created_at,
      s.id, s.label::text, s.created_at, s.expires_at, s.last_used_at
  $$;

  -- Ends the connection's session (true when there was one).
  CREATE FUNCTION buddy_api.logout() RETURNS boolean
  LANGUAGE sql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, public, buddy_api, pg_temp
  AS $$
    WITH ended AS (
      DELETE FROM public.sessions s WHERE s.token_sha256 = buddy_api.connection_token_digest()
      RETURNING 1)
    SELECT count(*) > 0 FROM ended
  $$;

  -- The unexpired sessions of the connection's user, newest first.
  CREATE FUNCTION buddy_api.sessions()
  RETURNS TABLE (
    id uuid, label text, created_at timestamptz, expires_at timestamptz,
    last_used_at timestamptz, is_current boolean)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, public, buddy_api, pg_temp
  AS $$
    SELECT s.id, s.label::text, s.created_at, s.expires_at, s.last_used_at,
      s.token_sha256 = buddy_api.connection_token_digest()
    FROM public.sessions s
    WHERE s.user_id = buddy_api.current_account_id() AND s.expires_at > now()
    ORDER BY s.created_at DESC
  $$;

  -- Revokes one session of the connection's user (true when it was theirs and existed).
  CREATE FUNCTION buddy_api.revoke_session(p_id uuid) RETURNS boolean
  LANGUAGE sql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, public, buddy_api, pg_temp
  AS $$
    WITH ended AS (
      DELETE FROM public.sessions s
      WHERE s.id = p_id AND s.user_id = buddy_api.current_account_id()
      RETURNING 1)
    SELECT count(*) > 0 FROM ended
  $$;

  -- Revokes every session of the connection's user but its own; returns how many.
  CREATE FUNCTION buddy_api.revoke_other_sessions() RETURNS integer
  LANGUAGE sql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, public, buddy_api, pg_temp
  AS $$
    WITH ended AS (
      DELETE FROM public.sessions s
      WHERE s.user_id = buddy_api.current_account_id()
        AND s.token_sha256 <> buddy_api.connection_token_digest()
      RETURNING 1)
    SELECT count(*)::integer FROM ended
  $$;

  -- Takes a committed login claim of the connection's user whose password was right (step 1
  -- of login, so the check was throttled and recorded like any login), at most a minute old,
  -- usable once; true when there was one.
  CREATE FUNCTION buddy_api.redeem_own_claim(p_claim text) RETURNS boolean
  LANGUAGE sql VOLATILE
  SET search_path = pg_catalog, public, buddy_api, pg_temp
  AS $$
    SELECT coalesce(r.outcome = 'success' AND r.user_id = buddy_api.current_account_id(), false)
    FROM buddy_api.redeem_claim(p_claim) r
  $$;

  -- Replaces the password of the connection's user and revokes every other session. The current
  -- password is proven by a login claim (see redeem_own_claim), so it is checked, throttled and
  -- recorded exactly as a login. Outcomes: changed (with the number revoked), wrong_password,
  -- not_logged_in.
  CREATE FUNCTION buddy_api.change_password(p_claim text, p_new_hash text)
  RETURNS TABLE (outcome text, revoked integer)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, public, buddy_api, pg_temp
  AS $$
  #variable_conflict use_column
  DECLARE
    account uuid := buddy_api.current_account_id();
    ended integer;
  BEGIN
    IF p_new_hash IS NULL OR p_new_hash !~ '^\$2[aby]\$12\$[./A-Za-z0-9]{53}$' THEN
      RAISE EXCEPTION 'the password must arrive as a bcrypt hash of cost 12'
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF account IS NULL THEN
      RETURN QUERY SELECT 'not_logged_in'::text, 0;
      RETURN;
    END IF;
    IF NOT buddy_api.redeem_own_claim(p_claim) THEN
      RETURN QUERY SELECT 'wrong_password'::text, 0;
      RETURN;
    END IF;
    UPDATE public.users u SET hashed_password = p_new_hash WHERE u.id = account;
    DELETE FROM public.sessions s
    WHERE s.user_id = account AND s.token_sha256 <> buddy_api.connection_token_digest();
    GET DIAGNOSTICS ended = ROW_COUNT;
    RETURN QUERY SELECT 'changed'::text, ended;
  END
  $$;

  -- Deactivates the connection's user (soft delete: workouts stay), the password proven by a
  -- login claim, and revokes all its sessions. Outcomes: deactivated, wrong_password,
  -- not_logged_in.
  CREATE FUNCTION buddy_api.deactivate(p_claim text) RETURNS text
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, public, buddy_api, pg_temp
  AS $$
  DECLARE
    account uuid := buddy_api.current_account_id();
  BEGIN
    IF account IS NULL THEN
      RETURN 'not_logged_in';
    END IF;
    IF NOT buddy_api.redeem_own_claim(p_claim) THEN
      RETURN 'wrong_password';
    END IF;
    UPDATE public.users u SET is_active = false WHERE u.id = account;
    DELETE FROM public.sessions s WHERE s.user_id = account;
    RETURN 'deactivated';
  END
  $$;

  REVOKE ALL ON ALL FUNCTIONS IN SCHEMA buddy_api FROM PUBLIC;
  GRANT USAGE ON SCHEMA buddy_api TO buddy_clients;
  GRANT EXECUTE ON FUNCTION buddy_api.current_account_id(), buddy_api.register(text, text, text),
    buddy_api.login(text, text, text), buddy_api.login_result(text), buddy_api.whoami(), buddy_api.logout(),
    buddy_api.sessions(), buddy_api.revoke_session(uuid), buddy_api.revoke_other_sessions(),
    buddy_api.change_password(text, text), buddy_api.deactivate(text)
    TO buddy_clients;

  -- Per-user tables: row-level security for the clients, decided once per statement.
  GRANT SELECT ON public.schema_migrations TO buddy_clients;
  GRANT SELECT, INSERT, UPDATE, DELETE ON public.workouts, public.user_settings TO buddy_clients;
  ALTER TABLE public.workouts ENABLE ROW LEVEL SECURITY;
  ALTER TABLE public.user_settings ENABLE ROW LEVEL SECURITY;
  CREATE POLICY workouts_of_the_session_user ON public.workouts TO buddy_clients
    USING (user_id = (SELECT buddy_api.current_account_id()))
    WITH CHECK (user_id = (SELECT buddy_api.current_account_id()));
  CREATE POLICY settings_of_the_session_user ON public.user_settings TO buddy_clients
    USING (user_id = (SELECT buddy_api.current_account_id()))
    WITH CHECK (user_id = (SELECT buddy_api.current_account_id()));
  RESET ROLE;
  """#
