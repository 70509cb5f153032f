internal import Glibc

/// Reading the boxes ("atoms") of an MP4/QuickTime file: the top-level box of a type, found by
/// skipping the others (the media data) by their sizes, and the boxes inside a box's body.
/// Every size and offset is range-checked against the bytes there; nothing is trusted.
enum MP4Boxes {
  /// A box inside another: its four-character type and its body (after the header).
  typealias Box = (type: String, body: ArraySlice<UInt8>)

  /// The largest box body read from a file (a long phone video's `moov` is a few MiB).
  static let maximumBodyBytes = 32 << 20
  /// The most top-level boxes skipped looking for one.
  static let maximumTopLevelBoxes = 64

  /// The big-endian `UInt32` at `offset` from the start of `bytes`, if all four bytes are there.
  static func uint32(_ bytes: ArraySlice<UInt8>, at offset: Int) -> UInt32? {
    guard offset >= 0, offset <= bytes.count - 4 else { return nil }
    let start = bytes.startIndex + offset
    return bytes[start..<start + 4].reduce(0) { $0 << 8 | UInt32($1) }
  }

  /// The big-endian `UInt16` at `offset` from the start of `bytes`, if both bytes are there.
  static func uint16(_ bytes: ArraySlice<UInt8>, at offset: Int) -> UInt16? {
    guard offset >= 0, offset <= bytes.count - 2 else { return nil }
    let start = bytes.startIndex + offset
    return UInt16(bytes[start]) << 8 | UInt16(bytes[start + 1])
  }

  /// The four bytes at `offset` as text (a box type, a handler, a codec), if they are there.
  static func fourCC(_ bytes: ArraySlice<UInt8>, at offset: Int) -> String? {
    guard offset >= 0, offset <= bytes.count - 4 else { return nil }
    let start = bytes.startIndex + offset
    return String(decoding: bytes[start..<start + 4], as: UTF8.self)
  }

  /// The boxes directly inside `bytes`, and whether they fill it exactly (false when a box
  /// does not fit: the list then stops before it).
  static func children(of bytes: ArraySlice<UInt8>) -> (boxes: [Box], complete: Bool) {
    var boxes: [Box] = []
    var offset = bytes.startIndex
    while bytes.endIndex - offset >= 8 {
      guard let size32 = uint32(bytes[offset...], at: 0) else { break }
      let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
      var header = 8
      var size = Int(size32)
      if size32 == 1 {
        guard bytes.endIndex - offset >= 16, let high = uint32(bytes[offset...], at: 8),
          let low = uint32(bytes[offset...], at: 12), high == 0
        else { break }
        header = 16
        size = Int(low)
      } else if size32 == 0 {
        size = bytes.endIndex - offset
      }
      guard size >= header, size <= bytes.endIndex - offset else { break }
      boxes.append((type, bytes[offset + header..<offset + size]))
      offset += size
    }
    return (boxes, offset == bytes.endIndex)
  }

  /// The boxes of `type` directly inside `bytes`.
  static func children(_ type: String, of bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
    children(of: bytes).boxes.filter { $0.type == type }.map(\.body)
  }

  /// The `moov` box of the file at `path` (see ``topLevelBox(_:in:)``), or nil when the file
  /// cannot be opened or has none: read once per video start and handed to both ``MP4Header``
  /// and ``MP4FrameRate``.
  static func moov(atPath path: String) -> (body: [UInt8], firstType: String)? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    return topLevelBox("moov", in: descriptor)
  }

  /// The body of the first top-level box of `type` in the file (at most ``maximumBodyBytes``),
  /// skipping the others by their sizes, and the type of the file's first box.
  static func topLevelBox(_ type: String, in descriptor: Int32)
    -> (body: [UInt8], firstType: String)?
  {
    var stats = stat()
    guard fstat(descriptor, &stats) == 0 else { return nil }
    let fileSize = Int64(stats.st_size)
    var offset: Int64 = 0
    var firstType: String?
    for _ in 0..<maximumTopLevelBoxes {
      guard let head = read(descriptor, at: offset, count: 16), head.count >= 8,
        let size32 = uint32(head[...], at: 0)
      else { return nil }
      var header: Int64 = 8
      var size = Int64(size32)
      if size32 == 1 {
        guard head.count == 16, let high = uint32(head[...], at: 8),
          let low = uint32(head[...], at: 12), high < 1 << 31
        else { return nil }
        header = 16
        size = Int64(high) << 32 | Int64(low)
      } else if size32 == 0 {
        size = fileSize - offset
      }
      guard size >= header, size <= fileSize - offset else { return nil }
      let boxType = String(decoding: head[4..<8], as: UTF8.self)
      if firstType == nil { firstType = boxType }
      if boxType == type {
        guard size - header <= Int64(maximumBodyBytes),
          let body = read(descriptor, at: offset + header, count: Int(size - header)),
          body.count == Int(size - header)
        else { return nil }
        return (body, firstType ?? boxType)
      }
      offset += size
    }
    return nil
  }

  /// Up to `count` bytes at `offset` (fewer at the end of the file); nil on a read error.
  private static func read(_ descriptor: Int32, at offset: Int64, count: Int) -> [UInt8]? {
    var bytes = [UInt8](repeating: 0, count: count)
    var filled = 0
    while filled < count {
      let got = bytes[filled...].withUnsafeMutableBytes { buffer in
        pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset) + off_t(filled))
      }
      if got < 0 && errno == EINTR { continue }
      guard got >= 0 else { return nil }
      if got == 0 { break }
      filled += got
    }
    return Array(bytes.prefix(filled))
  }
}
