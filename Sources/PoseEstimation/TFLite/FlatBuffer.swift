/// Bounds-checked reading of a FlatBuffer (the encoding of TFLite model files).
///
/// Every offset and length is checked against the buffer before it is used, so a
/// truncated or hostile file produces a `TFLiteModelError`, never an out-of-bounds read.
/// Encoding (little-endian): a table at `T` starts with `i32 soff`, its vtable is at
/// `T - soff`: `u16 vtable_size, u16 table_size, u16 field_offset[n]`. References are
/// `u32` offsets relative to where they are stored. A vector is `u32 count` + elements.
struct FlatBuffer {
  let bytes: [UInt8]

  init(_ bytes: [UInt8]) {
    self.bytes = bytes
  }

  private func check(_ position: Int, _ size: Int, _ what: @autoclosure () -> String)
    throws(TFLiteModelError)
  {
    guard position >= 0, size >= 0, position <= bytes.count, size <= bytes.count - position else {
      throw TFLiteModelError(
        "\(what()) at byte \(position) (+\(size)) lies outside the file (\(bytes.count) bytes)")
    }
  }

  func u8(_ position: Int) throws(TFLiteModelError) -> UInt8 {
    try check(position, 1, "u8")
    return bytes[position]
  }

  func u16(_ position: Int) throws(TFLiteModelError) -> UInt16 {
    try check(position, 2, "u16")
    return UInt16(bytes[position]) | UInt16(bytes[position + 1]) << 8
  }

  func u32(_ position: Int) throws(TFLiteModelError) -> UInt32 {
    try check(position, 4, "u32")
    var value: UInt32 = 0
    for i in 0..<4 { value |= UInt32(bytes[position + i]) << (8 * UInt32(i)) }
    return value
  }

  func u64(_ position: Int) throws(TFLiteModelError) -> UInt64 {
    try check(position, 8, "u64")
    var value: UInt64 = 0
    for i in 0..<8 { value |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
    return value
  }

  func i32(_ position: Int) throws(TFLiteModelError) -> Int32 {
    Int32(bitPattern: try u32(position))
  }

  /// The position a `u32` reference stored at `position` points to.
  func dereference(_ position: Int) throws(TFLiteModelError) -> Int {
    let target = position + Int(try u32(position))
    try check(target, 0, "reference target")
    return target
  }

  /// The table whose start is `position`.
  func table(at position: Int) throws(TFLiteModelError) -> FlatBufferTable {
    try check(position, 4, "table")
    let vtable = position - Int(try i32(position))
    try check(vtable, 4, "vtable")
    let vtableSize = Int(try u16(vtable))
    guard vtableSize >= 4, vtableSize % 2 == 0 else {
      throw TFLiteModelError("vtable at byte \(vtable) has invalid size \(vtableSize)")
    }
    try check(vtable, vtableSize, "vtable")
    let tableSize = Int(try u16(vtable + 2))
    try check(position, max(tableSize, 4), "table body")
    return FlatBufferTable(
      buffer: self, position: position, vtable: vtable, vtableSize: vtableSize, tableSize: tableSize
    )
  }

  /// The vector referenced from `position`: where its elements start and how many.
  func vector(referencedFrom position: Int, elementSize: Int) throws(TFLiteModelError) -> (
    start: Int, count: Int
  ) {
    let target = try dereference(position)
    let count = Int(try u32(target))
    try check(target + 4, count * elementSize, "vector of \(count) elements")
    return (target + 4, count)
  }

  /// The `count` little-endian values of type `Raw` from `start` on, each turned into a
  /// `Result` by `convert`, read in one pass. The caller has checked the whole range (as
  /// `vector(referencedFrom:elementSize:)` does); it is checked again here, and an
  /// out-of-range request gives an empty array, never an out-of-bounds read.
  func elements<Raw: FixedWidthInteger, Result>(
    start: Int, count: Int, as raw: Raw.Type, _ convert: (Raw) -> Result
  ) -> [Result] {
    let size = MemoryLayout<Raw>.size
    guard start >= 0, count >= 0, start <= bytes.count, count <= (bytes.count - start) / size
    else { return [] }
    return bytes.withUnsafeBytes { all in
      [Result](unsafeUninitializedCapacity: count) { output, initialized in
        initialized = 0
        guard let base = output.baseAddress else { return }
        for index in 0..<count {
          (base + index).initialize(
            to: convert(all.loadUnaligned(fromByteOffset: start + index * size, as: Raw.self)))
        }
        initialized = count
      }
    }
  }
}

/// A table inside a `FlatBuffer`, with its vtable already checked.
struct FlatBufferTable {
  let buffer: FlatBuffer
  let position: Int
  let vtable: Int
  let vtableSize: Int
  let tableSize: Int

