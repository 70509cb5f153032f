import Foundation
import Recording
import RepCounting
import WorkoutStore

extension CountedSession {
  /// Counts `input` with `runner`, hashing its bytes as they are parsed and reporting each
  /// repetition to `onEvent` as it becomes final. Shared by `record` and `import`.
  static func count(
    _ input: CountInput, runner: CountRunner, onEvent: (CountSession.Event) -> Void = { _ in }
  ) throws -> CountedSession {
    let hasher = SHA256()
    let counted = try runner.count(input, onEvent: onEvent) { hasher.update($0) }
    return CountedSession(
      summary: counted.summary, digest: hasher.finalize(),
      startTime: CountedSession.startTime(fromDocument: counted.startTime),
      sourceName: input.label, sourceKind: counted.kind)
  }
}
