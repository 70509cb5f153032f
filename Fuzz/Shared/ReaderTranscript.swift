// Shared by the `segments` and `fastpath` fuzz targets (scripts/fuzz.sh compiles it into both).
import PoseInput

/// Everything `reader` gives when read to its end, bit for bit: each frame's time and
/// landmarks, the error that ended it (with its line, column and frame), the format and header.
func transcript(of reader: PoseReader) -> String {
  var outcome = ""
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
  return outcome + "\(String(describing: reader.format)) \(reader.header)"
}
