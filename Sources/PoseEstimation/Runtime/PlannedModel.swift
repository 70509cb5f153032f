/// A model file loaded and planned for the fast kernels: its checked interpreter, its
/// executor, and how long each load stage took.
public struct PlannedModel {
  /// Which outputs the executor computes.
  public enum Plan: String, Sendable {
    /// Every model output.
    case allOutputs = "all"
    /// Every output but the landmark model's segmentation mask (`Identity_2`).
    case withoutSegmentation = "noseg"
  }

  /// The checked model (its weights are not decoded when they came from the cache).
  public let interpreter: TFLiteInterpreter
  /// The fast plan.
  public let executor: TFLiteExecutor
  /// The load stages, in milliseconds.
  public let times: ModelLoadTimes

  /// Loads `model` from `files` and plans it; with `files.packedWeightCache`, maps its packed
  /// weights from the cache when a valid file is there and writes one when not.
  public static func load(
    _ model: PoseModelFiles.Model, from files: PoseModelFiles, plan: Plan,
    threads: ComputeThreads? = nil
  ) throws(TFLiteModelError) -> PlannedModel {
    let clock = ContinuousClock()
    var times = ModelLoadTimes(model: model)
    let start = clock.now
    let parsed = try files.load(model)
    times.parse = milliseconds(clock.now - start)
    guard let cache = files.packedWeightCache else {
      return try build(parsed, plan: plan, threads: threads, times: times, cache: nil)
    }
    let path = cache.path(of: model, plan: plan.rawValue)
    let identityStart = clock.now
    let identity = PackedWeightFile.Identity(model: parsed)
    times.modelHash = milliseconds(clock.now - identityStart)
    let mapStart = clock.now
    switch PackedWeightFile.open(path, expecting: identity) {
    case .success(let file):
      times.cacheMap = milliseconds(clock.now - mapStart)
      do {
        let checkStart = clock.now
        let interpreter = try TFLiteInterpreter(model: parsed, decodingWeights: false)
        times.check = milliseconds(clock.now - checkStart)
        let planStart = clock.now
        let executor = try TFLiteExecutor(
          interpreter, outputs: plan.outputs(of: interpreter), threads: threads,
          constants: .mapped(file), deferring: plan.deferred(of: interpreter))
        times.plan = milliseconds(clock.now - planStart)
        times.fromCache = true
        cache.log?(
          "packed weights: mapped \(path) (\(file.byteCount / 1024) KiB, checked in "
            + "\(formatted(times.cacheMap)) ms)")
        return PlannedModel(interpreter: interpreter, executor: executor, times: times)
      } catch {
        cache.log?("packed weights: \(path) does not fit the plan (\(error.message)); rebuilding")
      }
    case .failure(let refusal):
      cache.log?(
        refusal.isMissing
          ? "packed weights: no cache file \(path); building it"
          : "packed weights: \(path) \(refusal.description); rebuilding it")
    }
    times.cacheMap = 0
    return try build(
      parsed, plan: plan, threads: threads, times: times, cache: (cache, path, identity))
  }

  /// Decodes, densifies, dequantizes and packs `model`; writes the packed blocks to `cache`.
  private static func build(
    _ model: TFLiteModel, plan: Plan, threads: ComputeThreads?, times: ModelLoadTimes,
    cache: (cache: PackedWeightCache, path: String, identity: PackedWeightFile.Identity)?
  ) throws(TFLiteModelError) -> PlannedModel {
    let clock = ContinuousClock()
    var times = times
    let checkStart = clock.now
    let interpreter = try TFLiteInterpreter(model: model)
    let check = milliseconds(clock.now - checkStart)
    times.densify = milliseconds(interpreter.densifyTime)
    times.dequantize = milliseconds(interpreter.dequantizeTime)
    times.check = check - times.densify - times.dequantize
    let planStart = clock.now
    let executor = try TFLiteExecutor(
      interpreter, outputs: plan.outputs(of: interpreter), threads: threads, constants: .build,
      deferring: plan.deferred(of: interpreter))
    times.plan = milliseconds(clock.now - planStart)
    times.pack = milliseconds(executor.packTime)
    times.plan -= times.pack
    if let cache {
      let writeStart = clock.now
      let bytes = PackedWeightFile.encode(executor.constantBlocks, identity: cache.identity)
      do {
        try cache.cache.write(bytes, to: cache.path)
        cache.cache.log?("packed weights: wrote \(cache.path) (\(bytes.count / 1024) KiB)")
      } catch {
        cache.cache.log?("packed weights: \(error.message); running without the cache")
      }
      times.cacheWrite = milliseconds(clock.now - writeStart)
    }
    return PlannedModel(interpreter: interpreter, executor: executor, times: times)
  }

  private static func milliseconds(_ duration: Duration) -> Double {
    let parts = duration.components
    return Double(parts.seconds) * 1000 + Double(parts.attoseconds) / 1e15
  }

  private static func formatted(_ value: Double) -> String {
    let tenths = (value * 10).rounded()
    return tenths.isFinite ? "\(tenths / 10)" : "?"
  }
}

extension PlannedModel.Plan {
  /// The outputs (by position) the executor leaves to be computed on demand: the landmark
  /// model's heatmap (`Identity_3`), of which the refinement reads 39 windows of 9 × 9.
  func deferred(of interpreter: TFLiteInterpreter) -> [Int] {
    switch self {
    case .allOutputs: []
    case .withoutSegmentation:
      interpreter.outputTensors.indices.filter {
        interpreter.model.tensors[interpreter.outputTensors[$0]].name == "Identity_3"
      }
    }
  }

  /// The output positions the executor computes (nil: all).
  func outputs(of interpreter: TFLiteInterpreter) -> [Int]? {
    switch self {
    case .allOutputs: nil
    case .withoutSegmentation:
      interpreter.outputTensors.indices.filter {
        interpreter.model.tensors[interpreter.outputTensors[$0]].name != "Identity_2"
      }
    }
  }
}
