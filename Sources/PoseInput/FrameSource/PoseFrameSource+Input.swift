extension PoseFrameSource {
  /// One thing to read: a path (a landmark file, a directory of JPEG frames, a JPEG or video
  /// file, a FIFO, `-` for standard input), or several JPEG files given together, read as one
  /// frame sequence in the order given (`frames/*.jpg` is one session, like `frames/`).
  public enum Input: Equatable, Sendable {
    /// A path, `-` for standard input.
    case path(String)
    /// JPEG files read as one sequence.
    case frameFiles([String])

    /// How the input is named in output and in a workout's details: the path (`<stdin>` for
    /// `-`), or the first and last file of a list.
    public var name: String {
      switch self {
      case .path(let path): return path == "-" ? "<stdin>" : path
      case .frameFiles(let paths):
        return "\(paths.first ?? "") … \(paths.last ?? "") (\(paths.count) files)"
      }
    }

    /// The input as output lines and JSON name it: the path as given (`-` stays `-`), or
    /// `name` for a list.
    public var label: String {
      if case .path(let path) = self { return path }
      return name
    }

    /// Command-line arguments as inputs: every run of two or more consecutive JPEG files
    /// (``isJPEGFile(_:)``) becomes one `.frameFiles`; every other argument stays a `.path`.
    public static func group(_ arguments: [String]) -> [Input] {
      var inputs: [Input] = []
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

    /// A path with a JPEG extension that is not a directory (a missing one too: reading the
    /// list then names it), or a regular file starting with the JPEG marker `FF D8` (a FIFO is
    /// never read here: its first bytes would be lost).
    public static func isJPEGFile(_ path: String) -> Bool {
      guard path != "-" else { return false }
      let kind = PathKind(path)
      guard kind != .directory else { return false }
      return InputExtensions.isJPEGFile(path)
        || (kind == .regularFile && PoseFrameSource.startsWithJPEG(path))
    }
  }
}
