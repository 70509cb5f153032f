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
  var outcome = ""
  do {
    let reader = try PoseReader(path: path, options: options)
    do {
      while let frame = try reader.next() {
        outcome += "\(frame.time.bitPattern):"
        for landmark in frame.landmarks {
          outcome += "\(landmark.x.bitPattern),\(landmark.y.bitPattern),"
          outcome += "\(landmark.z.bitPattern),\(landmark.visibility.bitPattern);"
        }
        outcome += "\n"
      }
    } catch {
      outcome += "error: \(error)\n"
    }
    outcome += "\(String(describing: reader.format)) \(reader.header)"
  } catch {
    outcome += "open: \(error)"
  }
  return outcome
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
