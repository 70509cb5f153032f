// libFuzzer target: landmark bytes in a file, read by one thread and by two threads in small
// segments (FrameSegmentReader); any difference in the frames, the header or the error
// message (with its line, column and frame) is a crash.
//
// Built by scripts/fuzz.sh against the PoseInput and RepCounting modules.
import Glibc
import PoseInput
import RepCounting

/// The file each input is written to (one per fuzzing process).
private let path = "/tmp/buddy-fuzz-segments-\(getpid()).json"

/// The frames, format, header and error of reading `path` to its end.
private func read(threads: Int, segmentSize: Int) -> String {
  var options = PoseReader.Options(threads: threads)
  options.segmentSize = segmentSize
  options.minimumSegmentedSize = 0
  do {
    return transcript(of: try PoseReader(path: path, options: options))
  } catch {
    return "open: \(error)"
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
  guard descriptor >= 0 else { return 0 }
  var written = 0
  while written < size {
    let count = write(descriptor, data + written, size - written)
    guard count > 0 else { break }
    written += count
  }
  close(descriptor)
  let alone = read(threads: 1, segmentSize: 1)
  let segmentSize = 1 + size % 97
  let segmented = read(threads: 2, segmentSize: segmentSize)
  if segmented != alone {
    fputs(
      "segments of \(segmentSize) bytes differ:\n\(segmented)\n--- one thread:\n\(alone)\n", stderr)
    abort()
  }
  return 0
}
