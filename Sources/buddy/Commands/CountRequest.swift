import Foundation
import Glibc
import PoseInput
import RepCounting

/// What `buddy count` was asked to do, however its command line was read: by argument-parser
/// (``CountCommand``) or, for the everyday forms, by ``CountQuickLine``.
struct CountRequest {
  var exercise: ExerciseChoice = .auto
  var follow = false
  var fps: FrameRate?
  var threads = PoseThreads.defaultCount
  var size: ImageSize?
  var format: OutputFormat = .text
  /// `--annotate OUT` and `--frames DIR` (nil: not given).
  var annotate: AnnotateOptions?
  var dumpFrames: String?
  var replayVideoFps: Double?
  var inputs: [String] = []

  /// Counts every input and prints its summary (and, with `follow`, each rep as it is final).
  func run() throws {
    // JPEG files named one after the other are one session; a directory stands for the
    // sessions `import` finds in it (SessionDiscovery): a directory of JPEG frames is one.
    let sessions: [CountInput] = try CountInput.group(inputs).flatMap { input -> [CountInput] in
      guard case .path(let path) = input, path != "-" else { return [input] }
      return try SessionDiscovery.sessions(under: path) { Terminal.note($0.description) }
        .map { .path($0) }
    }
    if let dump = dumpFrames, sessions.count != 1 {
      throw CLIError(
        .usage,
        "--dump-frames \(dump) writes one input; these inputs hold \(sessions.count) sessions")
    }
    if let rate = replayVideoFps, !(rate.isFinite && rate > 0 && rate <= 1000) {
      throw CLIError(.usage, "--replay-video-fps \(rate): give a rate above 0, at most 1000")
    }
    if let out = annotate?.output, sessions.count != 1 {
      throw CLIError(
        .usage,
        "--annotate \(out) draws one input; these inputs hold \(sessions.count) sessions")
    }
    var runner = CountRunner(mode: exercise.mode, fps: fps, size: size, threads: threads)
    runner.annotate = annotate
    runner.dumpFrames = dumpFrames
    runner.replayedVideoFPS = replayVideoFps
    for session in sessions {
      let summary = try runner.count(session) { event in
        guard follow else { return }
        switch format {
        case .text: print(CountReport.followLine(event))
        case .json: print(JSON.text(CountReport.followEvent(event)))
        }
        fflush(nil)
      }
      for note in summary.notes {
        Terminal.note("\(session.name): \(note)")
      }
      switch format {
      case .text:
        let line = CountReport.text(summary)
        print(sessions.count > 1 ? "\(session.label): \(line)" : line)
      case .json:
        print(JSON.text(CountReport.json(summary, file: session.label)))
      }
      fflush(nil)
    }
  }
}
