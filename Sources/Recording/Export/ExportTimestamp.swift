public import Foundation

/// The instants of an export file: ISO 8601 with microseconds and a zone offset, e.g.
/// `2026-11-20T07:30:00.250000+01:00`, exactly as precise as PostgreSQL's `timestamptz`.
///
/// Written and read with integer arithmetic on microseconds, so an instant survives export and
/// import unchanged (a `DateFormatter` would keep milliseconds at best).
public enum ExportTimestamp {
  /// The years an export may name (those a workout may fall in).
  static let years = 1900...9999

  /// Microseconds since 1970-01-01 00:00:00 UTC of `date`, rounded to the nearest (a stored
  /// `timestamptz` read as a `Date` rounds back to itself); nil beyond the years 1900–9999.
  public static func microseconds(_ date: Date) -> Int64? {
    let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
    // -2208988800 s is 1900-01-01, 253402300800 s is 10000-01-01.
    guard micros >= -2_208_988_800_000_000, micros < 253_402_300_800_000_000 else { return nil }
    return Int64(micros)  // In range just above: the conversion cannot trap.
  }

  /// The date of `microseconds` since 1970 (exact to the microsecond when sent to PostgreSQL).
  public static func date(microseconds: Int64) -> Date {
    Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
  }

  /// `microseconds` (since 1970, UTC) as local time in `zone` with that zone's offset then;
  /// the fraction is written (six digits) only when it is not zero. UTC is written `+00:00`.
  public static func text(microseconds: Int64, in zone: TimeZone) -> String {
    let seconds = floorDivide(microseconds, 1_000_000)
    let fraction = microseconds - seconds * 1_000_000
    let offset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds))))
    return civilText(seconds: seconds + offset, fraction: fraction, alwaysFraction: false)
      + offsetText(offset)
  }

  /// `microseconds` (since 1970) in UTC with all six fraction digits and `Z`: the canonical
  /// form a digest is taken over.
  public static func canonicalText(microseconds: Int64) -> String {
    let seconds = floorDivide(microseconds, 1_000_000)
    return civilText(
      seconds: seconds, fraction: microseconds - seconds * 1_000_000, alwaysFraction: true) + "Z"
  }

  /// Reads `YYYY-MM-DDTHH:MM:SS[.f…](Z|±HH:MM)` (one to six fraction digits; a space may stand
  /// for the `T`) into microseconds since 1970; nil for anything else, for an impossible date or
  /// time, an offset beyond ±18:00, or a year outside 1900–9999 (in the text, or in UTC once
  /// the offset is applied: `1900-01-01T00:00:09+01:00` is still 1899 in UTC).
  public static func parse(_ text: String) -> Int64? {
    let bytes = Array(text.utf8)
    var index = 0
    func number(_ digits: Int) -> Int64? {
      guard index + digits <= bytes.count else { return nil }
      var value: Int64 = 0
      for byte in bytes[index..<index + digits] {
        guard byte >= 48, byte <= 57 else { return nil }
        value = value * 10 + Int64(byte - 48)
      }
      index += digits
      return value
    }
    func expect(_ characters: String) -> Bool {
      guard index < bytes.count, characters.utf8.contains(bytes[index]) else { return false }
      index += 1
      return true
    }
    guard let year = number(4), expect("-"), let month = number(2), expect("-"),
      let day = number(2), expect("T "), let hour = number(2), expect(":"),
      let minute = number(2), expect(":"), let second = number(2)
    else { return nil }
    var fraction: Int64 = 0
    if expect(".") {
      var digits = 0
      while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
        guard digits < 6 else { return nil }
        fraction = fraction * 10 + Int64(bytes[index] - 48)
        digits += 1
        index += 1
      }
      guard digits > 0 else { return nil }
      for _ in digits..<6 { fraction *= 10 }
    }
    var offset: Int64 = 0
    if expect("Z") {
      offset = 0
    } else {
      let sign: Int64
      if expect("+") {
        sign = 1
      } else if expect("-") {
        sign = -1
      } else {
        return nil
      }
      guard let hours = number(2), expect(":"), let minutes = number(2), minutes < 60,
        hours * 60 + minutes <= 18 * 60
      else { return nil }
      offset = sign * (hours * 3600 + minutes * 60)
    }
    guard index == bytes.count, years.contains(Int(year)), (1...12).contains(month),
      day >= 1, day <= daysInMonth(year: year, month: month), hour < 24, minute < 60,
      second < 60
    else { return nil }
    let days = daysSince1970(year: year, month: month, day: day)
    let local = days * 86_400 + hour * 3600 + minute * 60 + second
    let micros = (local - offset) * 1_000_000 + fraction
    guard micros >= -2_208_988_800_000_000, micros < 253_402_300_800_000_000 else { return nil }
    return micros
  }

  private static func civilText(seconds: Int64, fraction: Int64, alwaysFraction: Bool) -> String {
    let days = floorDivide(seconds, 86_400)
    let secondOfDay = seconds - days * 86_400
    let (year, month, day) = civilDate(daysSince1970: days)
    var text =
      "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):"
      + "\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
    if alwaysFraction || fraction != 0 { text += "." + pad(fraction, 6) }
    return text
  }

  private static func offsetText(_ offset: Int64) -> String {
    let minutes = abs(offset) / 60
    return (offset < 0 ? "-" : "+") + pad(minutes / 60, 2) + ":" + pad(minutes % 60, 2)
  }

  private static func pad(_ value: Int64, _ width: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: max(0, width - text.count)) + text
  }

  private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
    let quotient = value / divisor
    return value % divisor < 0 ? quotient - 1 : quotient
  }

  private static func isLeap(_ year: Int64) -> Bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
  }

  private static func daysInMonth(year: Int64, month: Int64) -> Int64 {
    switch month {
    case 2: return isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil).
  private static func daysSince1970(year: Int64, month: Int64, day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = floorDivide(y, 400)
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The proleptic Gregorian date `days` after 1970-01-01 (Hinnant's civil_from_days).
  private static func civilDate(daysSince1970 days: Int64) -> (Int64, Int64, Int64) {
    let shifted = days + 719_468
    let era = floorDivide(shifted, 146_097)
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }
}
