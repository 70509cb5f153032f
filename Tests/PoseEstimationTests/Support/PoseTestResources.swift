import Foundation
import Testing

@testable import PoseEstimation

/// Where the tests find the model files, the generated golden vectors and the
/// committed fixtures.
enum PoseTestResources {
  /// The package root (this file is Tests/PoseEstimationTests/Support/…).
  static let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static let environment = ProcessInfo.processInfo.environment

  static let modelFiles = PoseModelFiles(environment: environment)

  /// `BUDDY_POSE_GOLDEN_DIR`, else `.build/pose-golden` (what scripts/make-golden.sh writes).
  static let goldenDirectory: URL = {
    if let dir = environment["BUDDY_POSE_GOLDEN_DIR"], !dir.isEmpty {
      return URL(fileURLWithPath: dir)
    }
    return packageRoot.appendingPathComponent(".build/pose-golden")
  }()

  /// The committed golden subset (weight checksums, output stats).
  static let fixtureDirectory = packageRoot.appendingPathComponent(
    "Tests/PoseEstimationTests/Fixtures/golden")

  /// Parses `model`, failing with a message naming the fetch script when it is missing.
  static func model(_ model: PoseModelFiles.Model) throws -> TFLiteModel {
    let path = modelFiles.path(of: model)
    guard FileManager.default.fileExists(atPath: path) else {
      Issue.record(
        "model file \(path) is missing: run scripts/fetch-pose-models.sh first (or set BUDDY_MODEL_DIR)"
      )
      throw MissingResource()
    }
    return try TFLiteModel(contentsOfFile: path)
  }

  /// Interpreters are loaded once per test process.
  static func interpreter(_ model: PoseModelFiles.Model) throws -> TFLiteInterpreter {
    switch model {
    case .detector: try detectorInterpreter.get()
    case .landmarks: try landmarkInterpreter.get()
    }
  }

  private static let detectorInterpreter = Result { try TFLiteInterpreter(model: model(.detector)) }
  private static let landmarkInterpreter = Result {
    try TFLiteInterpreter(model: model(.landmarks))
  }

  /// The golden index, failing with a message naming the golden script when it is missing.
  static func goldenIndex() throws -> GoldenIndex {
    try goldenIndexResult.get()
  }

  private static let goldenIndexResult = Result {
    let url = goldenDirectory.appendingPathComponent("index.json")
    guard FileManager.default.fileExists(atPath: url.path) else {
      let message =
        "golden vectors missing at \(goldenDirectory.path): run scripts/fetch-pose-models.sh and "
        + "scripts/make-golden.sh first (or set BUDDY_POSE_GOLDEN_DIR)"
      Issue.record(Comment(rawValue: message))
      throw MissingResource()
    }
    return try snakeCaseDecoder.decode(GoldenIndex.self, from: Data(contentsOf: url))
  }

  /// A little-endian float32 file of the golden directory.
  static func goldenTensor(_ relativePath: String) throws -> [Float] {
    let data = try Data(contentsOf: goldenDirectory.appendingPathComponent(relativePath))
    return data.withUnsafeBytes { raw in
      (0..<(raw.count / 4)).map {
        Float(
          bitPattern: UInt32(
            littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))
      }
    }
  }

  /// The committed fixture of one model.
  static func fixture(_ model: PoseModelFiles.Model) throws -> GoldenFixture {
    let name = model.rawValue.replacingOccurrences(of: ".tflite", with: ".json")
    return try snakeCaseDecoder.decode(
      GoldenFixture.self, from: Data(contentsOf: fixtureDirectory.appendingPathComponent(name)))
  }

  struct MissingResource: Error {}
}

/// Decodes golden.py's snake_case keys into camelCase properties.
let snakeCaseDecoder: JSONDecoder = {
  let decoder = JSONDecoder()
  decoder.keyDecodingStrategy = .convertFromSnakeCase
  return decoder
}()

/// Whether `a` and `b` hold the same floats: the same bits (one `memcmp`, which the debug
/// build of a loop over millions of floats is not), else equal values (`==`).
func sameValues(_ a: [Float], _ b: [Float]) -> Bool {
  identicalBits(a, b) || a == b
}

/// Whether `a` and `b` have the same count and the same bytes.
func identicalBits(_ a: [Float], _ b: [Float]) -> Bool {
  guard a.count == b.count else { return false }
  return a.withUnsafeBytes { x in
    b.withUnsafeBytes { y in
      guard let p = x.baseAddress, let q = y.baseAddress else { return true }
      return memcmp(p, q, x.count) == 0
    }
  }
}

/// max |actual − expected| / max |expected| (spec §5.1's relative measure); 0 at once for
/// identical bits.
func relativeError(_ actual: [Float], _ expected: [Float]) -> Double {
  precondition(actual.count == expected.count)
  if identicalBits(actual, expected) { return 0 }
  var maxDiff = 0.0
  var maxRef = 0.0
  for (a, e) in zip(actual, expected) {
    maxDiff = max(maxDiff, abs(Double(a) - Double(e)))
    maxRef = max(maxRef, abs(Double(e)))
  }
  return maxDiff / max(maxRef, 1e-12)
}

/// max |actual − expected|.
func absoluteError(_ actual: [Float], _ expected: [Float]) -> Double {
  zip(actual, expected).reduce(0.0) { max($0, abs(Double($1.0) - Double($1.1))) }
}
