// libFuzzer target: landmark bytes read with the landmark fast path (JSONScanner's
// fastLandmarks) and without it; any difference in the frames (bit for bit), the header or the
// error message (with its line, column and frame) is a crash. (LandmarkFastPathTests also
// compare the two through small buffers, where frames straddle refills.)
//
// Built by scripts/fuzz.sh against the PoseInput and RepCounting modules.
import Glibc
import PoseInput
import RepCounting

/// The frames, format, header and error of reading `bytes` to its end.
private func read(_ bytes: [UInt8], fastPath: Bool) -> String {
  var options = PoseReader.Options()
  options.landmarkFastPath = fastPath
  let reader = PoseReader(bytes: bytes, name: "fuzz", options: options)
  return transcript(of: reader)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let general = read(bytes, fastPath: false)
  let fast = read(bytes, fastPath: true)
  if fast != general {
    fputs("the fast path differs:\n\(fast)\n--- general path:\n\(general)\n", stderr)
    abort()
  }
  return 0
}
