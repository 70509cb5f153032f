/// The 2254 SSD anchor centres of the BlazePose detector (spec §d.2).
///
/// `SsdAnchorsCalculator` with strides [8, 16, 32, 32, 32], two anchors per cell and layer,
/// `fixed_anchor_size` (every anchor is 1 × 1, so only the centres matter). Layers with the
/// same stride are merged; the order is stride group, then row, then column, then anchor,
/// which is the model's output order.
enum SSDAnchors {
  /// The detector's input size.
  static let inputSize = 224
  /// Layer strides of the detector options.
  static let strides = [8, 16, 32, 32, 32]

  /// Anchor centres (x, y), normalised to the 224 × 224 input.
  static let pose: [(x: Double, y: Double)] = {
    var anchors: [(x: Double, y: Double)] = []
    var layer = 0
    while layer < strides.count {
      var count = 0
      var last = layer
      while last < strides.count && strides[last] == strides[layer] {
        count += 2  // aspect ratio 1.0 plus the interpolated scale
        last += 1
      }
      let cells = (inputSize + strides[layer] - 1) / strides[layer]
      for y in 0..<cells {
        for x in 0..<cells {
          let center = ((Double(x) + 0.5) / Double(cells), (Double(y) + 0.5) / Double(cells))
          for _ in 0..<count { anchors.append(center) }
        }
      }
      layer = last
    }
    return anchors
  }()
}
