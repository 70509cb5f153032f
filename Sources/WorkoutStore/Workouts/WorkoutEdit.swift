import Foundation
import RepCounting

/// Changes to one stored workout (`buddy workout edit`): each value given replaces the stored
/// one; nil keeps it.
public struct WorkoutEdit: Sendable, Equatable {
  public var exercise: Exercise?
  public var reps: Int?
  public var durationSeconds: Int?
  /// When it happened.
  public var createdAt: Date?

  /// Makes an edit.
  public init(
    exercise: Exercise? = nil, reps: Int? = nil, durationSeconds: Int? = nil,
    createdAt: Date? = nil
  ) {
    self.exercise = exercise
    self.reps = reps
    self.durationSeconds = durationSeconds
    self.createdAt = createdAt
  }

  /// True when no value is given.
  public var isEmpty: Bool {
    exercise == nil && reps == nil && durationSeconds == nil && createdAt == nil
  }

  /// Whether the calories depend on what changes: the exercise, the reps or the duration.
  public var changesCalories: Bool { exercise != nil || reps != nil || durationSeconds != nil }
}
