// libFuzzer target: one JSON number (the input's first line, at most 48 bytes) read as a
// frame's "t" by PoseReader where 64 bytes follow it (JSONScanner's fast readers, MediaPipe's
// 16–18-digit shape among them) and where it ends the input (the careful reader); both must
// accept or refuse it alike, and an accepted number must be exactly what glibc's strtod (correctly
// rounded) makes of the same text, bit for bit, having read all of it.
//
// Built by scripts/fuzz.sh against the PoseInput and RepCounting modules.
import Glibc
import PoseInput
import RepCounting

/// The frame time `text` reads as in `line` (nil: refused).
private func time(of line: String) -> Double? {
  let reader = PoseReader(bytes: Array(line.utf8), name: "fuzz")
  guard let frame = try? reader.next() else { return nil }
  return frame.time
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  var bytes = Array(UnsafeBufferPointer(start: data, count: min(size, 48)))
  if let newline = bytes.firstIndex(of: 0x0A) { bytes.removeSubrange(newline...) }
  // Only the bytes of JSON numbers, so the text cannot close the object or start another key.
  guard !bytes.isEmpty, bytes.allSatisfy({ "0123456789.eE+-".utf8.contains($0) }) else {
    return 0
  }
  let text = String(decoding: bytes, as: UTF8.self)
  let fast = time(of: "{\"t\": \(text), \"landmarks\": null}" + String(repeating: " ", count: 80))
  let careful = time(of: "{\"landmarks\": null, \"t\": \(text)}")
  if fast?.bitPattern != careful?.bitPattern {
    let read = "fast \(String(describing: fast)), careful \(String(describing: careful))"
    fputs("\(text): \(read)\n", stderr)
    abort()
  }
  guard let fast else { return 0 }
  var end: UnsafeMutablePointer<CChar>?
  let expected = text.withCString { start -> (Double, Int) in
    let value = strtod(start, &end)
    return (value, end.map { $0 - UnsafeMutablePointer(mutating: start) } ?? 0)
  }
  if expected.0.bitPattern != fast.bitPattern || expected.1 != bytes.count {
    fputs("\(text): read \(fast), strtod \(expected.0) from \(expected.1) bytes\n", stderr)
    abort()
  }
  return 0
}
