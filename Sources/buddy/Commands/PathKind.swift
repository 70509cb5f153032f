#if canImport(Glibc)
import Glibc
#endif

/// What a path names, from one `stat` and without reading a byte: a stream (FIFO, process
/// substitution, device, socket) can be read only once, so it must not be sniffed by opening it.
enum PathKind: Equatable {
  case missing
  case directory
  case regularFile
  case stream

  init(_ path: String) {
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
