/// Durations as people write them: `90s`, `2m30s`, `1h`, `1h5m`, `45` (seconds), `1:30`.
enum DurationText {
  /// Seconds in `text`, or nil when it is not a duration.
  static func parse(_ text: String) -> Int? {
    let text = text.lowercased().filter { $0 != " " }
    guard !text.isEmpty else { return nil }
    if let seconds = Int(text), seconds >= 0 { return seconds }
    if text.contains(":") {
      let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
      guard (2...3).contains(parts.count), parts.allSatisfy({ ($0 ?? -1) >= 0 }) else { return nil }
      return parts.reduce(0) { $0 * 60 + ($1 ?? 0) }
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
      guard let value = Int(number), unit < lastUnit else { return nil }
      total += value * unit
      lastUnit = unit
      number = ""
    }
    return number.isEmpty ? total : nil
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
