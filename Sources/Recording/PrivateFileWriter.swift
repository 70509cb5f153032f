internal import Foundation

#if canImport(Glibc)
internal import Glibc
#endif

/// A file written piece by piece and put in place atomically: the pieces go to a temporary
/// file beside the target with the given mode, and ``commit()`` flushes it to disk and renames
/// it over the target, so a reader sees the whole file or none; without a commit (an error,
/// ``discard()``) the temporary file is removed and the target is untouched. For outputs too
/// big to hold in memory, as `buddy export -o FILE` writes.
public final class PrivateFileWriter {
  private let path: String
  private let temporary: String
  private var descriptor: Int32
  private var pending: [UInt8] = []

  /// Creates the temporary file for `path` with `mode` (e.g. 0o600).
  public init(path: String, mode: UInt32) throws(PrivateFiles.Failure) {
    self.path = path
    temporary = path + ".tmp.\(getpid())"
    descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(mode))
    guard descriptor >= 0 else {
      throw PrivateFiles.Failure(
        description: "cannot write \(path): \(String(cString: strerror(errno)))")
    }
    guard fchmod(descriptor, mode_t(mode)) == 0 else {
      let failure = errno
      discard()
      throw PrivateFiles.Failure(
        description: "cannot write \(path): \(String(cString: strerror(failure)))")
    }
  }

  deinit { discard() }

  /// Appends `text` (buffered; written in pieces of 1 MiB).
  public func write(_ text: String) throws(PrivateFiles.Failure) {
    pending.append(contentsOf: text.utf8)
    if pending.count >= 1 << 20 { try flush() }
  }

  /// Writes what is pending, flushes the file to disk and renames it into place.
  public func commit() throws(PrivateFiles.Failure) {
    try flush()
    guard fsync(descriptor) == 0 else { throw failed(errno) }
    close(descriptor)
    descriptor = -1
    guard rename(temporary, path) == 0 else {
      let failure = errno
      unlink(temporary)
      throw PrivateFiles.Failure(
        description: "cannot write \(path): \(String(cString: strerror(failure)))")
    }
  }

  /// Removes the temporary file; the target stays as it was. Harmless after ``commit()``.
  public func discard() {
    guard descriptor >= 0 else { return }
    close(descriptor)
    descriptor = -1
    unlink(temporary)
  }

  private func flush() throws(PrivateFiles.Failure) {
    guard descriptor >= 0 else { throw PrivateFiles.Failure(description: "\(path) is closed") }
    var offset = 0
    while offset < pending.count {
      let written = pending.withUnsafeBytes { buffer -> Int in
        guard let base = buffer.baseAddress else { return 0 }
        return Glibc.write(descriptor, base + offset, buffer.count - offset)
      }
      if written < 0 && errno == EINTR { continue }
      guard written > 0 else { throw failed(errno) }
      offset += written
    }
    pending.removeAll(keepingCapacity: true)
  }

  private func failed(_ code: Int32) -> PrivateFiles.Failure {
    discard()
    return PrivateFiles.Failure(
      description: "cannot write \(path): \(String(cString: strerror(code)))")
  }
}
