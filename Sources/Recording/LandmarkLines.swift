public import Foundation
import RepCounting
import WorkoutStore

/// Kept landmarks as JSON Lines in the landmark format (docs/landmark-format.md), one frame a
/// line, which `buddy count` reads: `{"t": seconds, "landmarks": [[x, y, z, visibility], …]}`,
/// or `"landmarks": null` for a frame without a pose. The first line also carries what is known
/// of the session: `fps`, `width`, `height`, `start_time`.
///
/// Times are written exactly as kept (shortest round-trip `Double`), landmark values as the
/// shortest decimal that gives back the kept `Float16`.
public enum LandmarkLines {
  /// Calls `emit` with each line (without its newline), in order; throws
  /// ``LandmarkPayloadError`` when the kept payload is damaged (before any line is emitted).
  public static func write(
    _ landmarks: KeptLandmarks, startTime: Date?, to emit: (String) throws -> Void
  ) throws {
    let reader = try landmarks.reader()
    var header: [(String, OrderedJSON.Value)] = []
    if let fps = landmarks.framesPerSecond { header.append(("fps", .raw(number(fps)))) }
    if let width = landmarks.imageWidth, let height = landmarks.imageHeight {
      header.append(("width", .raw(number(width))))
      header.append(("height", .raw(number(height))))
    }
    if let startTime {
      let formatter = ISO8601DateFormatter()
      formatter.timeZone = TimeZone(identifier: "UTC")
      header.append(("start_time", .string(formatter.string(from: startTime))))
    }
    var first = true
    for frame in reader {
      var line = "{\"t\":" + number(frame.time)
      if first {
        for (key, value) in header {
          line += "," + OrderedJSON.quoted(key) + ":" + OrderedJSON.text(value)
        }
        first = false
      }
      if frame.landmarks.isEmpty {
        line += ",\"landmarks\":null}"
      } else {
        line += ",\"landmarks\":["
        for (index, landmark) in frame.landmarks.enumerated() {
          if index > 0 { line += "," }
          line +=
            "[" + half(landmark.x) + "," + half(landmark.y) + "," + half(landmark.z) + ","
            + half(landmark.visibility) + "]"
        }
        line += "]}"
      }
      try emit(line)
    }
  }

  /// A finite `Double` as JSON: a whole number without a fraction below 10¹⁵, else the
  /// shortest text that reads back as the same `Double`.
  private static func number(_ value: Double) -> String {
    OrderedJSON.text(.number(value))
  }

  /// A value that came from a `Float16`, as the shortest decimal that reads back as it.
  private static func half(_ value: Double) -> String {
    let text = Float16(value).description
    return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
  }
}
