// libFuzzer target: the MP4 header reader that predicts a video's frame rate before ffprobe
// answers (Sources/PoseInput/Video/MP4FrameRate.swift, compiled into this harness's module by
// scripts/fuzz.sh). The input is read twice: as a whole file (top-level boxes skipped by their
// sizes, `moov` read and parsed) and as the body of a `moov` box.
// Checks: a prediction is a finite rate in (0, Int32.max].

internal import Glibc

private let path = "/tmp/fuzz-mp4rate-\(getpid()).mp4"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  check(MP4FrameRate.average(moov: bytes), "moov body")

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
  unlink(path)
  return 0
}

private func check(_ rate: Double?, _ what: String) {
  guard let rate else { return }
  guard rate.isFinite, rate > 0, rate <= Double(Int32.max) else {
    fatalError("\(what): predicted rate \(rate) out of range")
  }
}
