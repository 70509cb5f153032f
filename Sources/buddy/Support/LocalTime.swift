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
    let zone = Self.zone(named: name)
    self.zone = zone
    minuteFormatter = Self.formatter("yyyy-MM-dd HH:mm", zone)
    dayFormatter = Self.formatter("yyyy-MM-dd", zone)
    isoFormatter = Self.formatter("yyyy-MM-dd'T'HH:mm:ssxxx", zone)
  }

  /// The zone named `name`, or UTC when this machine's zone database does not know it.
  /// Foundation's `TimeZone(identifier:)` takes some malformed names as a zone of its own
  /// (`Asia:Kathmandu`, found by the localtime fuzzer) on which `DateFormatter` then traps, so
  /// a zone is used only when its identifier is a known one or a `GMT±hhmm` offset that
  /// Foundation made of the name (`GMT+5:45` → `GMT+0545`).
  static func zone(named name: String) -> TimeZone {
    let utc = TimeZone(secondsFromGMT: 0) ?? .current
    guard let zone = TimeZone(identifier: name) else { return utc }
    let identifier = zone.identifier
    if TimeZone.knownTimeZoneIdentifiers.contains(identifier) || identifier == "GMT" {
      return zone
    }
    let offset = identifier.utf8.dropFirst(4)
    let isOffset =
      identifier.utf8.count == 8 && identifier.hasPrefix("GMT")
      && (identifier.utf8.dropFirst(3).first == UInt8(ascii: "+")
        || identifier.utf8.dropFirst(3).first == UInt8(ascii: "-"))
      && offset.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    return isOffset ? zone : utc
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
