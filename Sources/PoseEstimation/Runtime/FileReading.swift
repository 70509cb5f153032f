internal import Foundation

/// Reads a whole file into memory.
func readFile(_ path: String) throws -> [UInt8] {
  let data = try Data(contentsOf: URL(fileURLWithPath: path))
  return [UInt8](data)
}

/// Whether a regular file exists at `path`.
func fileExists(_ path: String) -> Bool {
  var isDirectory: ObjCBool = false
  return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
    && !isDirectory.boolValue
}
