internal import PoseKernelTypes

/// Runs the model of a checked `TFLiteInterpreter` with the fast kernels, planned once:
///
/// * only the operators that the requested outputs depend on run (asking for the landmark
///   model's outputs without `Identity_2` skips the segmentation branch, spec §c.11);
/// * operators whose inputs are all constant are folded at load time (reference kernels);
/// * convolution weights are re-packed at load time for the GEMM micro-kernel;
/// * every activation lives in one arena, at an offset chosen by liveness analysis
///   (buffers whose lifetimes do not overlap share memory; RESHAPE aliases its input);
/// * `run` performs no heap allocation: it copies the input in and executes the kernels.
///
/// With a `ComputeThreads` team, the convolutions that are big enough are split into bands
/// computed by the team's threads together (bit-identical to one thread).
///
/// The kernels are those compiled for one `PoseInstructionSet` (AVX2 or AVX-512; by default
/// `PoseInstructionSet.active`), chosen when the plan is made and called once per layer:
/// every set gives bit-identical results.
///
/// Outputs stay valid until the next `run`. Not thread-safe: one executor per thread (its
/// team's helpers work only inside `run`).
public final class TFLiteExecutor {
  /// One kernel call with every pointer and size resolved.
  enum Kernel {
    case conv2D(
      input: UnsafePointer<Float>, packed: PackedGEMMWeights, output: UnsafeMutablePointer<Float>,
      geometry: WindowGeometry, relu6: Bool)
    case depthwiseConv2D(
      input: UnsafePointer<Float>, filter: UnsafePointer<Float>, bias: UnsafePointer<Float>,
      output: UnsafeMutablePointer<Float>, geometry: WindowGeometry, relu6: Bool)
    /// A depthwise convolution and the 1×1 convolution that alone reads it, band by band
    /// (`PoseKernelSet.depthwiseThenPointwise`).
    case depthwisePointwise(
      input: UnsafePointer<Float>, filter: UnsafePointer<Float>, bias: UnsafePointer<Float>,
      depthwise: WindowGeometry, depthwiseRelu6: Bool, packed: PackedGEMMWeights,
      output: UnsafeMutablePointer<Float>, relu6: Bool)
    case maxPool2D(
      input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, geometry: WindowGeometry,
      relu6: Bool)
    case add(
      UnsafePointer<Float>, UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, count: Int,
      relu6: Bool)
    case pad(
      input: UnsafePointer<Float>, shape: PadShape, output: UnsafeMutablePointer<Float>)
    case resizeBilinear(
      input: UnsafePointer<Float>, inputHeight: Int, inputWidth: Int, channels: Int,
      output: UnsafeMutablePointer<Float>, outputHeight: Int, outputWidth: Int)
    case depthToSpace(
      input: UnsafePointer<Float>, height: Int, width: Int, channels: Int, block: Int,
      output: UnsafeMutablePointer<Float>)
    case copy(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, count: Int)
    case concatenation(
      inputs: [UnsafePointer<Float>], outer: Int, inner: [Int], output: UnsafeMutablePointer<Float>)
    case logistic(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, count: Int)
  }

  /// A tensor the caller writes before `run`.
  struct Slot {
    var tensor: Int
    var pointer: UnsafeMutablePointer<Float>
    var count: Int
  }

  let kernels: [Kernel]
  /// The instruction set the kernels run with, and its kernels.
  public let instructionSet: PoseInstructionSet
  let kernelSet: any PoseKernelSet.Type
  /// Per kernel: the chunks it is split into for `threads` (1: it runs whole on the caller).
  let chunks: [Int]
  /// The team that runs the parallel kernels (nil: the calling thread alone).
  let threads: ComputeThreads?
  let inputs: [Slot]
  /// Per requested output tensor: where its values are after `run` (nil when skipped).
  let outputs: [(pointer: UnsafePointer<Float>, count: Int)?]
  /// Requested outputs that `run` leaves to be computed on demand, by position
  /// (``deferredOutput(_:)``).
  let deferredOutputs: [Int: DeferredPointwiseOutput]
  let outputShapes: [[Int]]
  /// Every allocation this executor owns (arena, scratch, packed weights, constants).
  private let allocations: [UnsafeMutableRawPointer]
  /// Floats in the activation arena (for reports and tests).
  let arenaFloats: Int
  /// The compute operators that run per inference, and those folded at load time.
  public let runningOperatorCount: Int
  public let foldedOperatorCount: Int
  /// Of the running operators, the zero PADs folded into the convolution that reads them.
  public let foldedPadCount: Int
  /// The constant blocks the kernels read (packed weights, other constants), in plan order:
  /// what a `PackedWeightFile` stores.
  let constantBlocks: [UnsafeBufferPointer<Float>]
  /// The mapped cache file the constant blocks live in (kept mapped while the executor lives).
  private let mappedFile: PackedWeightFile?
  /// Time spent packing weights and copying constants (or taking them from the mapping).
  let packTime: Duration

