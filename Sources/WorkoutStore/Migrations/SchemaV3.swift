/// Version 3: the allowed exercises live in a lookup table, `exercises`, referenced by
/// `workouts.exercise_type`, instead of the unnamed CHECK list of version 1.
///
/// The seed's two names stay valid and existing rows are not touched (the foreign key is
/// validated against them). A new exercise is one more migration that inserts its name. The
/// table belongs to `buddy_owner`; clients may read it (it is the list `buddy` offers), never
/// change it.
let schemaV3: StaticString = #"""
  CREATE TABLE public.exercises (
    name     varchar(50) PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9-]{0,49}$'),
    added_at timestamptz NOT NULL DEFAULT now()
  );
  ALTER TABLE public.exercises OWNER TO buddy_owner;
  INSERT INTO public.exercises (name) VALUES ('push-up'), ('jump-rope');

  -- Version 1's CHECK on exercise_type has the name PostgreSQL gave it; find it by what it
  -- constrains rather than by that name.
  DO $drop$
  DECLARE
    constraint_name name;
  BEGIN
    FOR constraint_name IN
      SELECT c.conname FROM pg_catalog.pg_constraint c
      WHERE c.conrelid = 'public.workouts'::regclass AND c.contype = 'c'
        AND pg_catalog.pg_get_constraintdef(c.oid) LIKE '%exercise_type%'
    LOOP
      EXECUTE format('ALTER TABLE public.workouts DROP CONSTRAINT %I', constraint_name);
    END LOOP;
  END
  $drop$;
  ALTER TABLE public.workouts ADD CONSTRAINT workouts_exercise_type_fkey
    FOREIGN KEY (exercise_type) REFERENCES public.exercises (name);

  REVOKE ALL ON public.exercises FROM PUBLIC;
  GRANT SELECT ON public.exercises TO buddy_clients;
  """#
