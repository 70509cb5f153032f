import Testing

@testable import PoseEstimation

/// A RESHAPE whose new shape multiplies past `Int` (e.g. 0x7fffffff three times) is a model
/// error, never an overflow trap.
@Suite("TFLite reshape shape products")
struct TFLiteReshapeOverflowTests {
  @Test func productOfHugeDimensionsIsNil() {
    #expect(
      TFLiteInterpreter.Builder.checkedProduct([0x7fff_ffff, 0x7fff_ffff, 0x7fff_ffff]) == nil)
    #expect(TFLiteInterpreter.Builder.checkedProduct([Int.max, 2]) == nil)
  }

  @Test func productOfOrdinaryDimensionsIsExact() {
    #expect(TFLiteInterpreter.Builder.checkedProduct([]) == 1)
    #expect(TFLiteInterpreter.Builder.checkedProduct([1, 39, 5]) == 195)
    #expect(
      TFLiteInterpreter.Builder.checkedProduct([0x7fff_ffff, 0x7fff_ffff]) == 0x3fff_ffff_0000_0001)
  }
}

/// The same, through a real model: a RESHAPE whose new-shape tensor is patched to hold
/// 0x7fffffff three times is refused with a model error.
@Suite("TFLite reshape overflow in a model")
struct TFLiteReshapeModelOverflowTests {
  @Test func aReshapeOfHugeDimensionsIsAModelError() throws {
    // pose_detection.tflite reshapes with 3-element new-shape tensors.
    let parsed = try PoseTestResources.model(.detector)
    var bytes = parsed.bytes
    var patched = 0
    for op in parsed.operators where op.kind == .reshape && op.inputs.count == 2 {
      let shapeTensor = parsed.tensors[op.inputs[1]]
      let data = parsed.buffers[shapeTensor.buffer]
      guard shapeTensor.shape == [3], data.count == 12 else { continue }
      for offset in stride(from: data.lowerBound, to: data.upperBound, by: 4) {
        bytes.replaceSubrange(offset..<(offset + 4), with: [0xFF, 0xFF, 0xFF, 0x7F])
      }
      patched += 1
    }
    try #require(patched > 0, "no RESHAPE with a 3-element new-shape tensor")
    let error = #expect(throws: TFLiteModelError.self) {
      _ = try TFLiteInterpreter(model: try TFLiteModel(bytes: bytes))
    }
    #expect(error?.message.contains("too many elements") == true, "\(String(describing: error))")
  }
}
