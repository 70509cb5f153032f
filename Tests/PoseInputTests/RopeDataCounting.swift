import Foundation
import PoseInput
import Testing

@testable import RepCounting

/// The rope development set (`../ropedata` next to the checkout; not in the repository:
/// licence): a file's path under it, and a whole count of such a file.
enum RopeData {
  /// `relative` under `../ropedata`, standardized.
  static func path(_ relative: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../../ropedata/" + relative).standardized.path
  }

  /// Counts the landmark file at `path` from its first frame to the end in `mode`, with the
  /// image size its header names and `counterRates` as a video decoded at those rates gives.
  static func count(
    _ path: String, _ mode: CountSession.Mode, counterRates: [Exercise: Double] = [:]
  ) throws -> SessionSummary {
    let reader = try PoseReader(path: path)
    var session: CountSession?
    while let frame = try reader.next() {
      if session == nil {
        let header = reader.header
        let width = try #require(header.width)
        let height = try #require(header.height)
        session = CountSession(
          mode: mode, geometry: ImageGeometry(width: width, height: height),
          counterRates: counterRates)
      }
      _ = session?.consume(frame)
    }
    var counted = try #require(session)
    _ = counted.finish()
    return counted.summary
  }

  /// The reps a lone jump-rope counter with `tuning` finds over the whole landmark file at
  /// `path` (no session around it: no detection, no rate resampling).
  static func jumpRopeReps(_ path: String, tuning: JumpRopeCounter.Tuning) throws -> Int {
    let reader = try PoseReader(path: path)
    var counter: JumpRopeCounter?
    var reps = 0
    while let frame = try reader.next() {
      if counter == nil {
        let width = try #require(reader.header.width)
        let height = try #require(reader.header.height)
        counter = JumpRopeCounter(
          geometry: ImageGeometry(width: width, height: height), tuning: tuning)
      }
      for case .rep in counter?.consume(frame) ?? [] { reps += 1 }
    }
    for case .rep in counter?.finish() ?? [] { reps += 1 }
    return reps
  }
}
