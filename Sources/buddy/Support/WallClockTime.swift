import Foundation

/// A time as a clock on the wall shows it, `2026-11-20 07:30`, with its UTC offset when the text
/// gave one (`2026-11-20T07:30:00+01:00`): the fields are checked, but it becomes an instant only
/// with a zone (``date(in:)``).
///
/// Accepted: `YYYY-MM-DD`, then optionally ` HH:MM` or `THH:MM`, `:SS`, `.F` (1 to 9 digits after
/// seconds) and an offset `Z`, `±HH`, `±HHMM` or `±HH:MM` (at most 18 hours); years 1900 to 9999.
struct WallClockTime: Equatable, CustomStringConvertible {
  /// The years accepted, as for a workout's date.
  static let years = 1900...9999

  var year: Int
  var month: Int
  var day: Int
  var hour = 0
  var minute = 0
  var second = 0
  var nanosecond = 0
  /// Seconds east of UTC, when the text gave an offset; nil means the zone is given later.
  var utcOffsetSeconds: Int?

  /// Reads `text` (surrounding spaces and tabs ignored); nil unless it has exactly an accepted
  /// shape and every field is in range.
  init?(_ text: String) {
    // Read byte by byte, never through DateFormatter: ICU under it traps on a digit followed by
    // a combining mark and dies of SIGFPE on e.g. "02-1-2T7:3:0.4444…+0" (the `localtime` fuzz
    // target found both).
    var reader = Reader(text)
    guard let year = reader.number(digits: 4), reader.skip("-"),
      let month = reader.number(digits: 2), reader.skip("-"),
      let day = reader.number(digits: 2)
    else { return nil }
    self.year = year
    self.month = month
    self.day = day
    if !reader.isAtEnd {
      guard reader.skip(" ") || reader.skip("T"), let hour = reader.number(digits: 2),
        reader.skip(":"), let minute = reader.number(digits: 2)
      else { return nil }
      self.hour = hour
      self.minute = minute
      if reader.skip(":") {
        guard let second = reader.number(digits: 2) else { return nil }
        self.second = second
        if reader.skip(".") {
          guard let fraction = reader.digits(upTo: 9) else { return nil }
          var scale = 1
          for _ in fraction.count..<9 { scale *= 10 }
          nanosecond = fraction.value * scale
        }
      }
      if reader.skip("Z") {
        utcOffsetSeconds = 0
      } else if let sign = reader.skip("+") ? 1 : reader.skip("-") ? -1 : nil {
        guard let hours = reader.number(digits: 2) else { return nil }
        var minutes = 0
        if reader.skip(":") || !reader.isAtEnd {
          guard let value = reader.number(digits: 2) else { return nil }
          minutes = value
        }
        guard minutes < 60, hours * 60 + minutes <= 18 * 60 else { return nil }
        utcOffsetSeconds = sign * (hours * 3600 + minutes * 60)
      }
      guard reader.isAtEnd else { return nil }
    }
    guard Self.years.contains(year), (1...12).contains(month),
      (1...Self.days(inMonth: month, of: year)).contains(day), hour < 24, minute < 60, second < 60
    else { return nil }
  }

  /// The instant this time names in `zone` (or at its own offset, when it has one); nil only
  /// when the calendar cannot place it.
  func date(in zone: TimeZone) -> Date? {
    var calendar = Calendar(identifier: .gregorian)
    if let utcOffsetSeconds {
      guard let fixed = TimeZone(secondsFromGMT: utcOffsetSeconds) else { return nil }
      calendar.timeZone = fixed
    } else {
      calendar.timeZone = zone
    }
    return calendar.date(
      from: DateComponents(
        year: year, month: month, day: day, hour: hour, minute: minute, second: second,
        nanosecond: nanosecond))
  }

  /// `2026-11-20 07:30`, with `:SS`, `.F` and the offset when they are not zero or absent; reads
  /// back as the same time.
  var description: String {
    var text =
      "\(Self.padded(year, 4))-\(Self.padded(month, 2))-\(Self.padded(day, 2)) "
      + "\(Self.padded(hour, 2)):\(Self.padded(minute, 2))"
    if second != 0 || nanosecond != 0 { text += ":\(Self.padded(second, 2))" }
    if nanosecond != 0 {
      text += "." + String(Self.padded(nanosecond, 9).reversed().drop { $0 == "0" }.reversed())
    }
    if let utcOffsetSeconds {
      let minutes = abs(utcOffsetSeconds) / 60
      text +=
        "\(utcOffsetSeconds < 0 ? "-" : "+")\(Self.padded(minutes / 60, 2)):\(Self.padded(minutes % 60, 2))"
    }
    return text
  }

  private static func padded(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }

  private static func days(inMonth month: Int, of year: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// A cursor over the text's UTF-8 bytes.
  private struct Reader {
    private var bytes: ArraySlice<UInt8>

    init(_ text: String) {
      var bytes = ArraySlice(text.utf8)
      while let first = bytes.first, first == 0x20 || first == 0x09 { bytes.removeFirst() }
      while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
      self.bytes = bytes
    }

    var isAtEnd: Bool { bytes.isEmpty }

    /// Consumes `character` (ASCII) if it comes next.
    mutating func skip(_ character: Unicode.Scalar) -> Bool {
      guard bytes.first == UInt8(ascii: character) else { return false }
      bytes.removeFirst()
      return true
    }

    /// Exactly `digits` ASCII digits as a number.
    mutating func number(digits: Int) -> Int? {
      var value = 0
      for _ in 0..<digits {
        guard let byte = bytes.first, (0x30...0x39).contains(byte) else { return nil }
        bytes.removeFirst()
        value = value * 10 + Int(byte - 0x30)
      }
      return value
    }

    /// 1 to `limit` ASCII digits as a number, and how many there were.
    mutating func digits(upTo limit: Int) -> (value: Int, count: Int)? {
      var value = 0
      var count = 0
      while count < limit, let byte = bytes.first, (0x30...0x39).contains(byte) {
        bytes.removeFirst()
        value = value * 10 + Int(byte - 0x30)
        count += 1
      }
      return count > 0 ? (value, count) : nil
    }
  }
}