  /// Plans `interpreter`'s model. `outputs` selects model outputs by position (all when
  /// nil); the others are left empty and the operators only they need never run.
  /// `instructionSet` chooses the kernels (the process's `PoseInstructionSet.active` when
  /// nil; the caller makes sure the CPU supports it).
  public convenience init(
    _ interpreter: TFLiteInterpreter, outputs: [Int]? = nil, threads: ComputeThreads? = nil,
    instructionSet: PoseInstructionSet? = nil
  ) throws(TFLiteModelError) {
    try self.init(
      interpreter, outputs: outputs, threads: threads, constants: .build,
      instructionSet: instructionSet)
  }

  /// `init(_:outputs:threads:)` with the constant blocks from `constants` (built, or mapped
  /// from a packed-weight cache file).
  /// `deferring` names outputs (by position) that `run` leaves to ``deferredOutput(_:)`` when
  /// a 1×1 convolution makes them.
  convenience init(
    _ interpreter: TFLiteInterpreter, outputs: [Int]?, threads: ComputeThreads?,
    constants: ExecutorConstants.Source, instructionSet: PoseInstructionSet? = nil,
    deferring: [Int] = []
  ) throws(TFLiteModelError) {
    let positions = outputs ?? Array(interpreter.outputTensors.indices)
    guard positions.allSatisfy({ interpreter.outputTensors.indices.contains($0) }) else {
      throw TFLiteModelError("requested output positions \(positions) are out of range")
    }
    try self.init(
      interpreter, steps: interpreter.steps, fed: [interpreter.inputTensor],
      outputTensors: interpreter.outputTensors,
      requested: Set(positions.map { interpreter.outputTensors[$0] }), threads: threads,
      constants: constants, instructionSet: instructionSet,
      deferred: Set(
        deferring.filter { interpreter.outputTensors.indices.contains($0) }
          .map { interpreter.outputTensors[$0] }))
  }

  /// The landmark model without its segmentation branch: every output but `Identity_2`
  /// (spec §c.11); for other models, all outputs.
  public static func withoutSegmentation(
    _ interpreter: TFLiteInterpreter, threads: ComputeThreads? = nil,
    instructionSet: PoseInstructionSet? = nil
  ) throws(TFLiteModelError) -> TFLiteExecutor {
    try TFLiteExecutor(
      interpreter, outputs: PlannedModel.Plan.withoutSegmentation.outputs(of: interpreter),
      threads: threads, instructionSet: instructionSet)
  }

