import ArgumentParser
import Recording
import WorkoutStore

/// `buddy workout landmarks ID`: the landmarks kept with a workout, as JSON Lines.
struct WorkoutLandmarksCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "landmarks",
    abstract: "Write the landmarks kept with a workout as JSON Lines (for `buddy count`).",
    discussion: """
      Writes the session's landmark stream, kept by `buddy record --keep-landmarks` (or the \
      profile's keep-landmarks true), to standard output in the landmark format of \
      docs/landmark-format.md: one line a frame, {"t": seconds, "landmarks": [[x, y, z, \
      visibility], ...]} or "landmarks": null, the first line also carrying fps, width, height \
      (when the input stated them) and start_time. `buddy count` counts it to the workout's \
      result. Coordinates are kept as 16-bit floats (about 3 decimal digits), times exactly.

      A workout without kept landmarks (recorded without --keep-landmarks, or a manual entry) \
      exits 66 with a message and writes nothing.

      Examples:
        buddy workout landmarks 3f2c1a9e > session.jsonl
        buddy count session.jsonl
        buddy workout landmarks 3f2c1a9e | buddy count --exercise push-up -
      """)

  @Argument(help: "Workout id or a unique prefix of at least 8 hex digits.") var id: String
  @OptionGroup var database: DatabaseOptions

  func run() throws {
    let current = try CurrentUser.require(database, outbox: .upload)
    let workout = try WorkoutRepository(connection: current.connection, userID: current.user.id)
      .workout(id)
    guard
      let landmarks = try LandmarkRepository(
        connection: current.connection, userID: current.user.id
      ).landmarks(of: workout.id)
    else {
      throw CLIError(
        .noInput,
        "workout \(workout.id.uuidString.lowercased().prefix(8)) has no kept landmarks "
          + "(record with --keep-landmarks, or `buddy profile set keep-landmarks true`, to keep them)"
      )
    }
    try LandmarkLines.write(landmarks, startTime: workout.createdAt) { print($0) }
  }
}
