/// Version 6: kept landmarks. `record --keep-landmarks` (or the profile's `keep-landmarks true`)
/// stores a session's landmark stream next to its workout, in `workout_landmarks`: one row per
/// workout, the stream in the compact binary form of ``LandmarkPayload`` (docs/kept-landmarks.md),
/// compressed by TOAST (lz4 where the server has it, else pglz; `scripts/bench.sh landmarks`
/// measures both).
///
/// A row belongs to its workout's user: the foreign key is `(workout_id, user_id)` →
/// `workouts (id, user_id)` (a unique constraint added for it), so a row can only name a workout
/// of the same user, and the policy lets a client see and add only the rows of the session's
/// user. Deleting a workout (or its user) deletes its landmarks. Clients may read and insert,
/// nothing else. `user_settings.keep_landmarks` makes keeping the default for a user.
let schemaV6: StaticString = #"""
  SET LOCAL ROLE buddy_owner;
  ALTER TABLE public.workouts ADD CONSTRAINT workouts_id_user_id_key UNIQUE (id, user_id);

  CREATE TABLE public.workout_landmarks (
    workout_id          uuid PRIMARY KEY,
    user_id             uuid NOT NULL,
    format_version      smallint NOT NULL CHECK (format_version = 1),
    frame_count         integer NOT NULL CHECK (frame_count >= 0),
    landmarks_per_frame smallint NOT NULL CHECK (landmarks_per_frame IN (0, 17, 33)),
    frames_per_second   double precision
      CHECK (frames_per_second > 0 AND frames_per_second < 'Infinity'),
    image_width         double precision CHECK (image_width > 0 AND image_width < 'Infinity'),
    image_height        double precision CHECK (image_height > 0 AND image_height < 'Infinity'),
    payload             bytea NOT NULL CHECK (octet_length(payload) >= 16),
    created_at          timestamptz NOT NULL DEFAULT now(),
    CHECK ((image_width IS NULL) = (image_height IS NULL)),
    FOREIGN KEY (workout_id, user_id) REFERENCES public.workouts (id, user_id)
      ON DELETE CASCADE ON UPDATE CASCADE
  );
  CREATE INDEX idx_workout_landmarks_user_id ON public.workout_landmarks (user_id);

  -- lz4 where the server was built with it: on real MediaPipe landmarks it stores 260,250 bytes
  -- a minute of 30 fps against pglz's 275,701 (raw 487,201; scripts/bench.sh landmarks,
  -- docs/kept-landmarks.md), and is faster; pglz, the default, otherwise.
  DO $compression$
  BEGIN
    ALTER TABLE public.workout_landmarks ALTER COLUMN payload SET COMPRESSION lz4;
  EXCEPTION WHEN feature_not_supported THEN
    NULL;
  END
  $compression$;

  ALTER TABLE public.user_settings
    ADD COLUMN keep_landmarks boolean NOT NULL DEFAULT false;

  REVOKE ALL ON public.workout_landmarks FROM PUBLIC;
  GRANT SELECT, INSERT ON public.workout_landmarks TO buddy_clients;
  ALTER TABLE public.workout_landmarks ENABLE ROW LEVEL SECURITY;
  CREATE POLICY workout_landmarks_of_the_session_user ON public.workout_landmarks TO buddy_clients
    USING (user_id = (SELECT buddy_api.current_account_id()))
    WITH CHECK (user_id = (SELECT buddy_api.current_account_id()));
  RESET ROLE;
  """#
