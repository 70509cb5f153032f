import Foundation
import Recording
import RepCounting
import Testing
import WorkoutStore

@Suite("The import run as a state machine")
struct ImportRunTests {
  private static let now = Date(timeIntervalSince1970: 1_800_000_000)

  /// A session of `reps` push-ups (2 s each) whose bytes hash to `tag`'s digest.
  private static func session(_ tag: String, reps: Int, exercise: Exercise? = .pushUp)
    -> CountedSession
  {
    let repetitions = (0..<reps).map {
      Repetition(
        start: Double($0) * 2, bottom: Double($0) * 2 + 1, end: Double($0) * 2 + 2, depthAngle: 80)
    }
    return CountedSession(
      summary: SessionSummary(
        exercise: exercise, events: repetitions.map { .rep($0) }, statistics: FrameStatistics(),
        engineVersion: "test/1"),
      digest: SHA256.hash(Array(tag.utf8)), startTime: nil, sourceName: tag,
      sourceKind: "document")
  }

  private static func paths(_ count: Int) -> [String] { (0..<count).map { "f\($0).json" } }

  @Test func eachKindOfFileEndsWithItsStatus() throws {
    let paths = Self.paths(6)
    var run = ImportRun(files: paths, bodyMassKg: 70, now: Self.now, dryRun: false)
    // Outcomes arrive in the order counting finishes, not the order of the paths.
    #expect(run.counted(Self.session("a", reps: 5), file: 3) == .next)
    #expect(
      run.failed(file: 0, message: "f0.json:1:2: truncated")
        == .reportFailure(file: 0, message: "f0.json:1:2: truncated"))
    #expect(run.counted(Self.session("a", reps: 5), file: 1) == .next)  // same bytes as f3
    #expect(run.counted(Self.session("empty", reps: 0), file: 2) == .next)
    #expect(run.counted(Self.session("walk", reps: 0, exercise: nil), file: 5) == .next)
    // A rep lasting 700,000 s: longer than a workout may last, so this file fails alone.
    let endless = CountedSession(
      summary: SessionSummary(
        exercise: .pushUp,
        events: [.rep(Repetition(start: 0, bottom: 1, end: 700_000, depthAngle: 80))],
        statistics: FrameStatistics(), engineVersion: "test/1"),
      digest: [9], startTime: nil, sourceName: "endless", sourceKind: "document")
    guard case .reportFailure(4, let message) = run.counted(endless, file: 4) else {
      Issue.record("a workout out of range did not fail its file")
      return
    }
    #expect(message == "f4.json: the duration must be 0 s to 7 days (got 700000 s)")

