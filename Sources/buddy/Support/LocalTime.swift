import Foundation

/// Dates shown and read in a user's IANA time zone.
struct LocalTime {
  let zone: TimeZone
  let zoneName: String
  // Formatters are costly to make (~0.1 ms each): one of each per LocalTime, reused per row.
  private let minuteFormatter: DateFormatter
  private let dayFormatter: DateFormatter
  private let isoFormatter: DateFormatter

  /// The zone named `name`; UTC when the name is unknown to this machine's zone database.
  init(_ name: String) {
    zoneName = name
    let zone = TimeZone(identifier: name) ?? TimeZone(secondsFromGMT: 0) ?? .current
    self.zone = zone
    minuteFormatter = Self.formatter("yyyy-MM-dd HH:mm", zone)
    dayFormatter = Self.formatter("yyyy-MM-dd", zone)
    isoFormatter = Self.formatter("yyyy-MM-dd'T'HH:mm:ssxxx", zone)
  }

  private func formatter(_ format: String) -> DateFormatter { Self.formatter(format, zone) }

  private static func formatter(_ format: String, _ zone: TimeZone) -> DateFormatter {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = zone
    formatter.dateFormat = format
    return formatter
  }

  /// `2026-11-20 07:30`.
  func minute(_ date: Date) -> String { minuteFormatter.string(from: date) }

  /// `2026-11-20`.
  func day(_ date: Date) -> String { dayFormatter.string(from: date) }

  /// ISO 8601 with the zone's offset: `2026-11-20T07:30:00+01:00`.
  func iso(_ date: Date) -> String { isoFormatter.string(from: date) }

  /// Parses `YYYY-MM-DD HH:MM[:SS]`, `YYYY-MM-DDTHH:MM[:SS]` (local to the zone) or a full ISO 8601
  /// time with an offset.
  func parse(_ text: String) -> Date? {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    // Only text of exactly the accepted shapes reaches Foundation's DateFormatter: ICU underneath
    // it traps on a digit followed by a combining mark ("Incorrect range") and dies of SIGFPE on
    // e.g. "02-1-2T7:3:0.4444…+0" (both found by the `localtime` fuzz target).
    let shape =
      #/
      [0-9]{4} - [0-9]{2} - [0-9]{2}
      ( [\x20T] [0-9]{2} : [0-9]{2} ( : [0-9]{2} ( \. [0-9]{3} )? )?
        ( Z | [+\-] [0-9]{2} ( :? [0-9]{2} )? )? )?
      /#
    guard trimmed.utf8.count <= 32, trimmed.wholeMatch(of: shape) != nil else { return nil }
    for format in [
      "yyyy-MM-dd'T'HH:mm:ssxxx", "yyyy-MM-dd'T'HH:mm:ss.SSSxxx", "yyyy-MM-dd'T'HH:mm:ssX",
      "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm",
      "yyyy-MM-dd",
    ] {
      if let date = formatter(format).date(from: trimmed) { return date }
    }
    return nil
  }
}
