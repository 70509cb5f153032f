/// Energy estimates: kcal = MET × body mass (kg) × hours of activity.
///
/// MET values from the 2011 Compendium of Physical Activities (Ainsworth et al., Med Sci Sports
/// Exerc 43(8):1575–1581), kept in the 2024 adult Compendium:
/// - 02020 calisthenics (push-ups, sit-ups, pull-ups, jumping jacks), vigorous effort: 8.0
/// - 15553 rope jumping, slow pace, < 100 skips/min: 8.8
/// - 15552 rope jumping, moderate pace, 100–120 skips/min: 11.8
/// - 15551 rope jumping, fast pace, 120–160 skips/min: 12.3
public enum CalorieModel {
  /// Body mass assumed when the user has not set one.
  public static let defaultBodyMassKg = 70.0

  /// The MET value of an exercise at a pace (repetitions per minute; for rope, skips per minute).
  public static func met(exercise: String, repsPerMinute: Double) -> Double {
    switch exercise {
    case "jump-rope":
      if repsPerMinute < 100 { return 8.8 }
      if repsPerMinute <= 120 { return 11.8 }
      return 12.3
    default:
      return 8.0
    }
  }

  /// Kilocalories for `reps` repetitions over `seconds` of activity by a person of `bodyMassKg`.
  public static func kilocalories(
    exercise: String, reps: Int, seconds: Double, bodyMassKg: Double
  ) -> Double {
    guard seconds > 0, bodyMassKg > 0 else { return 0 }
    let pace = Double(reps) * 60 / seconds
    return met(exercise: exercise, repsPerMinute: pace) * bodyMassKg * seconds / 3600
  }
}
