/// Version 1: the seed design's `users` and `workouts`, with the documented improvements
/// (timestamptz, case-insensitive unique email, `updated_at` trigger, NaN-proof CHECKs, details and
/// source digest on workouts) and the `sessions`, `login_attempts` and `user_settings` tables.
let schemaV1: StaticString = """
  CREATE FUNCTION buddy_set_updated_at() RETURNS trigger
  LANGUAGE plpgsql AS $$
  BEGIN
    NEW.updated_at := now();
    RETURN NEW;
  END
  $$;

  CREATE TABLE users (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email           varchar(255) NOT NULL CHECK (email LIKE '_%@_%'),
    username        varchar(50)  NOT NULL CHECK (username ~ '^[A-Za-z0-9_-]{3,50}$'),
    hashed_password varchar(255) NOT NULL,
    is_active       boolean      NOT NULL DEFAULT true,
    created_at      timestamptz  NOT NULL DEFAULT now(),
    updated_at      timestamptz  NOT NULL DEFAULT now()
  );
  CREATE UNIQUE INDEX idx_users_email ON users (lower(email));
  CREATE UNIQUE INDEX idx_users_username ON users (username);
  CREATE INDEX idx_users_created_at ON users (created_at);
  CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON users
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION buddy_set_updated_at();

  CREATE TABLE workouts (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id          uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    exercise_type    varchar(50) NOT NULL CHECK (exercise_type IN ('push-up', 'jump-rope')),
    reps_count       integer NOT NULL CHECK (reps_count >= 0),
    duration_seconds integer NOT NULL CHECK (duration_seconds >= 0),
    calories_burned  double precision CHECK (calories_burned >= 0 AND calories_burned < 'Infinity'),
    created_at       timestamptz NOT NULL DEFAULT now(),
    details          jsonb CHECK (details IS NULL OR jsonb_typeof(details) = 'object'),
    source_digest    bytea CHECK (source_digest IS NULL OR octet_length(source_digest) = 32)
  );
  CREATE INDEX idx_workouts_user_id ON workouts (user_id);
  CREATE INDEX idx_workouts_created_at ON workouts (created_at);
  CREATE INDEX idx_workouts_exercise_type ON workouts (exercise_type);
  CREATE INDEX idx_workouts_user_created ON workouts (user_id, created_at DESC);
  CREATE UNIQUE INDEX idx_workouts_user_source_digest ON workouts (user_id, source_digest)
    WHERE source_digest IS NOT NULL;

  CREATE TABLE sessions (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_sha256 bytea NOT NULL UNIQUE CHECK (octet_length(token_sha256) = 32),
    label        varchar(255) NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    last_used_at timestamptz NOT NULL DEFAULT now(),
    CHECK (expires_at > created_at)
  );
  CREATE INDEX idx_sessions_user_id ON sessions (user_id);

  CREATE TABLE login_attempts (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      uuid REFERENCES users (id) ON DELETE CASCADE,
    identifier   varchar(255) NOT NULL,
    outcome      varchar(16) NOT NULL
      CHECK (outcome IN ('success', 'wrong_password', 'unknown_user', 'inactive', 'throttled')),
    attempted_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX idx_login_attempts_user_time ON login_attempts (user_id, attempted_at DESC);
  CREATE INDEX idx_login_attempts_identifier_time
    ON login_attempts (identifier, attempted_at DESC);

  CREATE TABLE user_settings (
    user_id    uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    weight_kg  double precision CHECK (weight_kg > 0 AND weight_kg <= 500),
    time_zone  varchar(64) NOT NULL DEFAULT 'UTC',
    week_start varchar(9) NOT NULL DEFAULT 'monday'
      CHECK (week_start IN ('monday', 'sunday', 'saturday')),
    updated_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TRIGGER user_settings_set_updated_at BEFORE UPDATE ON user_settings
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION buddy_set_updated_at();
  """
