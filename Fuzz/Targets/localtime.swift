// libFuzzer target: `WallClockTime` and `LocalTime` (times read as `record --at` reads them and
// shown in a user's IANA zone), from Sources/buddy/Support/WallClockTime.swift and LocalTime.swift,
// compiled into this harness's module by scripts/fuzz.sh.
// The first line of the input is the zone name (any string: unknown names fall back to UTC),
// the rest the time text; a read time's description reads back as the same time, and a parsed
// time is formatted back in every form.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  let parts = input.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
  let zone = parts.count > 1 ? String(parts[0]) : "UTC"
  let text = parts.count > 1 ? String(parts[1]) : input
  if let wallClock = WallClockTime(text), WallClockTime(wallClock.description) != wallClock {
    fatalError("\(text.debugDescription) → \(wallClock) does not read back")
  }
  let time = LocalTime(zone)
  guard let date = time.parse(text) else { return 0 }
  _ = (time.minute(date), time.day(date), time.iso(date))
  return 0
}
