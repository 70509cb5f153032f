import Foundation
import PoseEstimation
import PoseInput
import Recording
import RepCounting
import Testing

/// The counting signal stored with a workout: recorded while counting, downsampled and bounded,
/// stored in the details only when present.
@Suite("The stored counting signal")
struct SignalTests {
  private static func noModels() throws -> PosePipeline {
    throw PoseInputError(.badData, file: "-", reason: "no models in this test")
  }

  private static func counted(_ file: String, mode: CountSession.Mode = .auto) throws
    -> CountedSession
  {
    try CountedSession.count(
      .path(StoredFixtures.directory + "/" + file), mode: mode,
      options: PoseFrameSource.Options(), makePipeline: noModels)
  }

  private static func gauge(_ value: Double, low: Double? = nil, high: Double? = nil)
    -> RepTrace.Gauge
  {
    RepTrace.Gauge(value: value, low: low, high: high, range: 0...1)
  }

  @Test(arguments: [
    ("mp33-oblique45-30fps-partials.json", Exercise.pushUp),
    ("mixed-coco17-side-30fps-pushups-then-rope.jsonl", .jumpRope),
    ("squat-mp33-side-30fps-steady.json", .squat),
  ])
  func aCountedSessionStoresItsSignalAtTenSamplesASecond(file: String, exercise: Exercise) throws {
    let session = try Self.counted(file)
    let signal = try #require(session.details.signal)
    #expect(signal.rate == 10)
    let clip = session.summary.statistics.duration
    #expect(abs(signal.duration - clip) <= 0.1 + 1e-9)
    #expect(signal.value.contains { $0 != nil })
    #expect(signal.low.contains { $0 != nil } && signal.high.contains { $0 != nil })
    let text = session.details.jsonText
    #expect(text.contains(#","signal":{"rate":10,"start":"#))
    #expect(try WorkoutDetails(jsonText: text) == session.details)
    #expect(try StoredDetails(jsonText: text) == .counted(session.details))
    // A few KB a minute: under 5 KB for the three series at 10 samples a second.
    let bytes = text.utf8.count - session.details.withoutSignal.jsonText.utf8.count
    #expect(Double(bytes) / clip * 60 < 5000)
  }

  @Test func aMixedSessionKeepsOnlyTheCountedExercisesGauge() throws {
    let session = try Self.counted("mixed-coco17-side-30fps-pushups-then-rope.jsonl")
    let signal = try #require(session.details.signal)
    // The push-ups come first: their samples are gaps in the jump-rope signal.
    #expect(signal.value.prefix(10).allSatisfy { $0 == nil })
    #expect(signal.value.suffix(10).contains { $0 != nil })
  }

  @Test func bucketsAverageTheGaugeAndKeepTheLastLines() throws {
    var recorder = SignalRecorder(rate: 10)
    recorder.record(time: 5.0, exercise: .pushUp, gauge: Self.gauge(0.2, low: 0.1))
    recorder.record(time: 5.05, exercise: .pushUp, gauge: Self.gauge(0.4, high: 0.9))
    recorder.record(time: 5.1, exercise: .pushUp, gauge: nil)
    recorder.record(time: 5.25, exercise: .pushUp, gauge: Self.gauge(1))
    recorder.record(time: 5.35, exercise: .squat, gauge: Self.gauge(0.5))
    let signal = try #require(recorder.signal(for: .pushUp))
    #expect(signal.rate == 10 && signal.start == 5)
    #expect(signal.value == [30, nil, 100, nil])
    #expect(signal.low == [10, nil, nil, nil])
    #expect(signal.high == [90, nil, nil, nil])
    #expect(recorder.signal(for: .jumpRope) == nil)
    #expect(recorder.signal(for: nil) == nil)
    #expect(SignalRecorder().signal(for: .pushUp) == nil)
  }

  @Test func aLongSessionHalvesTheRateToStayBounded() throws {
    var recorder = SignalRecorder(rate: 10, capacity: 100)
    for frame in 0..<(30 * 25) {
      recorder.record(time: Double(frame) / 30, exercise: .squat, gauge: Self.gauge(0.5))
    }
    let signal = try #require(recorder.signal(for: .squat))
    #expect(signal.rate == 2.5)
    #expect(signal.count <= 100 && signal.count == 63)
    #expect(signal.value.allSatisfy { $0 == 50 })
    // Non-finite or far-off times neither trap nor grow the series.
    recorder.record(time: .infinity, exercise: .squat, gauge: Self.gauge(0.5))
    recorder.record(time: 1e300, exercise: .squat, gauge: Self.gauge(0.5))
    #expect(try #require(recorder.signal(for: .squat)).count <= 100)
  }

  @Test func detailsWithoutASignalKeepTheirText() throws {
    let details = try WorkoutDetails(jsonText: StoredFixtures.pushUpText)
    #expect(details.signal == nil)
    #expect(!details.jsonText.contains("signal"))
  }

  @Test func aSignalRoundTripsThroughTheStoredText() throws {
    var details = try WorkoutDetails(jsonText: StoredFixtures.pushUpText)
    details.signal = WorkoutDetails.Signal(
      rate: 2.5, start: 0.033, value: [0, 55, nil, 100], low: [40, nil, nil, nil],
      high: [nil, 80, nil, 80])
    let text = details.jsonText
    #expect(
      text.hasSuffix(
        #","signal":{"rate":2.5,"start":0.033,"value":[0,55,null,100],"low":[[1,40],[3,null]],"high":[[1,null],[1,80],[1,null],[1,80]]}}"#
      ))
    #expect(try WorkoutDetails(jsonText: text) == details)
    #expect(String(decoding: try JSONEncoder().encode(details), as: UTF8.self).contains("signal"))
  }

  @Test(arguments: [
    #"{"rate":0,"start":0,"value":[1],"low":[[1,null]],"high":[[1,null]]}"#,
    #"{"rate":10,"start":0,"value":[],"low":[],"high":[]}"#,
    #"{"rate":10,"start":0,"value":[1,2],"low":[[1,null]],"high":[[2,null]]}"#,
    #"{"rate":10,"start":0,"value":[101],"low":[[1,null]],"high":[[1,null]]}"#,
    #"{"rate":10,"start":0,"value":[1],"low":[[1,-1]],"high":[[1,null]]}"#,
    #"{"rate":10,"start":0,"value":[1],"low":[[0,null],[1,null]],"high":[[1,null]]}"#,
    #"{"rate":10,"start":0,"value":[1],"low":[[1]],"high":[[1,null]]}"#,
    #"{"rate":10,"start":0,"value":[1],"low":[[9999999999,null]],"high":[[1,null]]}"#,
  ])
  func aMalformedSignalIsRejected(signal: String) {
    let text = String(StoredFixtures.pushUpText.dropLast()) + #","signal":"# + signal + "}"
    #expect(throws: DecodingError.self) { try WorkoutDetails(jsonText: text) }
  }
}

extension WorkoutDetails {
  fileprivate var withoutSignal: WorkoutDetails {
    var copy = self
    copy.signal = nil
    return copy
  }
}