  /// The absolute position of field `id`'s data, or nil when the field is absent.
  func fieldPosition(_ id: Int, size: Int) throws(TFLiteModelError) -> Int? {
    let entry = 4 + 2 * id
    guard entry + 2 <= vtableSize else { return nil }
    let offset = Int(try buffer.u16(vtable + entry))
    guard offset != 0 else { return nil }
    guard offset + size <= max(tableSize, 4) else {
      throw TFLiteModelError("field \(id) of the table at byte \(position) lies outside the table")
    }
    return position + offset
  }

  func u8(_ id: Int, default value: UInt8) throws(TFLiteModelError) -> UInt8 {
    guard let p = try fieldPosition(id, size: 1) else { return value }
    return try buffer.u8(p)
  }

  func i8(_ id: Int, default value: Int8) throws(TFLiteModelError) -> Int8 {
    guard let p = try fieldPosition(id, size: 1) else { return value }
    return Int8(bitPattern: try buffer.u8(p))
  }

  func bool(_ id: Int, default value: Bool) throws(TFLiteModelError) -> Bool {
    guard let p = try fieldPosition(id, size: 1) else { return value }
    return try buffer.u8(p) != 0
  }

  func i32(_ id: Int, default value: Int32) throws(TFLiteModelError) -> Int32 {
    guard let p = try fieldPosition(id, size: 4) else { return value }
    return try buffer.i32(p)
  }

  func u32(_ id: Int, default value: UInt32) throws(TFLiteModelError) -> UInt32 {
    guard let p = try fieldPosition(id, size: 4) else { return value }
    return try buffer.u32(p)
  }

  func u64(_ id: Int, default value: UInt64) throws(TFLiteModelError) -> UInt64 {
    guard let p = try fieldPosition(id, size: 8) else { return value }
    return try buffer.u64(p)
  }

  /// The sub-table in field `id`, or nil when absent.
  func table(_ id: Int) throws(TFLiteModelError) -> FlatBufferTable? {
    guard let p = try fieldPosition(id, size: 4) else { return nil }
    return try buffer.table(at: try buffer.dereference(p))
  }

  /// The tables of the vector in field `id` (empty when absent).
  func tables(_ id: Int) throws(TFLiteModelError) -> [FlatBufferTable] {
    guard let p = try fieldPosition(id, size: 4) else { return [] }
    let (start, count) = try buffer.vector(referencedFrom: p, elementSize: 4)
    var result: [FlatBufferTable] = []
    result.reserveCapacity(count)
    for i in 0..<count {
      result.append(try buffer.table(at: try buffer.dereference(start + 4 * i)))
    }
    return result
  }

  /// The byte range of the vector in field `id` with elements of `elementSize` bytes.
  func vectorRange(_ id: Int, elementSize: Int) throws(TFLiteModelError) -> (
    start: Int, count: Int
  )? {
    guard let p = try fieldPosition(id, size: 4) else { return nil }
    return try buffer.vector(referencedFrom: p, elementSize: elementSize)
  }

  /// The `[i32]` vector in field `id` (nil when absent).
  func int32s(_ id: Int) throws(TFLiteModelError) -> [Int32]? {
    guard let (start, count) = try vectorRange(id, elementSize: 4) else { return nil }
    return buffer.elements(start: start, count: count, as: UInt32.self) {
      Int32(bitPattern: UInt32(littleEndian: $0))
    }
  }

  /// The string in field `id` (nil when absent); invalid UTF-8 is repaired.
  func string(_ id: Int) throws(TFLiteModelError) -> String? {
    guard let (start, count) = try vectorRange(id, elementSize: 1) else { return nil }
    return String(decoding: buffer.bytes[start..<(start + count)], as: UTF8.self)
  }
}
