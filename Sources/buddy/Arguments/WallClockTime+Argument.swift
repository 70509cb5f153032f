import ArgumentParser

/// A time on the command line (`record --at "2026-11-20 07:30"`): its shape and ranges are
/// checked when it is read; the zone that makes it an instant comes later, from the profile.
extension WallClockTime: CheckedArgument {
  static func parse(_ text: String) throws(ArgumentRefusal) -> WallClockTime {
    guard let time = WallClockTime(text) else {
      throw ArgumentRefusal(
        "must be like \"2026-11-20 07:30\" (in your profile's time zone) or "
          + "2026-11-20T07:30+01:00, in the years \(WallClockTime.years.lowerBound) to "
          + "\(WallClockTime.years.upperBound)")
    }
    return time
  }

  var defaultValueDescription: String { "\(self)" }
}
