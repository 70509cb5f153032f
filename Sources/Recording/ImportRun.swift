public import Foundation
import RepCounting
import WorkoutStore

/// One `buddy import` as a state machine: fed each file's outcome (in any order), it decides
/// what becomes of the file and returns the next ``Action`` for the caller to perform, without
/// doing any I/O itself.
///
/// A file whose session counted no reps (or neither exercise) is empty; one whose bytes were
/// already seen in this run is skipped; the others are checked one by one (a file with absurd
/// values fails alone, never its batch) and stored in batches of ``batchSize``, or in a dry run
/// looked up. After ``finish()`` and its last batch, ``Action/finished(_:)`` carries the report.
///
/// ```swift
/// var run = ImportRun(files: paths, bodyMassKg: 70, now: Date(), dryRun: false)
/// var action = run.counted(session, file: 0)
/// // .store(batch): action = run.stored(try repository.importBatch(batch))
/// ```
public struct ImportRun: Sendable {
  /// Rows per INSERT (and per transaction).
  public static let batchSize = 250

  /// What happened to one file.
  public enum FileStatus: String, Sendable, Equatable {
    case imported, skipped, empty, failed
  }

  /// What a file counted: the exercise (nil when it showed none) and its reps.
  public struct Counted: Sendable, Equatable {
    public var exercise: Exercise?
    public var reps: Int

    /// Makes a count.
    public init(exercise: Exercise?, reps: Int) {
      self.exercise = exercise
      self.reps = reps
    }

    /// The exercise's name, or `none`.
    public var exerciseName: String { exercise?.name ?? "none" }
  }

  /// One file's line in the report.
  public struct FileReport: Sendable, Equatable {
    public var path: String
    public var status: FileStatus
    /// The exercise and reps counted, when the file could be counted.
    public var counted: Counted?
    /// Why the file failed.
    public var error: String?

    /// Makes a line of the report.
    public init(
      path: String, status: FileStatus, counted: Counted? = nil, error: String? = nil
    ) {
      self.path = path
      self.status = status
      self.counted = counted
      self.error = error
    }
  }

  /// What an import did, file by file in the order of the paths.
  public struct Report: Sendable, Equatable {
    public var dryRun: Bool
    public var files: [FileReport]

    /// How many files ended with `status`.
    public func count(_ status: FileStatus) -> Int {
      files.filter { $0.status == status }.count
    }
  }

  /// What the caller does next.
  public enum Action: Sendable, Equatable {
    /// Nothing: feed the next file's outcome (or ``finish()`` after the last).
    case next
    /// Tell the user that a file failed (the message names the file), then feed the next.
    case reportFailure(file: Int, message: String)
    /// Store these workouts in one transaction (`WorkoutRepository.importBatch`) and pass which
    /// were inserted to ``stored(_:)``.
    case store([NewWorkout])
    /// Dry run: look up which of these digests are recorded already
    /// (`WorkoutRepository.recordedDigests`) and pass them to ``known(_:)``.
    case checkKnown([[UInt8]])
    /// Every file has an outcome.
    case finished(Report)
  }

  private enum State: Sendable {
    case counting
    /// A batch was handed out; `finishing` when it is the last one.
    case awaitingBatch(finishing: Bool)
    case finished
  }

  private let paths: [String]
  private let bodyMassKg: Double
  private let now: Date
  private let dryRun: Bool
  private var state = State.counting
  private var statuses: [FileStatus?]
  private var counts: [Counted?]
  private var errors: [String?]
  private var seenDigests = Set<[UInt8]>()
  private var batch: [(file: Int, workout: NewWorkout)] = []

  /// A run over `files` (paths, named in the report and in failures): calories for
  /// `bodyMassKg`, `now` for sessions without a start time; `dryRun` looks up instead of storing.
  public init(files: [String], bodyMassKg: Double, now: Date, dryRun: Bool) {
    paths = files
    self.bodyMassKg = bodyMassKg
    self.now = now
    self.dryRun = dryRun
    statuses = Array(repeating: nil, count: files.count)
    counts = Array(repeating: nil, count: files.count)
    errors = Array(repeating: nil, count: files.count)
  }

  /// File `index` was counted.
  public mutating func counted(_ session: CountedSession, file index: Int) -> Action {
    expectCounting("counted(_:file:)")
    let summary = session.summary
    counts[index] = Counted(exercise: summary.exercise, reps: summary.reps)
    if summary.reps == 0 || summary.exercise == nil {
      statuses[index] = .empty
      return .next
    }
    guard seenDigests.insert(session.digest).inserted else {
      statuses[index] = .skipped  // The same content twice in this run.
      return .next
    }
    do {
      // Checked per file, so one file's absurd values fail it alone, not its batch.
      let workout = try session.workout(bodyMassKg: bodyMassKg, fallbackTime: now)
      try workout.validate()
      batch.append((index, workout))
    } catch {
      return fail(index, message: "\(paths[index]): \(error)")
    }
    return batch.count >= Self.batchSize ? handOutBatch(finishing: false) : .next
  }

  /// File `index` could not be counted; `message` says why and names the file.
  public mutating func failed(file index: Int, message: String) -> Action {
    expectCounting("failed(file:message:)")
    return fail(index, message: message)
  }

  /// Every file has been fed: hands out the last batch, if any, else the report.
  public mutating func finish() -> Action {
    expectCounting("finish()")
    guard batch.isEmpty else { return handOutBatch(finishing: true) }
    state = .finished
    return .finished(report)
  }

  /// The result of ``Action/store(_:)``: per workout, whether it was inserted (else it was
  /// recorded before).
  public mutating func stored(_ inserted: [Bool]) -> Action {
    guard case .awaitingBatch(let finishing) = state, !dryRun, inserted.count == batch.count
    else {
      preconditionFailure("ImportRun.stored(_:) without a .store batch of that size")
    }
    return settleBatch(inserted, finishing: finishing)
  }

  /// The result of ``Action/checkKnown(_:)``: the digests recorded already.
  public mutating func known(_ digests: Set<[UInt8]>) -> Action {
    guard case .awaitingBatch(let finishing) = state, dryRun else {
      preconditionFailure("ImportRun.known(_:) without a .checkKnown batch")
    }
    return settleBatch(
      batch.map { !digests.contains($0.workout.sourceDigest ?? []) }, finishing: finishing)
  }

  /// The report so far (complete once ``Action/finished(_:)`` was returned).
  public var report: Report {
    Report(
      dryRun: dryRun,
      files: paths.indices.map { index in
        FileReport(
          path: paths[index], status: statuses[index] ?? .failed, counted: counts[index],
          error: errors[index])
      })
  }

  private mutating func fail(_ index: Int, message: String) -> Action {
    statuses[index] = .failed
    errors[index] = message
    return .reportFailure(file: index, message: message)
  }

  private mutating func handOutBatch(finishing: Bool) -> Action {
    state = .awaitingBatch(finishing: finishing)
    return dryRun
      ? .checkKnown(batch.compactMap(\.workout.sourceDigest)) : .store(batch.map(\.workout))
  }

  private mutating func settleBatch(_ inserted: [Bool], finishing: Bool) -> Action {
    for (entry, isNew) in zip(batch, inserted) {
      statuses[entry.file] = isNew ? .imported : .skipped
    }
    batch.removeAll(keepingCapacity: true)
    guard finishing else {
      state = .counting
      return .next
    }
    state = .finished
    return .finished(report)
  }

  private func expectCounting(_ step: String) {
    guard case .counting = state else {
      preconditionFailure("ImportRun.\(step) while a batch is pending or after the run finished")
    }
  }
}
