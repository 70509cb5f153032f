internal import Foundation

/// Reads a whole file into memory: straight into the array with `read` (one copy; no
/// `Data` in between, which cost a second copy of the models at every start).
func readFile(_ path: String) throws -> [UInt8] {
  let descriptor = open(path, O_RDONLY | O_CLOEXEC)
  guard descriptor >= 0 else { throw FileReadError(path: path, code: errno) }
  defer { close(descriptor) }
  var info = stat()
  guard fstat(descriptor, &info) == 0 else { throw FileReadError(path: path, code: errno) }
  let size = Int(info.st_size)
  guard size >= 0, size <= 1 << 31 else { throw FileReadError(path: path, code: EFBIG) }
  var failure: Int32?
  let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
    initialized = 0
    guard let base = buffer.baseAddress else { return }
    while initialized < size {
      let count = read(descriptor, base + initialized, size - initialized)
      if count < 0, errno == EINTR { continue }
      guard count > 0 else {
        failure = count < 0 ? errno : EIO  // an error, or the file shrank while read
        return
      }
      initialized += count
    }
  }
  if let failure { throw FileReadError(path: path, code: failure) }
  return bytes
}

/// A file that could not be read: its path and the system's reason.
struct FileReadError: Error, CustomStringConvertible {
  var path: String
  var code: Int32

  var description: String { String(cString: strerror(code)) }
}

/// Whether a regular file exists at `path`.
func fileExists(_ path: String) -> Bool {
  var isDirectory: ObjCBool = false
  return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
    && !isDirectory.boolValue
}
