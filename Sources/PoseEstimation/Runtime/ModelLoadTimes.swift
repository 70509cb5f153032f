/// How long the stages of loading one model took, in milliseconds (0 for a stage that did not
/// run). Cold: parse, check, densify, dequantize, plan, pack (and cache write). Warm: parse,
/// model hash, cache map (with its checksum), check, plan.
public struct ModelLoadTimes: Sendable, Equatable {
  /// The model.
  public var model: PoseModelFiles.Model
  /// True when the packed weights were mapped from the cache.
  public var fromCache = false
  /// Reading the file (with the integrity check, when installed) and parsing the flatbuffer.
  public var parse = 0.0
  /// Checking operators and shapes, decoding float32/int32 constants (without densify and
  /// dequantize).
  public var check = 0.0
  /// DENSIFY of the sparse float16 weights.
  public var densify = 0.0
  /// DEQUANTIZE float16 → float32.
  public var dequantize = 0.0
  /// Planning the executor (liveness, folding, arena), without packing.
  public var plan = 0.0
  /// Packing convolution weights and copying the other constants.
  public var pack = 0.0
  /// Hashing the model bytes (to match a cache file).
  public var modelHash = 0.0
  /// Mapping and checking the cache file.
  public var cacheMap = 0.0
  /// Encoding and writing the cache file.
  public var cacheWrite = 0.0

  /// No stage measured yet.
  public init(model: PoseModelFiles.Model) {
    self.model = model
  }

  /// The sum of the stages.
  public var total: Double {
    parse + check + densify + dequantize + plan + pack + modelHash + cacheMap + cacheWrite
  }
}