    guard case .store(let batch) = run.finish() else {
      Issue.record("the last batch was not handed out")
      return
    }
    #expect(batch.count == 1)
    #expect(batch[0].reps == 5 && batch[0].durationSeconds == 10)
    #expect(batch[0].createdAt == Self.now)
    #expect(batch[0].sourceDigest == SHA256.hash(Array("a".utf8)))
    guard case .finished(let report) = run.stored([true]) else {
      Issue.record("no report after the last batch")
      return
    }
    #expect(report == run.report)
    #expect(!report.dryRun)
    #expect(report.files.map(\.status) == [.failed, .skipped, .empty, .imported, .failed, .empty])
    #expect(report.files.map(\.path) == paths)
    #expect(report.files[0].counted == nil)
    #expect(report.files[0].error == "f0.json:1:2: truncated")
    #expect(report.files[2].counted == ImportRun.Counted(exercise: .pushUp, reps: 0))
    #expect(report.files[5].counted == ImportRun.Counted(exercise: nil, reps: 0))
    #expect(report.files[4].counted == ImportRun.Counted(exercise: .pushUp, reps: 1))
    #expect(report.files[3].error == nil)
    let counts: [Int] = [
      report.count(.imported), report.count(.skipped), report.count(.empty), report.count(.failed),
    ]
    #expect(counts == [1, 1, 2, 2])
  }

  @Test func workoutsAreStoredInBatchesOf250() throws {
    let count = 2 * ImportRun.batchSize + 10
    var run = ImportRun(files: Self.paths(count), bodyMassKg: 70, now: Self.now, dryRun: false)
    var batches: [[NewWorkout]] = []
    for index in 0..<count {
      let action = run.counted(Self.session("file \(index)", reps: 3), file: index)
      switch action {
      case .next: continue
      case .store(let batch):
        batches.append(batch)
        // The database had stored the first file of each batch before (a rerun).
        #expect(run.stored(batch.indices.map { $0 != 0 }) == .next)
      default: Issue.record("unexpected \(action)")
      }
    }
    guard case .store(let last) = run.finish() else {
      Issue.record("the last batch was not handed out")
      return
    }
    batches.append(last)
    guard case .finished(let report) = run.stored(last.map { _ in true }) else {
      Issue.record("no report after the last batch")
      return
    }
    #expect(batches.map(\.count) == [250, 250, 10])
    #expect(Set(batches.joined().compactMap(\.sourceDigest)).count == count)
    #expect(report.count(.imported) == count - 2)
    #expect(report.count(.skipped) == 2)
    #expect(report.files[0].status == .skipped && report.files[250].status == .skipped)
    #expect(report.files[500].status == .imported)
  }

  @Test func aDryRunLooksUpDigestsInsteadOfStoring() throws {
    let count = ImportRun.batchSize + 1
    var run = ImportRun(files: Self.paths(count), bodyMassKg: 70, now: Self.now, dryRun: true)
    let known = SHA256.hash(Array("file 7".utf8))
    var lookedUp = 0
    for index in 0..<count {
      switch run.counted(Self.session("file \(index)", reps: 2), file: index) {
      case .next: continue
      case .checkKnown(let digests):
        lookedUp += digests.count
        #expect(digests.count == 250 && digests.contains(known))
        #expect(run.known([known]) == .next)
      case let action: Issue.record("unexpected \(action)")
      }
    }
    guard case .checkKnown(let digests) = run.finish() else {
      Issue.record("the last digests were not looked up")
      return
    }
    #expect(digests == [SHA256.hash(Array("file 250".utf8))])
    guard case .finished(let report) = run.known([]) else {
      Issue.record("no report after the last lookup")
      return
    }
    #expect(lookedUp == 250)
    #expect(report.dryRun)
    #expect(report.files[7].status == .skipped)
    #expect(report.count(.imported) == count - 1)
  }

  @Test func aRunWithNothingToStoreFinishesAtOnce() {
    var run = ImportRun(files: Self.paths(2), bodyMassKg: 70, now: Self.now, dryRun: false)
    #expect(run.counted(Self.session("empty", reps: 0), file: 1) == .next)
    _ = run.failed(file: 0, message: "f0.json: unreadable")
    guard case .finished(let report) = run.finish() else {
      Issue.record("a run without workouts did not finish")
      return
    }
    #expect(report.files.map(\.status) == [.failed, .empty])
  }

  @Test func aDurationNoIntCanHoldFailsItsFile() {
    var run = ImportRun(files: Self.paths(1), bodyMassKg: 70, now: Self.now, dryRun: false)
    let session = CountedSession(
      summary: SessionSummary(
        exercise: .pushUp,
        events: [.rep(Repetition(start: 0, bottom: 1, end: 1e300, depthAngle: 80))],
        statistics: FrameStatistics(), engineVersion: "test/1"),
      digest: [7], startTime: nil, sourceName: "far", sourceKind: "document")
    #expect(
      run.counted(session, file: 0)
        == .reportFailure(file: 0, message: "f0.json: the active duration 1e+300 s is out of range")
    )
  }

  @Test func eachWorkoutGetsCaloriesForTheBodyMass() throws {
    var run = ImportRun(files: Self.paths(1), bodyMassKg: 90, now: Self.now, dryRun: false)
    _ = run.counted(Self.session("a", reps: 30), file: 0)
    guard case .store(let batch) = run.finish() else {
      Issue.record("the batch was not handed out")
      return
    }
    // MET 8.0 × 90 kg × 60 s.
    #expect(abs((batch[0].caloriesBurned ?? 0) - 8.0 * 90 / 60) < 1e-9)
  }
}
