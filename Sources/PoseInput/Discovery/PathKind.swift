internal import Glibc

/// What a path names, from one `stat` and without reading a byte: a stream (FIFO, process
/// substitution, device, socket) can be read only once, so it must not be sniffed by opening it.
public enum PathKind: Equatable, Sendable {
  /// Nothing is there (or it cannot be looked up).
  case missing
  /// A directory (a symbolic link to one too).
  case directory
  /// A regular file (a symbolic link to one too).
  case regularFile
  /// Anything else: a FIFO, a device, a socket.
  case stream

  /// Looks `path` up, following symbolic links.
  public init(_ path: String) {
    var info = stat()
    guard stat(path, &info) == 0 else {
      self = .missing
      return
    }
    switch info.st_mode & S_IFMT {
    case S_IFDIR: self = .directory
    case S_IFREG: self = .regularFile
    default: self = .stream
    }
  }
}
