/// The parts of golden.py's index.json the tests read.
struct GoldenIndex: Decodable {
  var models: [String: Model]

  struct Model: Decodable {
    var file: String
    var sha256: String
    var cases: [String: Case]
    var opTests: [OpTest]
    var weights: [Weight]
  }

  struct Case: Decodable {
    var inputFile: String
    var outputs: [Output]
  }

  struct Output: Decodable {
    var outputIndex: Int
    var tensorIndex: Int
    var name: String
    var shape: [Int]
    var file: String?
    var stats: Stats
  }

  struct Stats: Decodable {
    var min: Double
    var max: Double
    var mean: Double
    var meanAbs: Double
    var first8: [Double]
  }

  struct OpTest: Decodable {
    var variant: String
    var opIndex: Int
    var op: String
    var inputs: [Input]
    var output: Tensor
    var skipped: String?
  }

  struct Input: Decodable {
    var tensorIndex: Int
    var shape: [Int]
    var file: String?
    var constant: Bool?
    var weightsAfterDequantize: Bool?
    var int32Values: [Int]?
  }

  struct Tensor: Decodable {
    var tensorIndex: Int
    var shape: [Int]
    var file: String?
  }

  struct Weight: Decodable {
    var tensorIndex: Int
    var shape: [Int]
    var sum: Double
    var sumAbs: Double
    var first8: [Double]
  }
}

/// A committed Fixtures/golden/<model>.json (scripts/golden-fixtures.py).
struct GoldenFixture: Decodable {
  var file: String
  var sha256: String
  var weights: [GoldenIndex.Weight]
  var cases: [String: [GoldenIndex.Output]]
}
