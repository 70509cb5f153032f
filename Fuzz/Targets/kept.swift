// libFuzzer target: kept landmark payloads (Sources/WorkoutStore/Landmarks/LandmarkPayload*.swift,
// compiled into this harness's module by scripts/fuzz.sh), as `buddy workout landmarks` reads a
// stored row.
// Checks: a payload the reader accepts yields exactly its frame count, every time finite and in
// order, and writing those frames again gives back the same bytes.
import RepCounting

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  guard let reader = try? LandmarkPayloadReader(bytes) else { return 0 }
  var writer = LandmarkPayloadWriter()
  var count = 0
  var previous = -Double.infinity
  for frame in reader {
    guard frame.time.isFinite, frame.time >= previous else {
      fatalError("frame \(count): time \(frame.time) after \(previous)")
    }
    previous = frame.time
    do {
      try writer.append(frame)
    } catch {
      fatalError("frame \(count) was read but cannot be written again: \(error)")
    }
    count += 1
  }
  guard count == reader.frameCount else {
    fatalError("\(count) frames read, the header says \(reader.frameCount)")
  }
  guard writer.payload() == bytes else { fatalError("writing the frames again changed the bytes") }
  return 0
}
