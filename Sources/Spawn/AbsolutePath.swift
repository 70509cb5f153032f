internal import Glibc

extension SpawnedProgram {
  /// `path` made absolute against the current directory (unchanged when it already starts with
  /// `/`, or when the current directory cannot be read): paths handed to a helper program (an
  /// ffmpeg `file:` URL, a PostgreSQL program's file or directory) then mean the same file
  /// whatever directory the program resolves them in.
  public static func absolutePath(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    guard let directory = getcwd(nil, 0) else { return path }
    defer { free(directory) }
    let current = String(cString: directory)
    return current.hasSuffix("/") ? current + path : current + "/" + path
  }
}
