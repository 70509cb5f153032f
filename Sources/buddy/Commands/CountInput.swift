import Foundation
import PoseInput

/// One thing to count: a path (a landmark file, a directory, a JPEG or video file, `-` for
/// standard input), or several JPEG files given together, read as one frame sequence in the
/// order given (`buddy count frames/*.jpg` is one session, like `buddy count frames/`).
enum CountInput: Equatable {
  case path(String)
  case frameFiles([String])

  /// How the input is named in output and in a workout's details: the path, or the first and
  /// last file of a list.
  var name: String {
    switch self {
    case .path(let path): return path == "-" ? "<stdin>" : path
    case .frameFiles(let paths):
      return "\(paths.first ?? "") … \(paths.last ?? "") (\(paths.count) files)"
    }
  }

  /// The input as output lines and JSON name it: the path as given (`-` stays `-`), or `name`
  /// for a list.
  var label: String {
    if case .path(let path) = self { return path }
    return name
  }

  /// The command-line arguments as inputs: every run of two or more consecutive JPEG files
  /// (by extension or by their first bytes, `FF D8`) becomes one `.frameFiles`; every other
  /// argument stays a `.path`.
  static func group(_ arguments: [String]) -> [CountInput] {
    var inputs: [CountInput] = []
    var run: [String] = []
    func flush() {
      if run.count == 1 { inputs.append(.path(run[0])) }
      if run.count > 1 { inputs.append(.frameFiles(run)) }
      run = []
    }
    for argument in arguments {
      if isJPEGFile(argument) {
        run.append(argument)
      } else {
        flush()
        inputs.append(.path(argument))
      }
    }
    flush()
    return inputs
  }

  /// A path named `.jpg`/`.jpeg` that is not a directory (a missing one too: reading the list
  /// then names it), or a regular file starting with the JPEG marker `FF D8` (a FIFO is never
  /// read here: its first bytes would be lost).
  static func isJPEGFile(_ path: String) -> Bool {
    guard path != "-" else { return false }
    let kind = PathKind(path)
    guard kind != .directory else { return false }
    return JPEGFrameSource.hasJPEGExtension(path)
      || (kind == .regularFile && CountSource.startsWithJPEG(path))
  }
}