  /// Plans `steps` (a subsequence of the interpreter's schedule) with the tensors `fed`
  /// written by the caller; `outputTensors` are reported, those in `requested` computed.
  /// `extraConstants` adds constant tensor values (tests of constant folding).
  init(
    _ interpreter: TFLiteInterpreter, steps allSteps: [TFLiteInterpreter.ScheduledStep],
    fed: [Int], outputTensors: [Int], requested: Set<Int>, extraConstants: [Int: [Float]] = [:],
    threads: ComputeThreads? = nil, constants constantSource: ExecutorConstants.Source = .build,
    instructionSet: PoseInstructionSet? = nil, deferred: Set<Int> = []
  ) throws(TFLiteModelError) {
    let instructionSet = instructionSet ?? .active
    let kernelSet = instructionSet.kernels
    var constantBlocks = ExecutorConstants(constantSource)
    guard interpreter.decodesWeights || constantBlocks.isMapped else {
      throw TFLiteModelError("the model's weights were not decoded and no packed weights are given")
    }
    let tensors = interpreter.model.tensors
    func count(_ tensor: Int) -> Int { tensors[tensor].shape.reduce(1, *) }

    // 1. Liveness of operators: keep those the requested outputs depend on.
    var needed = requested
    var live: [TFLiteInterpreter.ScheduledStep] = []
    for step in allSteps.reversed() where needed.contains(step.output) {
      live.append(step)
      needed.formUnion(Self.inputTensors(of: step.step))
    }
    live.reverse()

    // 2. Fold operators whose inputs are all constant (reference kernels, once).
    var values = interpreter.constants
    for (tensor, constant) in extraConstants { values[tensor] = constant }
    let fedSet = Set(fed)
    // Constants whose values are not decoded (their blocks come from the mapped file).
    var undecoded = interpreter.undecodedConstants
    func isConstant(_ tensor: Int) -> Bool {
      !fedSet.contains(tensor) && (!values[tensor].isEmpty || undecoded.contains(tensor))
    }
    var running: [TFLiteInterpreter.ScheduledStep] = []
    var folded = 0
    for step in live {
      if Self.inputTensors(of: step.step).allSatisfy(isConstant) {
        if interpreter.decodesWeights {
          values[step.output] = interpreter.execute(step, values)
        } else {
          undecoded.insert(step.output)
        }
        folded += 1
      } else {
        running.append(step)
      }
    }

    // 2b. Zero PADs of height and width become the padding of the convolution that reads them.
    let operatorCount = running.count
    running = Self.foldingZeroPadding(running, kept: requested)

    // 3. Storage: RESHAPE outputs alias their input's storage.
    var root: [Int: Int] = [:]
    func rootOf(_ tensor: Int) -> Int { root[tensor] ?? tensor }
    for step in running {
      if case .reshape(let input) = step.step, !isConstant(input) {
        root[step.output] = rootOf(input)
      }
    }

    // 4. Lifetimes (in step positions; fed tensors from -1, outputs to the end).
    var first: [Int: Int] = [:]
    var last: [Int: Int] = [:]
    var size: [Int: Int] = [:]
    func touch(_ tensor: Int, at position: Int) {
      let r = rootOf(tensor)
      first[r] = min(first[r] ?? position, position)
      last[r] = max(last[r] ?? position, position)
      size[r] = max(size[r] ?? 0, count(tensor))
    }
    for tensor in fed { touch(tensor, at: -1) }
    for (position, step) in running.enumerated() {
      touch(step.output, at: position)
      for input in Self.inputTensors(of: step.step) where !isConstant(input) {
        touch(input, at: position)
      }
    }
    for tensor in outputTensors where requested.contains(tensor) && !isConstant(tensor) {
      touch(tensor, at: running.count)
    }
    // Depthwise convolutions whose output only the next step, a 1×1 convolution, reads run
    // fused with it (the depthwise tensor keeps its arena slot but is never written): the
    // depthwise input is read until the pair's output is complete, so it lives one step longer.
    let fusedPairs = Self.depthwisePointwisePairs(running, kept: requested)
    for position in fusedPairs {
      if case .depthwiseConv2D(_, _, let input, _, _) = running[position].step {
        touch(input, at: position + 1)
      }
    }
    // A deferred output made by a 1×1 convolution that no later step reads leaves `run`; the
    // convolution's input is read on demand after `run`, so it lives to the end.
    var leftOut: Set<Int> = []
    for (position, step) in running.enumerated()
    where requested.contains(step.output) && deferred.contains(step.output) {
      guard case .conv2D(let geometry, _, let input, _, _) = step.step, geometry.isPointwise,
        !isConstant(input),
        !running[(position + 1)...].contains(where: {
          Self.inputTensors(of: $0.step).contains(step.output)
        })
      else { continue }
      touch(input, at: running.count)
      leftOut.insert(step.output)
    }
    let offsets = Self.assignOffsets(
      buffers: size.keys.sorted().map { ($0, ((size[$0] ?? 0) + 15) / 16 * 16) },
      first: first, last: last)
    let arenaFloats = offsets.values.map { $0.offset + $0.size }.max() ?? 0

    // 5. Memory: the arena, the im2col scratch, constants and packed weights.
    var allocations: [UnsafeMutableRawPointer] = []
    func allocate(_ floats: Int) -> UnsafeMutablePointer<Float> {
      let raw = UnsafeMutableRawPointer.allocate(
        byteCount: max(floats, 16) * MemoryLayout<Float>.stride, alignment: 64)
      allocations.append(raw)
      let pointer = raw.bindMemory(to: Float.self, capacity: max(floats, 16))
      pointer.initialize(repeating: 0, count: max(floats, 16))
      return pointer
    }
    let arena = allocate(arenaFloats)
    var constantPointers: [Int: UnsafeMutablePointer<Float>] = [:]
    let clock = ContinuousClock()
    var packTime = Duration.zero
    func pointer(_ tensor: Int) -> UnsafeMutablePointer<Float> {
      if isConstant(tensor) {
        if let existing = constantPointers[tensor] { return existing }
        let start = clock.now
        let copy = constantBlocks.block(
          count: values[tensor].isEmpty ? count(tensor) : values[tensor].count,
          allocate: allocate
        ) { copy in
          values[tensor].withUnsafeBufferPointer { source in
            guard let base = source.baseAddress else { return }
            copy.update(from: base, count: source.count)
          }
        }
        packTime += clock.now - start
        constantPointers[tensor] = copy
        return copy
      }
      // Every non-constant tensor of a running step was given an offset in step 4.
      return arena + (offsets[rootOf(tensor)]?.offset ?? 0)
    }
    var scratchFloats = 0
    for (position, step) in running.enumerated() {
      if case .conv2D(let geometry, _, _, _, _) = step.step {
        scratchFloats = max(scratchFloats, kernelSet.conv2DScratch(geometry))
      }
      if fusedPairs.contains(position),
        case .depthwiseConv2D(let geometry, _, _, _, _) = step.step
      {
        scratchFloats = max(scratchFloats, kernelSet.depthwisePointwiseScratch(geometry))
      }
    }
    // One im2col scratch per thread of the team, each on its own cache lines.
    let parts = threads?.count ?? 1
    let scratchStride = (scratchFloats + 15) / 16 * 16
    let scratch = allocate(scratchStride * parts)

    // 6. Kernels.
    var kernels: [Kernel] = []
    var deferredByTensor: [Int: DeferredPointwiseOutput] = [:]
    var pendingDepthwise: Kernel?
    for (position, step) in running.enumerated() {
      let output = pointer(step.output)
      switch step.step {
      case .conv2D(let g, let activation, let input, let filter, let bias):
        let k = g.kernelHeight * g.kernelWidth * g.inputChannels
        let start = clock.now
        let packed = constantBlocks.packedWeights(k: k, n: g.outputChannels, allocate: allocate) {
          packedWeights, packedBias in
          values[filter].withUnsafeBufferPointer { w in
            values[bias].withUnsafeBufferPointer { b in
              PackedGEMMWeights.pack(
                filter: w, bias: b, k: k, n: g.outputChannels, weights: packedWeights,
                bias: packedBias)
            }
          }
        }
        packTime += clock.now - start
        if case .depthwiseConv2D(
          let dwInput, let dwFilter, let dwBias, _, let dwGeometry, let dwRelu6)? =
          pendingDepthwise
        {
          pendingDepthwise = nil
          kernels.append(
            .depthwisePointwise(
              input: dwInput, filter: dwFilter, bias: dwBias, depthwise: dwGeometry,
              depthwiseRelu6: dwRelu6, packed: packed, output: output,
              relu6: activation == .relu6))
          break
        }
        // Left out of the run (the planner kept its input alive to the end): computed on
        // demand from the same packed weights, so a packed-weight cache file is the same.
        if leftOut.contains(step.output) {
          deferredByTensor[step.output] = DeferredPointwiseOutput(
            input: pointer(input), weights: packed, width: g.outputWidth,
            height: g.outputHeight, relu6: activation == .relu6,
            fused: kernelSet.fusesMultiplyAdds)
          break
        }
        kernels.append(
          .conv2D(
            input: pointer(input), packed: packed, output: output, geometry: g,
            relu6: activation == .relu6))
      case .depthwiseConv2D(let g, let activation, let input, let filter, let bias):
        let kernel = Kernel.depthwiseConv2D(
          input: pointer(input), filter: pointer(filter), bias: pointer(bias), output: output,
          geometry: g, relu6: activation == .relu6)
        // The pair's 1×1 convolution (the next step) completes it.
        if fusedPairs.contains(position) {
          pendingDepthwise = kernel
        } else {
          kernels.append(kernel)
        }
      case .maxPool2D(let g, let activation, let input):
        kernels.append(
          .maxPool2D(
            input: pointer(input), output: output, geometry: g, relu6: activation == .relu6)
        )
      case .add(let activation, let a, let b):
        kernels.append(
          .add(
            pointer(a), pointer(b), output: output, count: step.outputCount,
            relu6: activation == .relu6))
      case .pad(let input, let inputShape, let before, let outputShape):
        guard inputShape.count == 4, before.count == 4, outputShape.count == 4 else {
          throw TFLiteModelError("PAD needs 4-D shapes")
        }
        let shape = PadShape(
          input: (inputShape[0], inputShape[1], inputShape[2], inputShape[3]),
          before: (before[0], before[1], before[2], before[3]),
          output: (outputShape[0], outputShape[1], outputShape[2], outputShape[3]))
        kernels.append(.pad(input: pointer(input), shape: shape, output: output))
      case .resizeBilinear(let input, let ih, let iw, let channels, let oh, let ow):
        kernels.append(
          .resizeBilinear(
            input: pointer(input), inputHeight: ih, inputWidth: iw, channels: channels,
            output: output, outputHeight: oh, outputWidth: ow))
      case .depthToSpace(let input, let height, let width, let channels, let block):
        kernels.append(
          .depthToSpace(
            input: pointer(input), height: height, width: width, channels: channels,
            block: block, output: output))
      case .reshape(let input):
        let source = pointer(input)
        if source != output {
          kernels.append(.copy(input: source, output: output, count: step.outputCount))
        }
      case .concatenation(let inputs, let outer, let inner):
        kernels.append(
          .concatenation(
            inputs: inputs.map { UnsafePointer(pointer($0)) }, outer: outer, inner: inner,
            output: output))
      case .logistic(let input):
        kernels.append(.logistic(input: pointer(input), output: output, count: step.outputCount))
      }
    }
    constantBlocks.finish()
    if let error = constantBlocks.error {
      for allocation in allocations { allocation.deallocate() }
      throw error
    }
    self.constantBlocks = constantBlocks.blocks
    if case .mapped(let file) = constantSource {
      mappedFile = file
    } else {
      mappedFile = nil
    }
    self.packTime = packTime
    self.scratch = scratch
    self.scratchStride = scratchStride
    self.kernels = kernels
    self.instructionSet = instructionSet
    self.kernelSet = kernelSet
    self.chunks = kernels.map {
      parts > 1 ? Self.chunkCount($0, threads: parts, microRows: kernelSet.microRows) : 1
    }
    self.threads = parts > 1 ? threads : nil
    self.inputs = fed.map { Slot(tensor: $0, pointer: pointer($0), count: count($0)) }
    self.outputs = outputTensors.map { tensor in
      requested.contains(tensor) && deferredByTensor[tensor] == nil
        ? (UnsafePointer(pointer(tensor)), count(tensor)) : nil
    }
    var deferredOutputs: [Int: DeferredPointwiseOutput] = [:]
    for (position, tensor) in outputTensors.enumerated() {
      if let output = deferredByTensor[tensor] { deferredOutputs[position] = output }
    }
    self.deferredOutputs = deferredOutputs
    self.outputShapes = outputTensors.map { tensors[$0].shape }
    self.allocations = allocations
    self.arenaFloats = arenaFloats
    self.runningOperatorCount = operatorCount
    self.foldedPadCount = operatorCount - running.count
    self.foldedOperatorCount = folded
  }

