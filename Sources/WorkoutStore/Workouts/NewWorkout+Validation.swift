import Foundation

extension NewWorkout {
  /// The most repetitions one workout may hold.
  public static let maximumReps = 10_000_000
  /// The longest one workout may last: 7 days, in seconds.
  public static let maximumDurationSeconds = 7 * 24 * 3600
  /// The years a workout may fall in (beyond them calendars and the columns disagree).
  public static let years = 1900...9999

  /// Throws `invalidValue` unless every value fits what the database holds and what a workout
  /// can be: 0…10,000,000 reps, 0 s…7 days, finite calories
  /// 0…1,000,000 kcal, a date in the years 1900–9999. Checked before anything is stored or saved
  /// offline, so a value the server would refuse never waits in the outbox.
  public func validate() throws {
    guard (0...Self.maximumReps).contains(reps) else {
      throw WorkoutError.invalidValue("reps must be 0 to \(Self.maximumReps) (got \(reps))")
    }
    guard (0...Self.maximumDurationSeconds).contains(durationSeconds) else {
      throw WorkoutError.invalidValue(
        "the duration must be 0 s to 7 days (got \(durationSeconds) s)")
    }
    if let calories = caloriesBurned, !(calories >= 0 && calories <= 1_000_000) {
      throw WorkoutError.invalidValue("calories must be 0 to 1000000 kcal (got \(calories))")
    }
    let year = Calendar(identifier: .gregorian).dateComponents(
      in: TimeZone(identifier: "UTC") ?? .current, from: createdAt
    ).year
    guard let year, Self.years.contains(year) else {
      throw WorkoutError.invalidValue("the date must fall in the years 1900 to 9999")
    }
  }
}
