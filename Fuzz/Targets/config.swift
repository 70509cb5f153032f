// libFuzzer target: the `key = value` configuration file (Sources/buddy/Configuration/
// ConfigFile.swift). That file lives in the executable target, so scripts/fuzz.sh compiles it
// into this harness's module; `Paths` and `FileSystem` below stand in for the CLI's (only
// their names are used: the harness never saves).
import Foundation

enum Paths {
  static var configFile: String { "/nonexistent/exercise-buddy/config" }
}

enum FileSystem {
  static func makeDirectory(_ path: String, mode: mode_t) throws {}
  static func writeAtomically(_ text: String, to path: String, mode: mode_t) throws {}
}

/// One scratch file per process (libFuzzer runs inputs one at a time).
private let scratch: String = {
  let directory = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : "/tmp"
  return "\(directory)/buddy-fuzz-config.\(getpid())"
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard FileManager.default.createFile(atPath: scratch, contents: Data(bytes: data, count: size))
  else { fatalError("cannot write \(scratch)") }
  defer { unlink(scratch) }
  let file: ConfigFile
  do {
    file = try ConfigFile(path: scratch)
  } catch {
    _ = "\(error)"
    return 0
  }
  let entries: [(key: String, value: String)]
  do {
    entries = try file.entries()
  } catch {
    fatalError("entries() threw after init accepted the file: \(error)")
  }
  for key in Set(entries.map(\.key)).union(["database_url"]) {
    var changed = file
    changed.set(key, "postgresql:///fuzz")
    guard changed.value(for: key) == "postgresql:///fuzz" else {
      fatalError("set(\(key.debugDescription)) is not read back")
    }
    guard changed.unset(key), changed.value(for: key) == nil else {
      fatalError("unset(\(key.debugDescription)) left a value")
    }
  }
  return 0
}