  private let scratch: UnsafeMutablePointer<Float>
  /// Floats between the scratch areas of the team's threads.
  private let scratchStride: Int

  deinit {
    for allocation in allocations { allocation.deallocate() }
  }

  /// The number of model outputs (computed or skipped).
  public var outputCount: Int { outputs.count }

  /// True when output `position` is computed by `run`.
  public func computes(output position: Int) -> Bool { outputs[position] != nil }

  /// Copies `input` (the model input, `inputShape` elements) in and runs the model. No heap
  /// allocation.
  public func run(_ input: UnsafeBufferPointer<Float>) throws(TFLiteModelError) {
    guard inputs.count == 1 else {
      throw TFLiteModelError("the executor has \(inputs.count) inputs")
    }
    try write(input, to: 0)
    execute()
  }

  /// Runs the model on an input that `fill` writes in place (all `inputCount` floats at the
  /// pointer it is given): no copy, no allocation. For single-input models. The input's
  /// memory is reused by later layers: read it inside `fill`, not after `run`.
  func run(filling fill: (UnsafeMutablePointer<Float>) -> Void) throws(TFLiteModelError) {
    guard inputs.count == 1 else {
      throw TFLiteModelError("the executor has \(inputs.count) inputs")
    }
    fill(inputs[0].pointer)
    execute()
  }

