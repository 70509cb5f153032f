// libFuzzer target: `LocalDay` (`--since`/`--until` days), from Sources/WorkoutStore/Workouts/
// LocalDay.swift, compiled into this harness's module by scripts/fuzz.sh.
// Checks: a parsed day is a real calendar day in 1900...9999 and its description parses back.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  guard let day = LocalDay(text) else { return 0 }
  guard (1900...9999).contains(day.year), (1...12).contains(day.month), (1...31).contains(day.day)
  else { fatalError("\(text.debugDescription) parsed to \(day)") }
  guard LocalDay(day.description) == day, !(day < day) else {
    fatalError("\(text.debugDescription) → \(day) does not parse back")
  }
  return 0
}
