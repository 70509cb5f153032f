import ArgumentParser
import WorkoutStore

/// The `--exercise` filter of history and stats.
struct ExerciseFilter: ParsableArguments {
  @Option(help: "Only this exercise: push-up or jump-rope.") var exercise: String?

  func validate() throws {
    if let exercise, !ExerciseTypes.all.contains(exercise) {
      throw ValidationError(
        "--exercise must be one of \(ExerciseTypes.all.joined(separator: ", "))")
    }
  }
}
