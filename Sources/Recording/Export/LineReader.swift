internal import Foundation

/// Reads a file line by line in chunks, so a file of any size is read in bounded memory; a line
/// longer than ``maximumLineBytes`` is an error rather than an allocation without end.
struct LineReader {
  /// Why reading stopped.
  struct Failure: Error {
    /// The 1-based line the failure is at (0 when the file could not be opened).
    var line: Int
    var reason: String
  }

  /// The longest line read: room for a workout with a long counting signal in its details.
  static let maximumLineBytes = 64 << 20

  private let handle: FileHandle
  private var buffer: [UInt8] = []
  private var start = 0
  private var atEnd = false
  /// The 1-based number of the line last returned.
  private(set) var lineNumber = 0

  init(path: String) throws(Failure) {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw Failure(line: 0, reason: "cannot be opened")
    }
    self.handle = handle
  }

  /// The next line without its `\n` (or `\r\n`); nil at the end of the file.
  mutating func next() throws(Failure) -> String? {
    while true {
      if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
        let line = buffer[start..<newline]
        start = newline + 1
        return try text(line)
      }
      if atEnd {
        guard start < buffer.count else { return nil }
        let line = buffer[start...]
        start = buffer.count
        return try text(line)
      }
      guard buffer.count - start <= Self.maximumLineBytes else {
        throw Failure(
          line: lineNumber + 1, reason: "the line is longer than \(Self.maximumLineBytes >> 20) MiB"
        )
      }
      if start > 0 {
        buffer.removeFirst(start)
        start = 0
      }
      let chunk: Data?
      do {
        chunk = try handle.read(upToCount: 1 << 20)
      } catch {
        throw Failure(line: lineNumber + 1, reason: "cannot be read")
      }
      if let chunk, !chunk.isEmpty { buffer.append(contentsOf: chunk) } else { atEnd = true }
    }
  }

  private mutating func text(_ bytes: ArraySlice<UInt8>) throws(Failure) -> String {
    lineNumber += 1
    var bytes = bytes
    if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw Failure(line: lineNumber, reason: "not UTF-8 text")
    }
    return text
  }

  func close() { try? handle.close() }
}
