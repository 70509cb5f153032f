// libFuzzer target: durations as people write them (Sources/buddy/Support/DurationText.swift,
// compiled into this harness's module by scripts/fuzz.sh).
// Checks: a parsed duration is within 0...maximumSeconds and its clock form parses back to it.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  guard let seconds = DurationText.parse(text) else { return 0 }
  guard (0...DurationText.maximumSeconds).contains(seconds) else {
    fatalError("\(text.debugDescription) parsed to \(seconds) s, out of range")
  }
  let clock = DurationText.clock(seconds)
  guard DurationText.parse(clock) == seconds else {
    fatalError("\(text.debugDescription) → \(seconds) s → \(clock) does not parse back")
  }
  return 0
}
