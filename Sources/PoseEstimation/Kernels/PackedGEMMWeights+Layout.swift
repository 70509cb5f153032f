internal import PoseKernelTypes

extension PackedGEMMWeights {
  /// The version of the packed layout `pack` writes. Bump it with any change to `pack`,
  /// `weightCount` or `PackedGEMMWeights.panelWidth`: packed-weight cache files record it and are
  /// rebuilt when it differs. (`layoutProbe` catches a change that forgets to.)
  static let layoutVersion: UInt32 = 1

  /// Packed weights whose blocks were packed earlier (by `pack`, for the same `k` and `n`) and
  /// are read from elsewhere, e.g. a mapped cache file.
  init(
    packedK k: Int, n: Int, weights: UnsafeMutablePointer<Float>,
    bias: UnsafeMutablePointer<Float>
  ) {
    let width = PackedGEMMWeights.panelWidth
    self.init(
      k: k, n: n, panels: (n + width - 1) / width, weights: UnsafePointer(weights),
      bias: UnsafePointer(bias))
  }

  /// A fingerprint of the packed layout: the hash of a small matrix (k = 7, n = 37) packed by
  /// `pack`, with its sizes. Any change of the layout changes it.
  static let layoutProbe: UInt64 = {
    let k = 7
    let n = 37
    let filter = (0..<(k * n)).map { Float($0) + 0.5 }
    let bias = (0..<n).map { -Float($0) - 0.25 }
    var weights = [Float](repeating: .nan, count: weightCount(k: k, n: n))
    var packedBias = [Float](repeating: .nan, count: weightCount(k: 1, n: n))
    weights.withUnsafeMutableBufferPointer { w in
      packedBias.withUnsafeMutableBufferPointer { b in
        filter.withUnsafeBufferPointer { f in
          bias.withUnsafeBufferPointer { s in
            guard let wBase = w.baseAddress, let bBase = b.baseAddress else { return }
            _ = pack(filter: f, bias: s, k: k, n: n, weights: wBase, bias: bBase)
          }
        }
      }
    }
    var hasher = FastHash()
    hasher.combine(UInt64(weights.count))
    hasher.combine(UInt64(packedBias.count))
    weights.withUnsafeBytes { hasher.update($0) }
    packedBias.withUnsafeBytes { hasher.update($0) }
    return hasher.finalize()
  }()
}
