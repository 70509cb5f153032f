import Glibc
import PoseEstimation

/// Writes `buddy pose`'s JSON Lines: one line per frame, the first with the frame size.
struct PoseLineWriter {
  /// Frames per second, for `t`.
  let fps: Double
  /// The sequence's frame size, written on the first line.
  var size: (width: Int, height: Int)?
  /// Lines written so far (the next line's frame index).
  var index = 0

  init(fps: Double) {
    self.fps = fps
  }

  /// The timestamp of the next frame in seconds.
  var nextTime: Double { Double(index) / fps }

  /// Prints the next frame's line and flushes it, so a live stream reaches the next
  /// command frame by frame.
  mutating func write(landmarks: [EstimatedLandmark]?, error: String?) {
    bytes.removeAll(keepingCapacity: true)
    appendLine(landmarks: landmarks, error: error, to: &bytes)
    print(String(decoding: bytes, as: UTF8.self))
    fflush(nil)
    index += 1
  }

  /// The line being written, kept for its capacity.
  private var bytes: [UInt8] = []

  /// Appends the next frame's line (without the newline) to `bytes`: the bytes of
  /// `JSON.text(line(…))`, written directly instead of through a tree of values and the
  /// strings joined from it (33 × 4 numbers per frame); each number is `JSON.text` of it.
  func appendLine(landmarks: [EstimatedLandmark]?, error: String?, to bytes: inout [UInt8]) {
    func append(_ text: StaticString) {
      text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }
    func append(number: Double) {
      bytes.append(contentsOf: JSON.text(.number(number)).utf8)
    }
    append("{\"t\":")
    append(number: Self.rounded(nextTime, places: 6))
    if index == 0, let size {
      append(",\"width\":")
      bytes.append(contentsOf: String(size.width).utf8)
      append(",\"height\":")
      bytes.append(contentsOf: String(size.height).utf8)
    }
    append(",\"landmarks\":")
    if let landmarks {
      append("[")
      for (position, landmark) in landmarks.enumerated() {
        append(position == 0 ? "[" : ",[")
        append(number: Self.rounded(landmark.x, places: 6))
        append(",")
        append(number: Self.rounded(landmark.y, places: 6))
        append(",")
        append(number: Self.rounded(landmark.z, places: 6))
        append(",")
        append(number: Self.rounded(landmark.visibility, places: 5))
        append("]")
      }
      append("]")
    } else {
      append("null")
    }
    if let error {
      append(",\"error\":")
      bytes.append(contentsOf: JSON.quoted(error).utf8)
    }
    append("}")
  }

  /// The next frame's line as JSON (what `appendLine` writes, as a value).
  func line(landmarks: [EstimatedLandmark]?, error: String?) -> JSON.Value {
    var members: [(String, JSON.Value)] = [("t", .number(Self.rounded(nextTime, places: 6)))]
    if index == 0, let size {
      members.append(("width", .integer(size.width)))
      members.append(("height", .integer(size.height)))
    }
    if let landmarks {
      members.append(
        (
          "landmarks",
          .array(
            landmarks.map { landmark in
              .array([
                .number(Self.rounded(landmark.x, places: 6)),
                .number(Self.rounded(landmark.y, places: 6)),
                .number(Self.rounded(landmark.z, places: 6)),
                .number(Self.rounded(landmark.visibility, places: 5)),
              ])
            })
        ))
    } else {
      members.append(("landmarks", .null))
    }
    if let error { members.append(("error", .string(error))) }
    return .object(members)
  }

  private static func rounded(_ value: Double, places: Int) -> Double {
    let scale = places == 5 ? 1e5 : 1e6
    return (value * scale).rounded() / scale
  }
}
