/// Version 5: workout edits, reactivating and deleting accounts.
///
/// - Workout edits need nothing new: they are an `UPDATE` of the user's own row under the
///   row-level security policy of version 2, whose `WITH CHECK` keeps the row with its user.
/// - `buddy_api.reactivate(claim)`: step 2 of a login (step 1 is `buddy_api.login`, so the
///   password is checked, throttled and recorded exactly as any login) that also sets a
///   deactivated account active again, then opens a session.
/// - `buddy_api.delete_account(claim)`: the connection's user, with the password proven by a
///   login claim of their own, removes themselves and every row of theirs for good: workouts
///   (and what references them with `ON DELETE CASCADE`), settings, sessions and the login
///   attempts recorded against the account.
let schemaV5: StaticString = #"""
  SET LOCAL ROLE buddy_owner;

  -- Step 2 of a login that revives a deactivated account: redeems a committed attempt's claim
  -- (at most a minute old, usable once) whose password was right, sets the account active if it
  -- was deactivated, and opens a session (token valid 30 days). Outcomes: reactivated, active
  -- (the account was not deactivated: an ordinary login), wrong_credentials (unknown user or
  -- wrong password: one answer), unknown_claim. Every field but the verdict is NULL unless a
  -- session was opened.
  CREATE FUNCTION buddy_api.reactivate(p_claim text)
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
    ELSIF attempt.outcome NOT IN ('success', 'inactive') OR attempt.user_id IS NULL THEN
      verdict := 'wrong_credentials';
    ELSE
      UPDATE public.users u SET is_active = true
      WHERE u.id = attempt.user_id AND NOT u.is_active
      RETURNING * INTO account;
      IF account.id IS NOT NULL THEN
        verdict := 'reactivated';
      ELSE
        SELECT * INTO account FROM public.users u WHERE u.id = attempt.user_id FOR NO KEY UPDATE;
        verdict := CASE WHEN account.id IS NULL THEN 'wrong_credentials' ELSE 'active' END;
      END IF;
      IF account.id IS NOT NULL THEN
        INSERT INTO public.sessions AS s (user_id, token_sha256, label, expires_at)
        VALUES (account.id, sha256(secret), attempt.claim_label, now() + lifetime)
        RETURNING * INTO opened;
      END IF;
    END IF;
    RETURN QUERY SELECT verdict, CASE WHEN opened.id IS NOT NULL THEN encode(secret, 'hex') END,
      account.id, account.email::text, account.username::text, account.is_active,
      account.created_at, opened.id, opened.label::text, opened.created_at, opened.expires_at,
      opened.last_used_at;
  END
  $$;

  -- Deletes the connection's user for good, the password proven by a login claim of theirs
  -- (see redeem_own_claim: checked, throttled and recorded as a login), with every row of
  -- theirs, and reports how many of each went. Outcomes: deleted, wrong_password,
  -- not_logged_in (the counts are 0 unless deleted).
  CREATE FUNCTION buddy_api.delete_account(p_claim text)
  RETURNS TABLE (
    outcome text, workouts bigint, settings bigint, sessions bigint, login_attempts bigint)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, public, buddy_api, pg_temp
  AS $$
  #variable_conflict use_column
  DECLARE
    account uuid := buddy_api.current_account_id();
    gone_workouts bigint;
    gone_settings bigint;
    gone_sessions bigint;
    gone_attempts bigint;
  BEGIN
    IF account IS NULL THEN
      RETURN QUERY SELECT 'not_logged_in'::text, 0::bigint, 0::bigint, 0::bigint, 0::bigint;
      RETURN;
    END IF;
    IF NOT buddy_api.redeem_own_claim(p_claim) THEN
      RETURN QUERY SELECT 'wrong_password'::text, 0::bigint, 0::bigint, 0::bigint, 0::bigint;
      RETURN;
    END IF;
    -- The account row first: a workout inserted concurrently (its foreign key locks the row)
    -- either committed before and is counted here, or waits and then fails.
    PERFORM 1 FROM public.users u WHERE u.id = account FOR UPDATE;
    DELETE FROM public.workouts w WHERE w.user_id = account;
    GET DIAGNOSTICS gone_workouts = ROW_COUNT;
    DELETE FROM public.user_settings s WHERE s.user_id = account;
    GET DIAGNOSTICS gone_settings = ROW_COUNT;
    DELETE FROM public.sessions s WHERE s.user_id = account;
    GET DIAGNOSTICS gone_sessions = ROW_COUNT;
    DELETE FROM public.login_attempts a WHERE a.user_id = account;
    GET DIAGNOSTICS gone_attempts = ROW_COUNT;
    -- Anything else that references the account goes with it (ON DELETE CASCADE).
    DELETE FROM public.users u WHERE u.id = account;
    RETURN QUERY SELECT 'deleted'::text, gone_workouts, gone_settings, gone_sessions,
      gone_attempts;
  END
  $$;

  REVOKE ALL ON FUNCTION buddy_api.reactivate(text), buddy_api.delete_account(text) FROM PUBLIC;
  GRANT EXECUTE ON FUNCTION buddy_api.reactivate(text), buddy_api.delete_account(text)
    TO buddy_clients;
  RESET ROLE;
  """#
