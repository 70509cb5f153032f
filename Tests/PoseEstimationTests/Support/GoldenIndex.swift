/// The parts of golden.py's index.json the tests read.
struct GoldenIndex: Decodable {
  var models: [String: Model]

  struct Model: Decodable {
    var file: String
    var sha256: String
    var cases: [String: Case]
    var op_tests: [OpTest]
    var weights: [Weight]
  }

  struct Case: Decodable {
    var input_file: String
    var outputs: [Output]
  }

  struct Output: Decodable {
    var output_index: Int
    var tensor_index: Int
    var name: String
    var shape: [Int]
    var file: String?
    var stats: Stats
  }

  struct Stats: Decodable {
    var min: Double
    var max: Double
    var mean: Double
    var mean_abs: Double
    var first8: [Double]
  }

  struct OpTest: Decodable {
    var variant: String
    var op_index: Int
    var op: String
    var inputs: [Input]
    var output: Tensor
    var skipped: String?
  }

  struct Input: Decodable {
    var tensor_index: Int
    var shape: [Int]
    var file: String?
    var constant: Bool?
    var weights_after_dequantize: Bool?
    var int32_values: [Int]?
  }

  struct Tensor: Decodable {
    var tensor_index: Int
    var shape: [Int]
    var file: String?
  }

  struct Weight: Decodable {
    var tensor_index: Int
    var shape: [Int]
    var sum: Double
    var sum_abs: Double
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
