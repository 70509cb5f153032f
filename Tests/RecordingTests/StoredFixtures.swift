import Foundation
import PoseInput
import RepCounting

/// Sessions counted from the repository's fixtures, and the `details` text the code before the
/// `Recording` module stored for them (the `details` of `buddy record --dry-run --format json`,
/// which prints the stored text as is).
enum StoredFixtures {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures").path

  /// The name the fixtures had when the texts below were recorded.
  static func recordedName(_ file: String) -> String { "/work/wt-recording/Fixtures/" + file }

  /// Push-ups with two partials, auto-detected (`buddy record` of a landmark document).
  static let pushUpFile = "mp33-oblique45-30fps-partials.json"
  static let pushUpText = [
    #"{"source":{"name":"/work/wt-recording/Fixtures/mp33-oblique45-30fps-partials.json","form"#,
    #"at":"document"},"exercise":"push-up","detected":{"exercise":"push-up","confidence":1},"r"#,
    #"eps":5,"partial_reps":2,"duration_seconds":13.167,"clip_seconds":15.7,"cadence_per_minut"#,
    #"e":22.8,"confidence":0.87,"frames":472,"frames_with_pose":472,"engine_version":"push-up/"#,
    #"1","reps_detail":[{"start":1.367,"bottom":2.033,"end":2.533,"depth_angle":91.4},{"start""#,
    #":3.367,"bottom":4.067,"end":4.533,"depth_angle":92.3},{"start":7.333,"bottom":8,"end":8."#,
    #"533,"depth_angle":94.7},{"start":9.333,"bottom":10.067,"end":10.5,"depth_angle":89.7},{""#,
    #"start":13.367,"bottom":13.967,"end":14.533,"depth_angle":92.8}],"partial_reps_detail":[{"#,
    #""start":5.367,"bottom":6,"end":6.6,"depth_angle":133.7},{"start":11.4,"bottom":12.033,"e"#,
    #"nd":12.567,"depth_angle":134.9}],"other_exercises":[],"notes":[]}"#,
  ].joined()

  /// Push-ups, then jump rope (JSON Lines): jump-rope reps, the push-ups as another exercise.
  static let mixedFile = "mixed-coco17-side-30fps-pushups-then-rope.jsonl"
  static let mixedText = [
    #"{"source":{"name":"/work/wt-recording/Fixtures/mixed-coco17-side-30fps-pushups-then-rope"#,
    #".jsonl","format":"jsonLines"},"exercise":"jump-rope","detected":{"exercise":"jump-rope","#,
    #""confidence":0.34},"reps":12,"partial_reps":0,"duration_seconds":4.567,"clip_seconds":14"#,
    #".567,"cadence_per_minute":157.7,"confidence":1,"frames":438,"frames_with_pose":438,"engi"#,
    #"ne_version":"jump-rope/1","reps_detail":[{"landing":10,"takeoff":9.833,"apex":9.9},{"lan"#,
    #"ding":10.4,"takeoff":10.233,"apex":10.3},{"landing":10.8,"takeoff":10.633,"apex":10.7},{"#,
    #""landing":11.2,"takeoff":11.033,"apex":11.1},{"landing":11.6,"takeoff":11.433,"apex":11."#,
    #"5},{"landing":12,"takeoff":11.833,"apex":11.867},{"landing":12.4,"takeoff":12.233,"apex""#,
    #":12.3},{"landing":12.8,"takeoff":12.633,"apex":12.7},{"landing":13.2,"takeoff":13.033,"a"#,
    #"pex":13.1},{"landing":13.6,"takeoff":13.433,"apex":13.467},{"landing":14,"takeoff":13.83"#,
    #"3,"apex":13.9},{"landing":14.4,"takeoff":14.233,"apex":14.3}],"partial_reps_detail":[],""#,
    #"other_exercises":[{"exercise":"push-up","reps":4}],"notes":[]}"#,
  ].joined()

  /// Counts a fixture as `buddy record` does with `--exercise auto`.
  static func summary(of file: String) throws -> SessionSummary {
    let reader = try PoseReader(path: directory + "/" + file)
    var session: CountSession?
    while let frame = try reader.next() {
      if session == nil {
        let header = reader.header
        let geometry =
          header.width.flatMap { width in
            header.height.map { ImageGeometry(width: width, height: $0) }
          } ?? .normalised
        session = CountSession(mode: .auto, geometry: geometry)
      }
      _ = session?.consume(frame)
    }
    var final = session ?? CountSession(mode: .auto)
    _ = final.finish()
    return final.summary
  }
}
