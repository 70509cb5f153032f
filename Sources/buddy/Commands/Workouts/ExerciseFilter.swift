import ArgumentParser
import RepCounting

/// The `--exercise` filter of history and stats.
struct ExerciseFilter: ParsableArguments {
  @Option(help: ArgumentHelp("Only this exercise: \(Exercise.names)."))
  var exercise: Exercise?
}
