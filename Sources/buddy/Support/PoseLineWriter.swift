import Glibc
import PoseEstimation

/// Writes `buddy pose`'s JSON Lines: one line per frame, the first with the frame size.
struct PoseLineWriter {
  /// Frames per second, for `t`.
  let fps: Double
  /// The sequence's frame size, written on the first line.
  var size: (width: Int, height: Int)?
  private var index = 0

  init(fps: Double) {
    self.fps = fps
  }

  /// The timestamp of the next frame in seconds.
  var nextTime: Double { Double(index) / fps }

  /// Prints the next frame's line and flushes it, so a live stream reaches the next
  /// command frame by frame.
  mutating func write(landmarks: [EstimatedLandmark]?, error: String?) {
    print(JSON.text(line(landmarks: landmarks, error: error)))
    fflush(nil)
    index += 1
  }

  /// The next frame's line as JSON.
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
