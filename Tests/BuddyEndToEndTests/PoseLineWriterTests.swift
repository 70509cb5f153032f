import PoseEstimation
import Testing

@testable import buddy

/// `buddy pose`'s line writer: the bytes it writes directly are the compact JSON text of the
/// line as a value (`JSON.text(line(…))`, how the lines were written before), for every kind
/// of number the rounding can give, the first line's size, no person, and an error.
@Suite("buddy pose line bytes")
struct PoseLineWriterTests {
  /// Numbers whose text takes each branch of `JSON.text`: whole numbers, ones that round to
  /// zero or minus zero, exponents, the largest whole number printed as an integer and the
  /// first that is not, and the non-finite ones (`null`).
  static let specialValues: [Double] = [
    0, -0.0, 1, -1, 0.5, 0.1234564, 0.1234565, -0.0000004, 0.0000004, 0.000_001, 0.000_012,
    -0.000_003, 123.456_789, 1e14 + 0.25, 999_999_999_999_999, 1e15, 1e20, -1e21, 3.2e-5,
    .nan, .infinity, -.infinity, .greatestFiniteMagnitude, .leastNonzeroMagnitude,
  ]

  private func landmarks(_ random: inout SystemRandomNumberGenerator, special: Bool)
    -> [EstimatedLandmark]
  {
    (0..<33).map { _ in
      func value() -> Double {
        special
          ? Self.specialValues.randomElement(using: &random) ?? 0
          : Double.random(in: -2...2, using: &random)
      }
      return EstimatedLandmark(x: value(), y: value(), z: value(), visibility: value())
    }
  }

  private func bytesMatchValue(
    _ writer: PoseLineWriter, landmarks: [EstimatedLandmark]?, error: String?
  ) {
    var bytes: [UInt8] = []
    writer.appendLine(landmarks: landmarks, error: error, to: &bytes)
    let expected = JSON.text(writer.line(landmarks: landmarks, error: error))
    #expect(String(decoding: bytes, as: UTF8.self) == expected)
  }

  @Test("the bytes written are the JSON text of the line, for any numbers")
  func bytesEqualJSONText() {
    var random = SystemRandomNumberGenerator()
    for fps in [30, 29.97, 7.5, 0.1, 1000] {
      var writer = PoseLineWriter(fps: fps)
      writer.size = (width: 640, height: 360)
      for index in [0, 1, 2, 17, 809, 123_457] {
        writer.index = index
        for trial in 0..<20 {
          bytesMatchValue(
            writer, landmarks: landmarks(&random, special: trial % 2 == 0), error: nil)
        }
        bytesMatchValue(writer, landmarks: nil, error: nil)
        bytesMatchValue(
          writer, landmarks: nil, error: "the frame is 10x10, the sequence \"640x360\"\n\u{1}")
      }
    }
  }

  @Test("the first line carries the size, later lines do not")
  func sizeOnFirstLineOnly() {
    var writer = PoseLineWriter(fps: 30)
    writer.size = (width: 480, height: 270)
    var first: [UInt8] = []
    writer.appendLine(landmarks: nil, error: nil, to: &first)
    #expect(
      String(decoding: first, as: UTF8.self)
        == #"{"t":0,"width":480,"height":270,"landmarks":null}"#)
    writer.index = 3
    var later: [UInt8] = []
    writer.appendLine(
      landmarks: [EstimatedLandmark(x: 0.25, y: -0.0000004, z: 1e-6, visibility: 0.999_996)],
      error: nil, to: &later)
    #expect(
      String(decoding: later, as: UTF8.self) == #"{"t":0.1,"landmarks":[[0.25,0,1e-06,1]]}"#)
  }
}
