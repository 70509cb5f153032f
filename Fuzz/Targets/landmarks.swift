// libFuzzer target: landmark bytes → PoseReader → CountSession, the path of `buddy count FILE`.
//
// Built by scripts/fuzz.sh against the PoseInput and RepCounting modules.
import PoseInput
import RepCounting

/// The frame-time bound `buddy count` checks before counting (`PoseFrameSource.maximumFrameTime`).
private let maximumFrameTime = 1e12

/// The counting modes, chosen by the input's length so that each input runs one of them.
private let modes: [CountSession.Mode] = [.auto, .fixed(.pushUp), .fixed(.jumpRope)]

/// The geometry `PoseFrameSource` derives from the document header.
private func geometry(_ header: PoseDocumentHeader) -> ImageGeometry {
  if let width = header.width, let height = header.height {
    return ImageGeometry(width: width, height: height)
  }
  return .normalised
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let mode = modes[size % modes.count]
  let reader = PoseReader(bytes: bytes, name: "fuzz")
  var session: CountSession?
  do {
    while let frame = try reader.next() {
      guard abs(frame.time) <= maximumFrameTime else { return 0 }  // the CLI refuses these
      var running = session ?? CountSession(mode: mode, geometry: geometry(reader.header))
      session = nil
      _ = running.consume(frame)
      session = running
    }
  } catch {
    _ = "\(error)"  // the message is built for every error the CLI prints
    return 0
  }
  var final = session ?? CountSession(mode: mode)
  _ = final.finish()
  let summary = final.summary
  _ = (summary.reps, summary.partialReps, summary.activeDuration, summary.cadence)
  _ = summary.confidence
  return 0
}
