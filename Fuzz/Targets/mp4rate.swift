// libFuzzer target: the MP4 header readers, the one that predicts a video's frame rate before
// ffprobe answers and the one that answers instead of ffprobe
// (Sources/PoseInput/Video/MP4FrameRate.swift, MP4Header.swift and MP4Boxes.swift, compiled
// into this harness's module by scripts/fuzz.sh). The input is read twice by each: as a whole
// file (top-level boxes skipped by their sizes, `moov` read and parsed) and as the body of a
// `moov` box.
// Checks: a prediction is a finite rate in (0, Int32.max]; a header has such a rate, a known
// codec, a size in 1...16384 each way, a rotation of 0, 90, 180 or 270, frames and a finite
// positive duration.

internal import Glibc

private let path = "/tmp/fuzz-mp4rate-\(getpid()).mp4"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  check(MP4FrameRate.average(moov: bytes), "moov body")
  check(MP4Header(moov: bytes[...]), "moov body")

  let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
  guard descriptor >= 0 else { fatalError("cannot write \(path)") }
  var written = 0
  while written < size {
    let count = write(descriptor, data + written, size - written)
    guard count > 0 else { fatalError("cannot write \(path)") }
    written += count
  }
  close(descriptor)
  check(MP4FrameRate.average(path), "file")
  check(MP4Header.read(path), "file")
  unlink(path)
  return 0
}

private func check(_ rate: Double?, _ what: String) {
  guard let rate else { return }
  guard rate.isFinite, rate > 0, rate <= Double(Int32.max) else {
    fatalError("\(what): predicted rate \(rate) out of range")
  }
}

private func check(_ header: MP4Header?, _ what: String) {
  guard let header else { return }
  check(header.averageFrameRate, what)
  let sides = 1...MP4Header.maximumSide
  guard MP4Header.knownCodecs.contains(header.codec), sides.contains(header.width),
    sides.contains(header.height), [0, 90, 180, 270].contains(header.rotation),
    header.frameCount > 0, header.duration.isFinite, header.duration > 0
  else { fatalError("\(what): header \(header) out of range") }
}
