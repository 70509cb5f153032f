import Foundation
import Recording
import RepCounting

/// `buddy count --dump-frames FILE` (hidden, for `scripts/eval-realdata.sh --variants`): writes
/// the frames the counters were fed, one JSON line each in the landmark format of
/// docs/landmark-format.md (the first line with the session's width and height), every number
/// at full precision (shortest round-trip text), so that counting FILE gives the same counts as
/// counting the input did. A video decoded at the default rate is also fed to each counter at
/// its own rate in auto mode; FILE's counts match that with `--replay-video-fps R`, R the rate
/// the video was decoded at (the first line's `video_fps`, written for such a video).
final class FrameDump {
  private let path: String
  private let handle: FileHandle
  private var lines = 0

  /// Creates (or empties) the file at `path`.
  init(path: String) throws {
    guard FileManager.default.createFile(atPath: path, contents: nil),
      let handle = FileHandle(forWritingAtPath: path)
    else { throw CLIError(.unexpected, "\(path): cannot create the frame dump") }
    self.path = path
    self.handle = handle
  }

  /// Writes the frame of one counting step; `videoFPS` is the decode rate of a video at the
  /// default rate (nil otherwise).
  func write(_ step: SessionCounting.Step, videoFPS: Double?) throws {
    var members: [(String, JSON.Value)] = [("t", Self.exact(step.frame.time))]
    if lines == 0 {
      members.append(("width", Self.exact(step.geometry.width)))
      members.append(("height", Self.exact(step.geometry.height)))
      if let videoFPS { members.append(("video_fps", Self.exact(videoFPS))) }
    }
    if step.frame.landmarks.isEmpty {
      members.append(("landmarks", .null))
    } else {
      members.append(
        (
          "landmarks",
          .array(
            step.frame.landmarks.map { landmark in
              .array(
                [landmark.x, landmark.y, landmark.z, landmark.visibility].map(Self.exact))
            })
        ))
    }
    lines += 1
    do {
      try handle.write(contentsOf: Data((JSON.text(.object(members)) + "\n").utf8))
    } catch {
      throw CLIError(.unexpected, "\(path): cannot write the frame dump (\(error))")
    }
  }

  /// `value` as JSON text that reads back as the same double (Swift's shortest round-trip
  /// form); null when not finite.
  private static func exact(_ value: Double) -> JSON.Value {
    value.isFinite ? .raw(String(value)) : .null
  }

  /// Closes the file.
  func close() throws {
    try? handle.close()
  }
}
