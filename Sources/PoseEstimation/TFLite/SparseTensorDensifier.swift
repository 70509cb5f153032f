/// DENSIFY of a sparse tensor (tflite sparsity_format_converter.cc `SparseToDense`,
/// spec §b.2), without block maps, checking every index against the shape.
struct SparseTensorDensifier {
  let shape: [Int]
  let sparsity: TFLiteSparsity

  /// The dense tensor (row-major over `shape`) holding `values` at the positions the
  /// sparsity metadata gives, zero elsewhere.
  func densify<Element: BinaryInteger>(_ values: [Element]) throws(TFLiteModelError) -> [Element] {
    let rank = shape.count
    guard sparsity.blockMap.isEmpty else {
      throw TFLiteModelError("block-sparse tensors are not supported")
    }
    guard sparsity.traversalOrder.count == rank, sparsity.dimensions.count == rank,
      Set(sparsity.traversalOrder) == Set(0..<rank)
    else {
      throw TFLiteModelError("sparsity metadata does not match the tensor rank \(rank)")
    }
    for (level, dimension) in sparsity.dimensions.enumerated() {
      if case .dense(let size) = dimension, size != shape[sparsity.traversalOrder[level]] {
        throw TFLiteModelError(
          "dense sparsity dimension \(level) has size \(size), expected \(shape[sparsity.traversalOrder[level]])"
        )
      }
    }
    var strides = [Int](repeating: 1, count: rank)
    for d in stride(from: rank - 2, through: 0, by: -1) {
      strides[d] = strides[d + 1] * shape[d + 1]
    }
    // The index vectors of the sparse levels, decoded once here (the parse leaves them in the
    // file).
    let sparseLevels: [(segments: [Int], indices: [Int])?] = sparsity.dimensions.map {
      guard case .sparseCSR(let segments, let indices) = $0 else { return nil }
      return (segments.decoded(), indices.decoded())
    }
    var dense = [Element](repeating: 0, count: shape.reduce(1, *))
    var coordinate = [Int](repeating: 0, count: rank)
    var cursor = 0

    func populate(level: Int, previous: Int) throws(TFLiteModelError) {
      if level == rank {
        guard cursor < values.count else {
          throw TFLiteModelError(
            "sparse tensor has fewer values (\(values.count)) than its indices need")
        }
        var flat = 0
        for d in 0..<rank { flat += coordinate[d] * strides[d] }
        dense[flat] = values[cursor]
        cursor += 1
        return
      }
      let dimension = sparsity.traversalOrder[level]
      switch sparsity.dimensions[level] {
      case .dense(let size):
        for i in 0..<size {
          coordinate[dimension] = i
          try populate(level: level + 1, previous: previous * size + i)
        }
      case .sparseCSR:
        guard let (segments, indices) = sparseLevels[level] else {
          throw TFLiteModelError("sparse level \(level) has no index vectors")
        }
        guard previous + 1 < segments.count else {
          throw TFLiteModelError("sparse segment \(previous) is out of range")
        }
        let start = segments[previous]
        let end = segments[previous + 1]
        guard 0 <= start, start <= end, end <= indices.count else {
          throw TFLiteModelError("sparse segment \(previous) has invalid bounds \(start)..<\(end)")
        }
        for k in start..<end {
          let index = indices[k]
          guard 0 <= index, index < shape[dimension] else {
            throw TFLiteModelError(
              "sparse index \(index) is outside dimension \(dimension) of size \(shape[dimension])")
          }
          coordinate[dimension] = index
          try populate(level: level + 1, previous: k)
        }
      }
    }

    try populate(level: 0, previous: 0)
    guard cursor == values.count else {
      throw TFLiteModelError(
        "sparse tensor has \(values.count) values but its indices use \(cursor)")
    }
    return dense
  }
}
