internal import Spawn

/// A helper program (ffprobe, ffmpeg) started as a ``SpawnedProgram``: standard input is
/// /dev/null, standard output a pipe read through ``output``, standard error a temporary file
/// read once the program has exited; nothing else is inherited (see ``SpawnedProgram``: a
/// program started on another thread at the same moment must not keep this one's pipe open).
final class ChildProcess {
  private let program: SpawnedProgram

  /// Starts `executable`; `name` is the input the error messages name.
  init(executable: String, arguments: [String], name: String) throws(PoseInputError) {
    do {
      program = try SpawnedProgram(executable: executable, arguments: arguments, output: .pipe)
    } catch {
      throw PoseInputError(.unavailable, file: name, reason: error.reason)
    }
  }

  /// The read end of the program's standard output (close-on-exec from the start).
  var output: Int32 { program.output }

  /// Everything the program writes to standard output, up to its end (for short outputs).
  func readOutput() -> [UInt8] { program.readOutput() }

  /// Ends the program at once (SIGKILL: ffmpeg would finish its output on SIGTERM) and waits
  /// for it: for a program whose output is no longer wanted. Nothing when it was waited for.
  func stop() { program.kill() }

  /// Closes ``output``, waits for the program and returns its exit code (128 + the signal
  /// when a signal ended it) and what it wrote to standard error. Later calls return the same.
  func finish() -> (status: Int32, errorText: String) {
    let outcome = program.wait()
    return (outcome.status, outcome.captured)
  }

  /// The last non-empty line of `text`, if any.
  static func lastLine(_ text: String) -> String? { SpawnedProgram.lastLine(text) }
}
