import Foundation

/// Totals over a set of workouts.
public struct Totals: Sendable, Equatable {
  public var workouts: Int
  public var reps: Int
  public var durationSeconds: Int
  public var calories: Double
}

/// Figures for one exercise.
public struct ExerciseStats: Sendable, Equatable {
  public var exerciseType: String
  public var workouts: Int
  public var totalReps: Int
  public var averageReps: Double
  /// Most reps in one workout, and when.
  public var personalRecord: Int
  public var personalRecordAt: Date
}

/// Totals of one local calendar period (a day, a week starting on the user's week start, a month).
public struct PeriodTotals: Sendable, Equatable {
  /// The first local day of the period.
  public var start: LocalDay
  public var workouts: Int
  public var reps: Int
  public var durationSeconds: Int
}

/// Runs of consecutive local days with at least one workout.
public struct Streaks: Sendable, Equatable {
  /// The run that includes today, or yesterday when today has no workout yet; 0 otherwise.
  public var current: Int
  public var longest: Int
}