  /// The number of floats of the (single) model input.
  var inputCount: Int { inputs.first?.count ?? 0 }

  /// Runs on `input` and returns copies of the outputs (a skipped output is an empty tensor
  /// of shape [0]). Allocates: for tests and tools.
  public func run(_ input: [Float]) throws(TFLiteModelError) -> [FloatTensor] {
    try input.withUnsafeBufferPointer { (buffer) throws(TFLiteModelError) in try run(buffer) }
    return outputs.indices.map { position in
      FloatTensor(
        uncheckedShape: outputs[position] == nil ? [0] : outputShapes[position],
        values: withOutput(position) { Array($0) })
    }
  }

  /// Calls `body` with output `position` of the last `run` (empty when skipped).
  public func withOutput<R>(_ position: Int, _ body: (UnsafeBufferPointer<Float>) throws -> R)
    rethrows -> R
  {
    guard let output = outputs[position] else {
      return try body(UnsafeBufferPointer(start: nil, count: 0))
    }
    return try body(UnsafeBufferPointer(start: output.pointer, count: output.count))
  }

  func write(_ values: UnsafeBufferPointer<Float>, to slot: Int) throws(TFLiteModelError) {
    let target = inputs[slot]
    guard values.count == target.count, let base = values.baseAddress else {
      throw TFLiteModelError(
        "input has \(values.count) values, the model needs \(target.count)")
    }
    target.pointer.update(from: base, count: target.count)
  }

