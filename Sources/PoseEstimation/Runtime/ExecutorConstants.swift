internal import PoseKernelTypes

/// The constant memory of one executor plan (packed convolution weights and the other constant
/// tensors its kernels read), block by block in the order the plan asks for it.
///
/// Built, each block is allocated by the executor, filled (packed or copied) and recorded, so
/// the blocks can be written to a `PackedWeightFile`. Mapped, each block is the next one of a
/// file mapped read-only: no packing, no copy. A mapped block whose size is not what the plan
/// expects is an error (the file was made for another plan); `error` holds it and the executor
/// throws it once planning ends.
struct ExecutorConstants {
  /// Where the blocks come from.
  enum Source {
    /// Allocate and fill every block (recording them).
    case build
    /// Take the blocks of a mapped cache file, in order.
    case mapped(PackedWeightFile)
  }

  let source: Source
  /// The blocks handed out so far, in order.
  private(set) var blocks: [UnsafeBufferPointer<Float>] = []
  /// The first mismatch between the mapped file and the plan.
  private(set) var error: TFLiteModelError?

  init(_ source: Source) {
    self.source = source
  }

  /// True when the blocks come from a mapped file (the weights need not be decoded).
  var isMapped: Bool {
    if case .mapped = source { return true }
    return false
  }

  /// A block of `count` floats: allocated and written by `fill`, or the next mapped block.
  mutating func block(
    count: Int, allocate: (Int) -> UnsafeMutablePointer<Float>,
    fill: (UnsafeMutablePointer<Float>) -> Void
  ) -> UnsafeMutablePointer<Float> {
    if case .mapped(let file) = source {
      return take(count, from: file, allocate: allocate)
    }
    let pointer = allocate(count)
    fill(pointer)
    blocks.append(UnsafeBufferPointer(start: pointer, count: count))
    return pointer
  }

  /// The packed weights of a `k × n` convolution: packed by `pack` into two new blocks
  /// (weights, bias), or the next two mapped blocks.
  mutating func packedWeights(
    k: Int, n: Int, allocate: (Int) -> UnsafeMutablePointer<Float>,
    pack: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> PackedGEMMWeights
  ) -> PackedGEMMWeights {
    let weightCount = PackedGEMMWeights.weightCount(k: k, n: n)
    let biasCount = PackedGEMMWeights.weightCount(k: 1, n: n)
    if case .mapped(let file) = source {
      let weights = take(weightCount, from: file, allocate: allocate)
      let bias = take(biasCount, from: file, allocate: allocate)
      return PackedGEMMWeights(packedK: k, n: n, weights: weights, bias: bias)
    }
    let weights = allocate(weightCount)
    let bias = allocate(biasCount)
    let packed = pack(weights, bias)
    blocks.append(UnsafeBufferPointer(start: weights, count: weightCount))
    blocks.append(UnsafeBufferPointer(start: bias, count: biasCount))
    return packed
  }

  /// The next mapped block, which must hold `count` floats; on a mismatch, records the error
  /// and returns zeroed memory of that size so planning can finish without a crash.
  private mutating func take(
    _ count: Int, from file: PackedWeightFile, allocate: (Int) -> UnsafeMutablePointer<Float>
  ) -> UnsafeMutablePointer<Float> {
    let index = blocks.count
    guard error == nil, index < file.blockCount else {
      if error == nil {
        error = TFLiteModelError(
          "the packed-weight file has \(file.blockCount) blocks, the plan needs more")
      }
      return allocate(count)
    }
    let block = file.block(index)
    guard block.count == count, let base = block.baseAddress else {
      error = TFLiteModelError(
        "block \(index) of the packed-weight file has \(block.count) floats, the plan needs \(count)"
      )
      return allocate(count)
    }
    blocks.append(block)
    // The mapping is read-only; the executor only ever reads constant blocks.
    return UnsafeMutablePointer(mutating: base)
  }

  /// Checks that every mapped block was used (a file for another plan may have more).
  mutating func finish() {
    if case .mapped(let file) = source, error == nil, blocks.count != file.blockCount {
      error = TFLiteModelError(
        "the packed-weight file has \(file.blockCount) blocks, the plan uses \(blocks.count)")
    }
  }
}
