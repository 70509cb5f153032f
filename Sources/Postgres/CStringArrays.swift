/// Calls `body` with a NULL-terminated array of C strings that live for the duration of the call.
func withCStringArray<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
  withOptionalCStringArray(strings.map { Optional($0) }) { pointers in
    body(pointers + [nil])
  }
}

/// Calls `body` with one C string pointer per element (`nil` stays `nil`), valid during the call.
func withOptionalCStringArray<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R
{
  var storage: [CChar] = []
  var offsets: [Int?] = []
  for string in strings {
    guard let string else {
      offsets.append(nil)
      continue
    }
    offsets.append(storage.count)
    storage.append(contentsOf: string.utf8.map { CChar(bitPattern: $0) })
    storage.append(0)
  }
  return storage.withUnsafeBufferPointer { buffer in
    let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in
      guard let offset, let base = buffer.baseAddress else { return nil }
      return base + offset
    }
    return body(pointers)
  }
}
