/// A user's profile settings, shared by every machine they log in from.
public struct UserSettings: Sendable, Equatable {
  /// The first day of a week in weekly statistics.
  public enum WeekStart: String, Sendable, CaseIterable {
    case monday
    case sunday
    case saturday

    /// Days to add to a date so that `date_trunc('week', …)` (which starts on Monday) starts the
    /// week on this day instead.
    var shiftDays: Int {
      switch self {
      case .monday: return 0
      case .sunday: return 1
      case .saturday: return 2
      }
    }
  }

  /// Body mass for the calorie estimate; nil when never set.
  public var weightKg: Double?
  /// IANA time zone name used for days, weeks and months.
  public var timeZone: String
  public var weekStart: WeekStart
  /// Whether `buddy record` keeps a counted session's landmarks unless told otherwise.
  public var keepLandmarks: Bool

  public static let defaults = UserSettings(weightKg: nil, timeZone: "UTC", weekStart: .monday)

  public init(
    weightKg: Double?, timeZone: String, weekStart: WeekStart, keepLandmarks: Bool = false
  ) {
    self.weightKg = weightKg
    self.timeZone = timeZone
    self.weekStart = weekStart
    self.keepLandmarks = keepLandmarks
  }
}
