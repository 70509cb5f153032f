// libFuzzer target: the JSON reader of `buddy import`'s export lines and their timestamps,
// Sources/Recording/Export/JSONMembers.swift and ExportTimestamp.swift, compiled into this
// harness's module by scripts/fuzz.sh.
// Input: line 1 a timestamp, the rest one JSON object.
// Checks: a read timestamp's canonical UTC form reads back as the same instant and is in the
// years 1900...9999; an accepted object is valid JSON to Foundation too (ours is the stricter
// reader), every member value read alone is accepted again, and names are distinct.

import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
  if let micros = ExportTimestamp.parse(String(parts[0])) {
    guard micros >= -2_208_988_800_000_000, micros < 253_402_300_800_000_000 else {
      fatalError("\(parts[0].debugDescription) read as \(micros) µs, outside 1900...9999")
    }
    let canonical = ExportTimestamp.canonicalText(microseconds: micros)
    guard ExportTimestamp.parse(canonical) == micros else {
      fatalError("\(parts[0].debugDescription) → \(canonical) does not read back")
    }
    let utc = TimeZone(identifier: "UTC") ?? .current
    guard ExportTimestamp.parse(ExportTimestamp.text(microseconds: micros, in: utc)) == micros
    else { fatalError("\(parts[0].debugDescription) does not read back in UTC") }
  }
  guard parts.count == 2, let object = try? JSONMembers(String(parts[1])) else { return 0 }
  guard (try? JSONSerialization.jsonObject(with: Data(parts[1].utf8))) != nil else {
    fatalError("accepted what Foundation refuses: \(parts[1].debugDescription)")
  }
  guard Set(object.names).count == object.names.count, object.names.count == object.values.count
  else { fatalError("repeated names in \(parts[1].debugDescription)") }
  for (name, raw) in object.values {
    guard (try? JSONMembers(#"{"x":"# + raw + "}"))?.values["x"] == raw else {
      fatalError(
        "the value of \(name.debugDescription), \(raw.debugDescription), does not read alone")
    }
    if raw.hasPrefix("\""), JSONMembers.string(raw) == nil {
      fatalError("the string \(raw.debugDescription) does not decode")
    }
  }
  return 0
}
