// libFuzzer target: the TFLite model reader and the interpreter builder / executor planner,
// as Tests/PoseEstimationTests/TFLiteModelFuzzTests.swift drives them: parse, check and
// schedule, plan the fast executor, and run a model that loads once on zeros.
import PoseEstimation

/// Models whose input holds more floats than this are planned but not run (the pose models
/// take 224×224×3 and 256×256×3).
private let maximumInputFloats = 1 << 22

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  do {
    let interpreter = try TFLiteInterpreter(model: try TFLiteModel(bytes: bytes))
    let executor = try TFLiteExecutor(interpreter)
    var count = 1
    for dimension in interpreter.inputShape {
      let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
      guard !overflow, dimension >= 0, product <= maximumInputFloats else { return 0 }
      count = product
    }
    _ = try executor.run([Float](repeating: 0, count: count))
  } catch {
    _ = error.description
  }
  return 0
}
