/// Durations as people write them: `90s`, `2m30s`, `1h`, `1h5m`, `45` (seconds), `1:30`.
enum DurationText {
  /// The longest duration accepted: 7 days (168h), in seconds, the most one workout may last.
  static let maximumSeconds = 7 * 24 * 3600

  /// Seconds in `text`, or nil when it is not a duration or is longer than ``maximumSeconds``
  /// (arithmetic is checked, so a crafted value is refused rather than overflowing).
  static func parse(_ text: String) -> Int? {
    guard let seconds = parseUnbounded(text), seconds <= maximumSeconds else { return nil }
    return seconds
  }

  /// Seconds in `text`, or nil when it is not a duration or the total overflows `Int`.
  private static func parseUnbounded(_ text: String) -> Int? {
    let text = text.lowercased().filter { $0 != " " }
    guard !text.isEmpty else { return nil }
    if let seconds = Int(text), seconds >= 0 { return seconds }
    if text.contains(":") {
      let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
      guard (2...3).contains(parts.count), parts.allSatisfy({ ($0 ?? -1) >= 0 }) else { return nil }
      var total = 0
      for part in parts {
        guard let part, let next = scaled(total, by: 60, plus: part) else { return nil }
        total = next
      }
      return total
    }
    var total = 0
    var number = ""
    var lastUnit: Int = .max
    for character in text {
      if character.isNumber {
        number.append(character)
        continue
      }
      let unit: Int
      switch character {
      case "h": unit = 3600
      case "m": unit = 60
      case "s": unit = 1
      default: return nil
      }
      guard let value = Int(number), unit < lastUnit,
        let next = scaled(value, by: unit, plus: total)
      else { return nil }
      total = next
      lastUnit = unit
      number = ""
    }
    return number.isEmpty ? total : nil
  }

  /// `value * factor + addend`, or nil on overflow.
  private static func scaled(_ value: Int, by factor: Int, plus addend: Int) -> Int? {
    let (product, productOverflow) = value.multipliedReportingOverflow(by: factor)
    let (sum, sumOverflow) = product.addingReportingOverflow(addend)
    return productOverflow || sumOverflow ? nil : sum
  }

  /// `0:31`, `2:30`, `1:02:03`.
  static func clock(_ seconds: Int) -> String {
    let hours = seconds / 3600
    let minutes = seconds / 60 % 60
    let rest = seconds % 60
    let padded = rest < 10 ? "0\(rest)" : "\(rest)"
    if hours > 0 {
      return "\(hours):\(minutes < 10 ? "0\(minutes)" : "\(minutes)"):\(padded)"
    }
    return "\(minutes):\(padded)"
  }
}
