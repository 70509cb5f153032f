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

  /// The instant `text` names in this zone: any ``WallClockTime`` shape, e.g.
  /// `2026-11-20 07:30`, `2026-11-20T07:30:15` or `2026-11-20T07:30:00+01:00` (its own offset).
  func parse(_ text: String) -> Date? { WallClockTime(text)?.date(in: zone) }
}
