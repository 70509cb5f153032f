import Foundation
import PoseKernelTypes
import Testing

@testable import PoseEstimation

/// The packed-weight cache: a second load maps the packed weights and gives bit-identical
/// results; a missing, damaged, truncated, foreign or stale file is rebuilt, never trusted.
@Suite("Packed-weight cache")
struct PackedWeightCacheTests {
  /// Collects the cache's log lines.
  final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ line: String) { lock.withLock { stored.append(line) } }
    var all: [String] { lock.withLock { stored } }
  }

  static var haveModels: Bool {
    FileManager.default.fileExists(
      atPath: PoseTestResources.modelFiles.path(of: .landmarks))
  }

  /// Model files whose cache lives in a fresh temporary directory.
  private func files(_ lines: Lines) throws -> (PoseModelFiles, URL) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "buddy-packed-\(UUID().uuidString.prefix(8))")
    var files = PoseTestResources.modelFiles
    var cache = PackedWeightCache(directory: directory.path + "/nested/exercise-buddy")
    cache.log = { lines.append($0) }
    files.packedWeightCache = cache
    return (files, directory)
  }

  private func outputs(_ executor: TFLiteExecutor, seed: UInt64) throws -> [[UInt32]] {
    var generator = SplitMix(seed: seed)
    let input = (0..<executor.inputCount).map { _ in Float(generator.next() % 1000) / 1000 }
    return try executor.run(input).map { tensor in tensor.values.map(\.bitPattern) }
  }

  @Test(.enabled(if: haveModels, "needs the pose models"))
  func secondLoadMapsTheCacheAndGivesIdenticalResults() throws {
    let lines = Lines()
    let (files, directory) = try files(lines)
    defer { try? FileManager.default.removeItem(at: directory) }
    let cacheDirectory = try #require(files.packedWeightCache).directory
    for (model, plan) in [
      (PoseModelFiles.Model.detector, PlannedModel.Plan.allOutputs),
      (.landmarks, .withoutSegmentation),
    ] {
      let cold = try PlannedModel.load(model, from: files, plan: plan)
      #expect(!cold.times.fromCache)
      #expect(cold.times.dequantize > 0 && cold.times.pack > 0)
      let warm = try PlannedModel.load(model, from: files, plan: plan)
      #expect(warm.times.fromCache)
      #expect(warm.times.dequantize == 0 && warm.times.densify == 0)
      #expect(!warm.interpreter.decodesWeights)
      // Planned alike: the landmark plan leaves its heatmap to the refinement's windows.
      let uncached = try TFLiteExecutor(
        try TFLiteInterpreter(model: try PoseTestResources.model(model)),
        outputs: plan.outputs(of: cold.interpreter), threads: nil, constants: .build,
        deferring: plan.deferred(of: cold.interpreter))
      let expected = try outputs(uncached, seed: 7)
      #expect(try outputs(cold.executor, seed: 7) == expected)
      #expect(try outputs(warm.executor, seed: 7) == expected)
      // The warm interpreter cannot run the reference kernels (it has no weights).
      #expect(throws: TFLiteModelError.self) {
        _ = try warm.interpreter.run([Float](repeating: 0, count: warm.executor.inputCount))
      }
    }
    #expect(lines.all.filter { $0.contains("no cache file") }.count == 2)
    #expect(lines.all.filter { $0.contains("wrote") }.count == 2)
    #expect(lines.all.filter { $0.contains("mapped") }.count == 2)
    var info = stat()
    #expect(stat(cacheDirectory, &info) == 0 && info.st_mode & 0o777 == 0o700)
    let names = try FileManager.default.contentsOfDirectory(atPath: cacheDirectory)
    #expect(
      names.count == 2 && names.allSatisfy { $0.hasPrefix("packed-") && $0.hasSuffix(".bin") })
  }

  @Test(.enabled(if: haveModels, "needs the pose models"))
  func aTwoThreadExecutorFromTheCacheMatchesOneThread() throws {
    let lines = Lines()
    let (files, directory) = try files(lines)
    defer { try? FileManager.default.removeItem(at: directory) }
    let single = try PlannedModel.load(.detector, from: files, plan: .allOutputs)
    let team = ComputeThreads(count: 2)
    let pair = try PlannedModel.load(.detector, from: files, plan: .allOutputs, threads: team)
    #expect(pair.times.fromCache)
    #expect(try outputs(pair.executor, seed: 3) == outputs(single.executor, seed: 3))
  }

  /// Ways a cache file goes bad; each must be noticed and the file rebuilt.
  enum Damage: String, CaseIterable, Sendable {
    case flippedPayloadByte, truncated, empty, garbage, wrongMagic, wrongFormatVersion,
      wrongLayoutVersion, wrongModelHash, wrongBlockCount

    func apply(to bytes: inout [UInt8]) {
      switch self {
      case .flippedPayloadByte: bytes[bytes.count - 5] ^= 0x40
      case .truncated: bytes.removeLast(bytes.count / 3)
      case .empty: bytes = []
      case .garbage: bytes = Array("not a cache file at all, just some text\n".utf8)
      case .wrongMagic: bytes[0] = UInt8(ascii: "X")
      case .wrongFormatVersion: bytes[8] &+= 1
      case .wrongLayoutVersion: bytes[12] &+= 1
      case .wrongModelHash: bytes[33] ^= 0xFF
      case .wrongBlockCount:
        // A block count the body does not hold, with the checksum made to match again.
        bytes[40] &+= 1
        PackedWeightCacheTests.resealChecksum(&bytes)
      }
    }
  }

  /// Recomputes a file's body checksum (so a crafted header reaches the later checks).
  static func resealChecksum(_ bytes: inout [UInt8]) {
    var hasher = FastHash()
    bytes.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[64...])) }
    let sum = hasher.finalize()
    for index in 0..<8 { bytes[56 + index] = UInt8(truncatingIfNeeded: sum >> (8 * index)) }
  }

  @Test(.enabled(if: haveModels, "needs the pose models"), arguments: Damage.allCases)
  func aDamagedFileIsRebuilt(_ damage: Damage) throws {
    let lines = Lines()
    let (files, directory) = try files(lines)
    defer { try? FileManager.default.removeItem(at: directory) }
    let cache = try #require(files.packedWeightCache)
    let path = cache.path(of: .detector, plan: PlannedModel.Plan.allOutputs.rawValue)
    let first = try PlannedModel.load(.detector, from: files, plan: .allOutputs)
    let expected = try outputs(first.executor, seed: 11)
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    damage.apply(to: &bytes)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let rebuilt = try PlannedModel.load(.detector, from: files, plan: .allOutputs)
    #expect(!rebuilt.times.fromCache, "\(damage)")
    #expect(lines.all.contains { $0.contains("rebuilding") }, "\(lines.all)")
    #expect(try outputs(rebuilt.executor, seed: 11) == expected)
    let again = try PlannedModel.load(.detector, from: files, plan: .allOutputs)
    #expect(again.times.fromCache, "the rebuilt file is used next time")
    #expect(try outputs(again.executor, seed: 11) == expected)
  }

  @Test(.enabled(if: haveModels, "needs the pose models"))
  func aFileForAnotherPlanIsRebuilt() throws {
    let lines = Lines()
    let (files, directory) = try files(lines)
    defer { try? FileManager.default.removeItem(at: directory) }
    let cache = try #require(files.packedWeightCache)
    _ = try PlannedModel.load(.landmarks, from: files, plan: .allOutputs)
    // The same model's file for all outputs, renamed to the plan without segmentation.
    try FileManager.default.copyItem(
      atPath: cache.path(of: .landmarks, plan: "all"),
      toPath: cache.path(of: .landmarks, plan: "noseg"))
    let planned = try PlannedModel.load(.landmarks, from: files, plan: .withoutSegmentation)
    #expect(!planned.times.fromCache)
    #expect(lines.all.contains { $0.contains("does not fit the plan") }, "\(lines.all)")
  }

  @Test func syntheticBlocksRoundTripAndOutOfRangeBlocksAreRefused() throws {
    let identity = PackedWeightFile.Identity(
      layoutVersion: PackedGEMMWeights.layoutVersion, layoutProbe: PackedGEMMWeights.layoutProbe,
      modelByteCount: 1234, modelHash: 99)
    let a: [Float] = [1, 2, 3]
    let b: [Float] = (0..<100).map { Float($0) * 0.5 }
    let bytes = a.withUnsafeBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in PackedWeightFile.encode([pa, pb], identity: identity) }
    }
    #expect(bytes.count % 64 == 0)
    let table = try bytes.withUnsafeBytes {
      try PackedWeightFile.check($0, expecting: identity).get()
    }
    #expect(table.map(\.count) == [3, 100])
    #expect(table.allSatisfy { $0.offset % 64 == 0 })
    let decoded = bytes.withUnsafeBytes { raw in
      (0..<100).map { raw.loadUnaligned(fromByteOffset: table[1].offset + 4 * $0, as: Float.self) }
    }
    #expect(decoded == b)
    // Another model's identity.
    var other = identity
    other.modelHash = 100
    #expect(
      bytes.withUnsafeBytes { (try? PackedWeightFile.check($0, expecting: other).get()) == nil })
    // A block that would reach past the end, checksum resealed: refused by the range check.
    var crafted = bytes
    crafted[64 + 16 + 8] = 0xFF
    crafted[64 + 16 + 9] = 0xFF
    Self.resealChecksum(&crafted)
    let result = crafted.withUnsafeBytes { PackedWeightFile.check($0, expecting: identity) }
    guard case .failure(let refusal) = result else {
      Issue.record("a block past the end was accepted")
      return
    }
    #expect(refusal.description.contains("outside the file"))
  }

  @Test func theLayoutProbeIsStableAndSeesThePackedBytes() {
    #expect(PackedGEMMWeights.layoutProbe == PackedGEMMWeights.layoutProbe)
    var one = FastHash()
    var two = FastHash()
    [Float(1), 2, 3].withUnsafeBytes { one.update($0) }
    [Float(1), 2, 4].withUnsafeBytes { two.update($0) }
    #expect(one.finalize() != two.finalize())
  }
}

/// A small deterministic generator for test inputs.
private struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