  /// Runs every planned kernel in order, the parallel ones on the team.
  func execute() {
    guard let threads else {
      for kernel in kernels { execute(kernel) }
      return
    }
    for index in kernels.indices { execute(kernelAt: index, on: threads) }
  }

  /// Runs kernel `index`, on the team when it is split.
  @inline(__always)
  private func execute(kernelAt index: Int, on threads: ComputeThreads) {
    guard chunks[index] > 1 else {
      execute(kernels[index])
      return
    }
    var context = KernelPart(
      kernel: kernels[index], kernelSet: kernelSet, scratch: scratch,
      scratchStride: scratchStride)
    threads.run(&context, chunks: chunks[index]) { raw, chunk, chunks, thread in
      let context = raw.assumingMemoryBound(to: KernelPart.self)
      TFLiteExecutor.execute(
        context.pointee.kernel, with: context.pointee.kernelSet, part: chunk, of: chunks,
        scratch: context.pointee.scratch + thread * context.pointee.scratchStride)
    }
  }

  /// What a thread of the team needs to run its share of one kernel.
  struct KernelPart {
    var kernel: Kernel
    var kernelSet: any PoseKernelSet.Type
    var scratch: UnsafeMutablePointer<Float>
    var scratchStride: Int
  }

  /// The chunks `kernel` is split into for a team of `threads`: up to 4 per thread (a
  /// thread that starts late, or is interrupted, then holds up the others by a quarter of
  /// its share at most), each with at least ~25,000 multiply-adds (handing a chunk over
  /// costs about as much as 100 ns of work) and at least a row of output or a panel of
  /// output channels. Convolutions, ADD and RESIZE_BILINEAR are split (the element-wise two
  /// by ~25,000 values per chunk); 1 means run whole on the caller.
  static func chunkCount(_ kernel: Kernel, threads: Int, microRows: Int) -> Int {
    let most = 4 * threads
    let minimumWork = 25_000
    switch kernel {
    case .conv2D(_, let packed, _, let g, _):
      let pixels = g.outputHeight * g.outputWidth
      let work = pixels * packed.k * packed.n
      var chunks = min(most, work / minimumWork)
      if g.isPointwise {
        // Row bands of whole micro-kernel steps, else bands of output-channel panels
        // (`PoseKernelSet.conv2D` chooses the same way).
        let rowBands = pixels / (2 * microRows)
        chunks = min(chunks, max(rowBands, packed.panels))
      } else {
        chunks = min(chunks, g.outputHeight)
      }
      return max(chunks, 1)
    case .depthwiseConv2D(_, _, _, _, let g, _):
      let work = g.outputHeight * g.outputWidth * g.inputChannels * g.kernelHeight * g.kernelWidth
      return max(min(most, work / minimumWork, g.outputHeight), 1)
    case .depthwisePointwise(_, _, _, let g, _, let packed, _, _):
      let pixels = g.outputHeight * g.outputWidth
      let work = pixels * g.inputChannels * (g.kernelHeight * g.kernelWidth + packed.n)
      return max(min(most, work / minimumWork, g.outputHeight), 1)
    case .add(_, _, _, let count, _):
      return max(min(most, count / minimumWork), 1)
    case .resizeBilinear(_, _, _, let channels, _, let outputHeight, let outputWidth):
      return max(min(most, outputHeight * outputWidth * channels / minimumWork, outputHeight), 1)
    default:
      return 1
    }
  }

