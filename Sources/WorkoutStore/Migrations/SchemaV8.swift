/// Version 8: `workouts` in monthly partitions (by `created_at`, UTC months, `workouts_pYYYY_MM`)
/// plus a DEFAULT partition, so that "last 7 days" and "12 months" read only the months they
/// need and old months can be detached or dropped whole.
///
/// The populated table is converted in place in the migration's one transaction: it holds an
/// ACCESS EXCLUSIVE lock on `workouts` and `workout_landmarks` from the start to the commit
/// (reads and writes of workouts wait; well under a second for one person's workouts, 29 s for
/// 500,000 on a busy 2-core machine), makes a partition for every month that has rows and for
/// the next 12, copies the rows, and swaps the new table in under the old name.
///
/// - Ids and idempotency. A unique index of a partitioned table must hold the partition key, so
///   neither `id` alone nor `(user_id, source_digest)` can be unique on it. Both stay exact
///   through the unpartitioned ledger `workout_keys (id, user_id, created_at, source_digest)`:
///   a trigger on every partition writes it in the same statement as the row. BEFORE INSERT
///   adds the key; when the id or the user's digest is taken the insert fails with 23505, as
///   with a unique index, or, when the transaction set `buddy.duplicate_keys` to `skip` (the
///   import and restore statements do, in place of their old `ON CONFLICT DO NOTHING`), the
///   row is skipped. A concurrent insert of the same key waits for the first to commit or roll
///   back, as with a unique index. BEFORE UPDATE carries a changed key over (a taken one fails
///   with 23505), BEFORE DELETE removes it. The primary key is `(id, created_at)`.
/// - Lookup by id: the ledger maps an id to its `created_at`, so `buddy_api.workout_created_at`
///   lets a query by id read one partition (the client has no privilege on the ledger).
/// - `workout edit --at` into another month is an UPDATE that PostgreSQL runs as a DELETE from
///   the old partition and an INSERT into the new one; the ledger follows (the BEFORE INSERT
///   trigger lets in the row whose key it already holds unchanged), and kept landmarks follow
///   through their foreign key `(workout_id, user_id, workout_created_at)` →
///   `workouts (id, user_id, created_at)` ON UPDATE CASCADE (a trigger fills
///   `workout_created_at` from the ledger, so inserting landmarks is unchanged).
/// - A row of a month without a partition lands in `workouts_default`; every `buddy db migrate`
///   (and `server init`, `db start`) runs `buddy_maintain_workout_partitions()`, which makes the
///   partitions of this month and the next 12 and of every month found in the DEFAULT
///   partition, moving those rows into them.
/// - Row-level security and its policy, the grants and the indexes are the parent's: clients
///   reach rows only through `workouts`; the partitions and the ledger grant them nothing (and
///   have row-level security enabled without a policy, so a grant made by mistake shows nothing).
let schemaV8: StaticString = #"""
  SET LOCAL ROLE buddy_owner;
  LOCK TABLE public.workouts, public.workout_landmarks IN ACCESS EXCLUSIVE MODE;

  -- The ledger of ids and digests, unpartitioned.
  CREATE TABLE public.workout_keys (
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL,
    created_at    timestamptz NOT NULL,
    source_digest bytea,
    CONSTRAINT workout_keys_user_id_source_digest_key UNIQUE (user_id, source_digest)
  );
  REVOKE ALL ON public.workout_keys FROM PUBLIC;
  ALTER TABLE public.workout_keys ENABLE ROW LEVEL SECURITY;

  -- Whether the role this statement runs for (the SET ROLE, else the login) is a client: a
  -- member of buddy_clients that is not a superuser. For definer functions, which run as the owner.
  CREATE FUNCTION buddy_api.caller_is_client() RETURNS boolean
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, pg_temp
  AS $$
    SELECT coalesce(NOT r.rolsuper AND pg_has_role(r.oid, 'buddy_clients', 'MEMBER'), false)
    FROM (SELECT CASE WHEN current_setting('role') = 'none' THEN session_user::text
      ELSE current_setting('role') END AS name) caller
    LEFT JOIN pg_catalog.pg_roles r ON r.rolname = caller.name
  $$;

  CREATE FUNCTION public.buddy_workout_keys_insert() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, public, buddy_api, pg_temp
  AS $$
  BEGIN
    -- A client may only add rows of its own user (row-level security says so too, but only
    -- after this trigger: without this check the ledger would answer for other users' digests).
    IF buddy_api.caller_is_client()
      AND NEW.user_id IS DISTINCT FROM buddy_api.current_account_id()
    THEN
      RAISE EXCEPTION 'new row violates row-level security policy for table "workouts"'
        USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO public.workout_keys (id, user_id, created_at, source_digest)
    VALUES (NEW.id, NEW.user_id, NEW.created_at, NEW.source_digest)
    ON CONFLICT DO NOTHING;
    IF FOUND THEN
      RETURN NEW;
    END IF;
    -- The key is taken. By this very row when an UPDATE moves it to another partition (then
    -- the ledger already holds its new values): let it in.
    IF EXISTS (
      SELECT 1 FROM public.workout_keys k
      WHERE k.id = NEW.id AND k.user_id = NEW.user_id AND k.created_at = NEW.created_at
        AND k.source_digest IS NOT DISTINCT FROM NEW.source_digest)
    THEN
      RETURN NEW;
    END IF;
    -- Otherwise skip the row when the statement asked for ON CONFLICT DO NOTHING's way
    -- (buddy.duplicate_keys = skip), else fail as a unique index would.
    IF current_setting('buddy.duplicate_keys', true) = 'skip' THEN
      RETURN NULL;
    END IF;
    IF EXISTS (SELECT 1 FROM public.workout_keys k WHERE k.id = NEW.id) THEN
      RAISE EXCEPTION 'duplicate key value violates unique constraint "workout_keys_pkey"'
        USING ERRCODE = 'unique_violation', CONSTRAINT = 'workout_keys_pkey',
          DETAIL = 'The workout id is taken.';
    END IF;
    RAISE EXCEPTION
      'duplicate key value violates unique constraint "workout_keys_user_id_source_digest_key"'
      USING ERRCODE = 'unique_violation', CONSTRAINT = 'workout_keys_user_id_source_digest_key',
        DETAIL = 'This user already recorded this source.';
  END
  $$;

  CREATE FUNCTION public.buddy_workout_keys_update() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp
  AS $$
  BEGIN
    IF (NEW.id, NEW.user_id, NEW.created_at, NEW.source_digest)
      IS DISTINCT FROM (OLD.id, OLD.user_id, OLD.created_at, OLD.source_digest)
    THEN
      UPDATE public.workout_keys k
      SET id = NEW.id, user_id = NEW.user_id, created_at = NEW.created_at,
        source_digest = NEW.source_digest
      WHERE k.id = OLD.id;
    END IF;
    RETURN NEW;
  END
  $$;

  CREATE FUNCTION public.buddy_workout_keys_delete() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp
  AS $$
  BEGIN
    DELETE FROM public.workout_keys k
    WHERE k.id = OLD.id AND k.user_id = OLD.user_id AND k.created_at = OLD.created_at;
    RETURN OLD;
  END
  $$;

  -- Kept landmarks name their workout's created_at too (the foreign key needs the partition key).
  CREATE FUNCTION public.buddy_workout_landmarks_created_at() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp
  AS $$
  BEGIN
    IF NEW.workout_created_at IS NULL THEN
      SELECT k.created_at INTO NEW.workout_created_at FROM public.workout_keys k
      WHERE k.id = NEW.workout_id AND k.user_id = NEW.user_id;
      -- No such workout of this user: a time no workout has, so that the foreign key (or the
      -- primary key) refuses the row as before, without telling another user's time.
      NEW.workout_created_at := coalesce(NEW.workout_created_at, '-infinity');
    END IF;
    RETURN NEW;
  END
  $$;

  -- The created_at of the session user's workout with this id (NULL when there is none), so a
  -- query by id reads one partition.
  CREATE FUNCTION buddy_api.workout_created_at(p_id uuid) RETURNS timestamptz
  LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE
  SET search_path = pg_catalog, public, buddy_api, pg_temp
  AS $$
    SELECT k.created_at FROM public.workout_keys k
    WHERE k.id = p_id
      AND (k.user_id = buddy_api.current_account_id() OR NOT buddy_api.caller_is_client())
  $$;

  -- The partition of the UTC month starting at `month`, made when missing, with the rows of
  -- that month moved out of the DEFAULT partition. Returns whether it made one.
  CREATE FUNCTION public.buddy_workout_partition(month date) RETURNS boolean
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public, pg_temp
  AS $$
  DECLARE
    first date := date_trunc('month', month)::date;
    name text := format('workouts_p%s', to_char(first, 'YYYY_MM'));
    low timestamptz := first::timestamp AT TIME ZONE 'UTC';
    high timestamptz := (first + interval '1 month')::timestamp AT TIME ZONE 'UTC';
    moved bigint := 0;
    kept public.workout_landmarks[];
  BEGIN
    IF to_regclass(format('public.%I', name)) IS NOT NULL THEN
      RETURN false;
    END IF;
    EXECUTE format('CREATE TABLE public.%I (LIKE public.workouts INCLUDING DEFAULTS '
      'INCLUDING CONSTRAINTS)', name);
    IF to_regclass('public.workouts_default') IS NOT NULL THEN
      LOCK TABLE public.workouts_default IN ACCESS EXCLUSIVE MODE;
      -- Deleting from the DEFAULT partition runs its ledger trigger and cascades to kept
      -- landmarks: put both back once the rows are in their partition.
      SELECT array_agg(l) INTO kept FROM public.workout_landmarks l
      JOIN public.workouts_default d ON d.id = l.workout_id AND d.user_id = l.user_id
        AND d.created_at = l.workout_created_at
      WHERE d.created_at >= low AND d.created_at < high;
      EXECUTE format('WITH moved AS (DELETE FROM public.workouts_default '
        'WHERE created_at >= $1 AND created_at < $2 RETURNING *) '
        'INSERT INTO public.%I SELECT * FROM moved', name) USING low, high;
      GET DIAGNOSTICS moved = ROW_COUNT;
      IF moved > 0 THEN
        EXECUTE format('INSERT INTO public.workout_keys (id, user_id, created_at, source_digest) '
          'SELECT id, user_id, created_at, source_digest FROM public.%I', name);
      END IF;
    END IF;
    EXECUTE format('ALTER TABLE public.workouts ATTACH PARTITION public.%I '
      'FOR VALUES FROM (%L) TO (%L)', name, low, high);
    IF kept IS NOT NULL THEN
      INSERT INTO public.workout_landmarks SELECT * FROM unnest(kept);
    END IF;
    EXECUTE format('REVOKE ALL ON public.%I FROM PUBLIC', name);
    EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', name);
    RETURN true;
  END
  $$;

  -- Partitions for this month, the next `ahead` months and every month that has rows in the
  -- DEFAULT partition; returns how many it made.
  CREATE FUNCTION public.buddy_maintain_workout_partitions(ahead integer DEFAULT 12)
  RETURNS integer
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public, pg_temp
  AS $$
  DECLARE
    month date;
    made integer := 0;
  BEGIN
    IF ahead IS NULL OR ahead < 0 OR ahead > 120 THEN
      RAISE EXCEPTION 'months ahead must be 0 to 120, not %', ahead
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR month IN
      SELECT generate_series(date_trunc('month', now() AT TIME ZONE 'UTC'),
        date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => ahead),
        interval '1 month')::date
      UNION
      SELECT DISTINCT date_trunc('month', d.created_at AT TIME ZONE 'UTC')::date
      FROM public.workouts_default d
      ORDER BY 1
    LOOP
      IF public.buddy_workout_partition(month) THEN
        made := made + 1;
      END IF;
    END LOOP;
    RETURN made;
  END
  $$;
  REVOKE ALL ON FUNCTION public.buddy_workout_keys_insert(), public.buddy_workout_keys_update(),
    public.buddy_workout_keys_delete(), public.buddy_workout_landmarks_created_at(),
    public.buddy_workout_partition(date), public.buddy_maintain_workout_partitions(integer)
    FROM PUBLIC;
  REVOKE ALL ON FUNCTION buddy_api.workout_created_at(uuid), buddy_api.caller_is_client()
    FROM PUBLIC;
  GRANT EXECUTE ON FUNCTION buddy_api.workout_created_at(uuid) TO buddy_clients;

  -- The new parent, swapped in for the old table.
  ALTER TABLE public.workout_landmarks
    DROP CONSTRAINT workout_landmarks_workout_id_user_id_fkey,
    ADD COLUMN workout_created_at timestamptz;
  UPDATE public.workout_landmarks l SET workout_created_at = w.created_at
  FROM public.workouts w WHERE w.id = l.workout_id;
  ALTER TABLE public.workout_landmarks ALTER COLUMN workout_created_at SET NOT NULL;

  ALTER TABLE public.workouts RENAME TO workouts_unpartitioned;
  CREATE TABLE public.workouts (
    id               uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id          uuid NOT NULL,
    exercise_type    varchar(50) NOT NULL,
    reps_count       integer NOT NULL CHECK (reps_count >= 0),
    duration_seconds integer NOT NULL CHECK (duration_seconds >= 0),
    calories_burned  double precision CHECK (calories_burned >= 0 AND calories_burned < 'Infinity'),
    created_at       timestamptz NOT NULL DEFAULT now(),
    details          jsonb CHECK (details IS NULL OR jsonb_typeof(details) = 'object'),
    source_digest    bytea CHECK (source_digest IS NULL OR octet_length(source_digest) = 32)
  ) PARTITION BY RANGE (created_at);
  CREATE TABLE public.workouts_default PARTITION OF public.workouts DEFAULT;
  REVOKE ALL ON public.workouts_default FROM PUBLIC;
  ALTER TABLE public.workouts_default ENABLE ROW LEVEL SECURITY;

  -- The months that have rows (moved out of the DEFAULT partition when they are made: none yet)
  -- and the next 12.
  SELECT public.buddy_workout_partition(m)
  FROM (SELECT DISTINCT date_trunc('month', created_at AT TIME ZONE 'UTC')::date AS m
    FROM public.workouts_unpartitioned) months;
  SELECT public.buddy_maintain_workout_partitions(12);

  INSERT INTO public.workout_keys (id, user_id, created_at, source_digest)
  SELECT id, user_id, created_at, source_digest FROM public.workouts_unpartitioned;
  INSERT INTO public.workouts (id, user_id, exercise_type, reps_count, duration_seconds,
    calories_burned, created_at, details, source_digest)
  SELECT id, user_id, exercise_type, reps_count, duration_seconds, calories_burned, created_at,
    details, source_digest
  FROM public.workouts_unpartitioned;
  DROP TABLE public.workouts_unpartitioned;

  -- Keys, indexes and foreign keys once the rows are in (built per partition).
  ALTER TABLE public.workouts
    ADD CONSTRAINT workouts_pkey PRIMARY KEY (id, created_at),
    ADD CONSTRAINT workouts_id_user_id_created_at_key UNIQUE (id, user_id, created_at),
    ADD CONSTRAINT workouts_user_id_fkey FOREIGN KEY (user_id)
      REFERENCES public.users (id) ON DELETE CASCADE,
    ADD CONSTRAINT workouts_exercise_type_fkey FOREIGN KEY (exercise_type)
      REFERENCES public.exercises (name);
  CREATE INDEX idx_workouts_user_id ON public.workouts (user_id);
  CREATE INDEX idx_workouts_created_at ON public.workouts (created_at);
  CREATE INDEX idx_workouts_exercise_type ON public.workouts (exercise_type);
  CREATE INDEX idx_workouts_user_created ON public.workouts (user_id, created_at DESC);
  CREATE INDEX idx_workouts_user_source_digest ON public.workouts (user_id, source_digest)
    WHERE source_digest IS NOT NULL;

  -- The ledger's triggers, made after the copy (which wrote the ledger itself).
  CREATE TRIGGER workouts_keys_insert BEFORE INSERT ON public.workouts
    FOR EACH ROW EXECUTE FUNCTION public.buddy_workout_keys_insert();
  CREATE TRIGGER workouts_keys_update BEFORE UPDATE ON public.workouts
    FOR EACH ROW EXECUTE FUNCTION public.buddy_workout_keys_update();
  CREATE TRIGGER workouts_keys_delete BEFORE DELETE ON public.workouts
    FOR EACH ROW EXECUTE FUNCTION public.buddy_workout_keys_delete();

  ALTER TABLE public.workout_landmarks
    ADD CONSTRAINT workout_landmarks_workout_fkey
      FOREIGN KEY (workout_id, user_id, workout_created_at)
      REFERENCES public.workouts (id, user_id, created_at) ON DELETE CASCADE ON UPDATE CASCADE;
  CREATE TRIGGER workout_landmarks_created_at BEFORE INSERT ON public.workout_landmarks
    FOR EACH ROW EXECUTE FUNCTION public.buddy_workout_landmarks_created_at();

  REVOKE ALL ON public.workouts FROM PUBLIC;
  GRANT SELECT, INSERT, UPDATE, DELETE ON public.workouts TO buddy_clients;
  ALTER TABLE public.workouts ENABLE ROW LEVEL SECURITY;
  CREATE POLICY workouts_of_the_session_user ON public.workouts TO buddy_clients
    USING (user_id = (SELECT buddy_api.current_account_id()))
    WITH CHECK (user_id = (SELECT buddy_api.current_account_id()));
  RESET ROLE;
  """#
