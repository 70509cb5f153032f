import Testing

@testable import PoseEstimation

/// Truncated, bit-flipped and hostile model files give errors, never a crash.
@Suite("TFLite model reader robustness")
struct TFLiteModelFuzzTests {
  /// Parses and prepares `bytes`; returns the error, or nil when the model loaded. A model
  /// that loads is also planned and run once by the fast executor (on zeros).
  static func load(_ bytes: [UInt8]) -> TFLiteModelError? {
    do {
      let interpreter = try TFLiteInterpreter(model: try TFLiteModel(bytes: bytes))
      let executor = try TFLiteExecutor(interpreter)
      _ = try executor.run([Float](repeating: 0, count: interpreter.inputShape.reduce(1, *)))
      return nil
    } catch {
      return error
    }
  }

  @Test("truncated model files are errors")
  func truncatedFiles() throws {
    let model = try PoseTestResources.model(.detector)
    let bytes = model.bytes
    // pose_detection.tflite ends with a 22-byte ZIP end-of-central-directory record
    // ("PK\u{5}\u{6}", an empty archive of metadata files) that the runtime never reads,
    // so cutting only into it is no error.
    let zipRecord = bytes.count - 22
    #expect(bytes[zipRecord..<(zipRecord + 4)].elementsEqual([0x50, 0x4B, 0x05, 0x06]))
    let flatBufferEnd = zipRecord
    var random = SplitMix64(state: 7)
    var lengths = [
      0, 3, 4, 7, 8, 16, 64, 1000, bytes.count / 2, flatBufferEnd - 4, flatBufferEnd - 1,
    ]
    lengths += (0..<12).map { _ in Int.random(in: 0..<flatBufferEnd, using: &random) }
    for length in lengths {
      #expect(
        Self.load(Array(bytes[0..<length])) != nil, "truncated to \(length) of \(bytes.count) bytes"
      )
    }
    for length in [flatBufferEnd, bytes.count - 1] {
      _ = Self.load(Array(bytes[0..<length]))  // may load: only the appended ZIP is cut
    }
  }

  @Test("bit flips in the model structure give errors or a valid model, never a crash")
  func bitFlips() throws {
    let model = try PoseTestResources.model(.landmarks)
    let bytes = model.bytes
    // Flip bits outside the weight data, where they change offsets, shapes and options.
    let data = model.buffers.filter { !$0.isEmpty }.sorted { $0.lowerBound < $1.lowerBound }
    var structure: [Int] = []
    var position = 0
    for range in data {
      if position < range.lowerBound { structure += position..<range.lowerBound }
      position = max(position, range.upperBound)
    }
    structure += position..<bytes.count
    #expect(structure.count > 1000)
    var random = SplitMix64(state: 2024)
    var errors = 0
    let iterations = 60
    for _ in 0..<iterations {
      var mutated = bytes
      for _ in 0..<Int.random(in: 1...4, using: &random) {
        let index = structure[Int.random(in: 0..<structure.count, using: &random)]
        mutated[index] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &random)
      }
      if Self.load(mutated) != nil { errors += 1 }
    }
    // Many structure bytes are names or unused metadata, so not every flip is an error.
    #expect(errors > 0)
  }

  @Test("hostile headers are errors")
  func hostileHeaders() throws {
    let bytes = try PoseTestResources.model(.detector).bytes
    var wrongIdentifier = bytes
    wrongIdentifier[4] = UInt8(ascii: "X")
    #expect(Self.load(wrongIdentifier)?.message.contains("TFL3") == true)
    var farRoot = bytes
    farRoot[3] = 0x7F  // root table offset far beyond the end
    #expect(Self.load(farRoot) != nil)
    #expect(Self.load([]) != nil)
    #expect(Self.load(Array(repeating: 0xFF, count: 64)) != nil)
  }
}