  @inline(__always)
  func execute(_ kernel: Kernel) {
    Self.execute(kernel, with: kernelSet, part: 0, of: 1, scratch: scratch)
  }

  /// Runs share `part` of `parts` of `kernel` (kernels that are never split run whole in
  /// part 0 of 1).
  @inline(__always)
  static func execute(
    _ kernel: Kernel, with kernels: any PoseKernelSet.Type, part: Int, of parts: Int,
    scratch: UnsafeMutablePointer<Float>
  ) {
    switch kernel {
    case .conv2D(let input, let packed, let output, let geometry, let relu6):
      kernels.conv2D(
        input: input, packed: packed, output: output, geometry: geometry, relu6: relu6,
        scratch: scratch, part: part, parts: parts)
    case .depthwiseConv2D(let input, let filter, let bias, let output, let geometry, let relu6):
      kernels.depthwiseConv2D(
        input: input, filter: filter, bias: bias, output: output, geometry: geometry,
        relu6: relu6, part: part, parts: parts)
    case .depthwisePointwise(
      let input, let filter, let bias, let depthwise, let depthwiseRelu6, let packed, let output,
      let relu6):
      kernels.depthwiseThenPointwise(
        input: input, filter: filter, bias: bias, depthwise: depthwise,
        depthwiseRelu6: depthwiseRelu6, packed: packed, output: output, relu6: relu6,
        scratch: scratch, part: part, parts: parts)
    case .maxPool2D(let input, let output, let geometry, let relu6):
      kernels.maxPool2D(input: input, output: output, geometry: geometry, relu6: relu6)
    case .add(let a, let b, let output, let count, let relu6):
      kernels.add(a, b, output: output, count: count, relu6: relu6, part: part, parts: parts)
    case .pad(let input, let shape, let output):
      kernels.pad(input: input, inputShape: shape, output: output)
    case .resizeBilinear(let input, let ih, let iw, let channels, let output, let oh, let ow):
      kernels.resizeBilinearHalfPixel(
        input: input, inputHeight: ih, inputWidth: iw, channels: channels, output: output,
        outputHeight: oh, outputWidth: ow, part: part, parts: parts)
    case .depthToSpace(let input, let height, let width, let channels, let block, let output):
      kernels.depthToSpace(
        input: input, inputHeight: height, inputWidth: width, inputChannels: channels,
        block: block, output: output)
    case .copy(let input, let output, let count):
      output.update(from: input, count: count)
    case .concatenation(let inputs, let outer, let inner, let output):
      var total = 0
      for size in inner { total += size }
      var offset = 0
      for (input, size) in zip(inputs, inner) {
        for o in 0..<outer {
          (output + o * total + offset).update(from: input + o * size, count: size)
        }
        offset += size
      }
    case .logistic(let input, let output, let count):
      ReferenceKernels.logistic(
        input: UnsafeBufferPointer(start: input, count: count),
        output: UnsafeMutableBufferPointer(start: output, count: count))
    }
  }

  /// The tensors (activations and constants) a step reads.
  static func inputTensors(of step: TFLiteInterpreter.Step) -> [Int] {
    switch step {
    case .conv2D(_, _, let input, let filter, let bias),
      .depthwiseConv2D(_, _, let input, let filter, let bias):
      [input, filter, bias]
    case .maxPool2D(_, _, let input): [input]
    case .add(_, let a, let b): [a, b]
    case .pad(let input, _, _, _): [input]
    case .resizeBilinear(let input, _, _, _, _, _): [input]
    case .depthToSpace(let input, _, _, _, _): [input]
    case .reshape(let input): [input]
    case .concatenation(let inputs, _, _): inputs
    case .logistic(let input): [input]
    }
  }

