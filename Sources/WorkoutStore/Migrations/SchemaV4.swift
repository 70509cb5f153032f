/// Version 4: squats join the exercises a workout may be.
let schemaV4: StaticString = """
  INSERT INTO public.exercises (name) VALUES ('squat');
  """
