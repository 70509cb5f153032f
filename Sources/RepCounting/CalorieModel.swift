/// Energy estimates: kcal = MET × body mass (kg) × hours of activity.
///
/// The MET values come from the catalogue (``Exercise/met(repsPerMinute:)``, with the
/// Compendium of Physical Activities codes).
public enum CalorieModel {
  /// Body mass assumed when the user has not set one.
  public static let defaultBodyMassKg = 70.0

  /// Kilocalories for `reps` repetitions over `seconds` of activity by a person of `bodyMassKg`.
  public static func kilocalories(
    exercise: Exercise, reps: Int, seconds: Double, bodyMassKg: Double
  ) -> Double {
    guard seconds > 0, bodyMassKg > 0 else { return 0 }
    let pace = Double(reps) * 60 / seconds
    return exercise.met(repsPerMinute: pace) * bodyMassKg * seconds / 3600
  }
}