  /// Greedy first-fit placement, largest buffers first (TFLite's arena strategy): a buffer
  /// goes at the lowest offset that overlaps no placed buffer alive at the same time.
  static func assignOffsets(
    buffers: [(id: Int, size: Int)], first: [Int: Int], last: [Int: Int]
  ) -> [Int: (offset: Int, size: Int)] {
    var placed: [(offset: Int, size: Int, first: Int, last: Int)] = []
    var result: [Int: (offset: Int, size: Int)] = [:]
    let ordered = buffers.sorted { $0.size != $1.size ? $0.size > $1.size : $0.id < $1.id }
    for buffer in ordered {
      let start = first[buffer.id] ?? 0
      let end = last[buffer.id] ?? start
      let conflicts =
        placed
        .filter { $0.first <= end && start <= $0.last }
        .sorted { $0.offset < $1.offset }
      var offset = 0
      for other in conflicts {
        if offset + buffer.size <= other.offset { break }
        offset = max(offset, other.offset + other.size)
      }
      placed.append((offset, buffer.size, start, end))
      result[buffer.id] = (offset, buffer.size)
    }
    return result
  }
}

extension TFLiteExecutor {
  /// Runs operator `operatorIndex` alone with the fast kernels on the given non-constant
  /// inputs (tensor index → values) and returns its output. For kernel tests.
  static func runOperator(
    _ interpreter: TFLiteInterpreter, at operatorIndex: Int, inputs: [Int: [Float]],
    instructionSet: PoseInstructionSet? = nil
  ) throws(TFLiteModelError) -> [Float] {
    guard let step = interpreter.steps.first(where: { $0.operatorIndex == operatorIndex }) else {
      throw TFLiteModelError("operator \(operatorIndex) is not a compute operator")
    }
    let fed = inputTensors(of: step.step).filter { interpreter.constantValues(of: $0) == nil }
    let executor = try TFLiteExecutor(
      interpreter, steps: [step], fed: fed, outputTensors: [step.output], requested: [step.output],
      instructionSet: instructionSet)
    for (slot, tensor) in fed.enumerated() {
      guard let values = inputs[tensor] else {
        throw TFLiteModelError("input tensor \(tensor) of operator \(operatorIndex) was not given")
      }
      try values.withUnsafeBufferPointer { (buffer) throws(TFLiteModelError) in
        try executor.write(buffer, to: slot)
      }
    }
    executor.execute()
    return executor.withOutput(0) { Array($0) }
  }
}

extension TFLiteExecutor {
  /// Runs the model once on `input` and returns the time spent per kernel kind, in
  /// milliseconds, the split kernels on the team when there is one, and `single thread` for
  /// the kernels that ran on the caller alone in a team's plan (for the benchmark's
  /// breakdown; allocates).
  public func kernelTimes(_ input: UnsafeBufferPointer<Float>) throws(TFLiteModelError)
    -> [(kind: String, milliseconds: Double)]
  {
    try write(input, to: 0)
    let clock = ContinuousClock()
    var totals: [String: Duration] = [:]
    for (index, kernel) in kernels.enumerated() {
      let start = clock.now
      if let threads {
        execute(kernelAt: index, on: threads)
      } else {
        execute(kernel)
      }
      let elapsed = clock.now - start
      totals[Self.kind(of: kernel), default: .zero] += elapsed
      if threads != nil && chunks[index] == 1 { totals["single thread", default: .zero] += elapsed }
    }
    return totals.sorted { $0.key < $1.key }.map { entry in
      let parts = entry.value.components
      return (entry.key, Double(parts.seconds) * 1000 + Double(parts.attoseconds) / 1e15)
    }
  }

  static func kind(of kernel: Kernel) -> String {
    switch kernel {
    case .conv2D(_, _, _, let g, _):
      g.isPointwise ? "conv 1x1" : "conv \(g.kernelHeight)x\(g.kernelWidth)"
    case .depthwiseConv2D(_, _, _, _, let g, _): "depthwise \(g.kernelHeight)x\(g.kernelWidth)"
    case .depthwisePointwise(_, _, _, let g, _, _, _, _):
      "depthwise \(g.kernelHeight)x\(g.kernelWidth) + conv 1x1"
    case .maxPool2D: "max pool"
    case .add: "add"
    case .pad: "pad"
    case .resizeBilinear: "resize"
    case .depthToSpace: "depth to space"
    case .copy: "copy"
    case .concatenation: "concatenation"
    case .logistic: "logistic"
    }
  }
}
