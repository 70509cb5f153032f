import Foundation

/// Conversions between `Date` and PostgreSQL's timestamp representations.
enum PostgresTimestamp {
  /// Seconds from 1970-01-01 to PostgreSQL's epoch, 2000-01-01 00:00:00 UTC.
  static let epochOffset: Double = 946_684_800

  /// The text form `YYYY-MM-DD HH:MM:SS.ffffff+00`, in UTC with microsecond precision.
  static func text(for date: Date) -> String {
    if date == .distantFuture { return "infinity" }
    if date == .distantPast { return "-infinity" }
    let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    var seconds = micros / 1_000_000
    var fraction = micros % 1_000_000
    if fraction < 0 {
      fraction += 1_000_000
      seconds -= 1
    }
    var days = seconds / 86_400
    var secondOfDay = seconds % 86_400
    if secondOfDay < 0 {
      secondOfDay += 86_400
      days -= 1
    }
    let (year, month, day) = civilDate(daysSince1970: days)
    let yearText = year > 0 ? pad(year, 4) : "\(pad(1 - year, 4))"
    let suffix = year > 0 ? "" : " BC"
    return "\(yearText)-\(pad(month, 2))-\(pad(day, 2)) \(pad(secondOfDay / 3600, 2)):"
      + "\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(fraction, 6))+00\(suffix)"
  }

  /// The date for a binary timestamp: microseconds since PostgreSQL's epoch.
  static func date(microsecondsSince2000 micros: Int64) -> Date {
    if micros == .max { return .distantFuture }
    if micros == .min { return .distantPast }
    return Date(timeIntervalSince1970: epochOffset + Double(micros) / 1_000_000)
  }

  /// Year, month, day of a day count since 1970-01-01 (proleptic Gregorian; Howard Hinnant's
  /// `civil_from_days`).
  private static func civilDate(daysSince1970: Int64) -> (Int64, Int64, Int64) {
    let z = daysSince1970 + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    return (year, month, day)
  }

  private static func pad(_ value: Int64, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width
      ? digits : String(repeating: "0", count: width - digits.count) + digits
  }
}
