import PoseKernelTypes

/// This CPU's arithmetic peak for one thread, measured with register-only loops over 8- or
/// 16-lane float vectors, compiled for this module's instruction set (AVX2: `addingProduct`
/// is one `vfmadd…ps` on a 256-bit register, a 16-lane vector two of them; AVX-512: one on
/// a 512-bit register). For `pose-bench roofline`.
///
/// Each loop keeps twelve independent dependency chains in registers (enough to cover the
/// latency of two pipes) and touches no memory, so it runs at the issue rate of the
/// arithmetic units. Operands are runtime values (1 and 0), which the optimizer cannot fold.
/// Rates are per second of this thread's CPU time, so time the machine gives to other work
/// (a shared machine) does not count.
enum ArithmeticPeak {
  /// Floating-point operations per second: fused multiply-adds (2 per lane per FMA), or
  /// separate multiplies and adds (one each per lane per pair; 6 multiply chains beside 6
  /// add chains), on `lanes`-wide vectors (16, else 8).
  static func flops(lanes: Int, fused: Bool, iterations: Int) -> Double {
    let start = ThreadCPUClock.seconds()
    if lanes == 16 {
      let m = Vector16(repeating: one)
      let a = Vector16(repeating: zero)
      keep(
        fused
          ? fusedLoop(iterations: iterations, m: m, a: a)[0]
          : unfusedLoop(iterations: iterations, m: m, a: a)[0])
    } else {
      let m = Vector8(repeating: one)
      let a = Vector8(repeating: zero)
      keep(
        fused
          ? fusedLoop(iterations: iterations, m: m, a: a)[0]
          : unfusedLoop(iterations: iterations, m: m, a: a)[0])
    }
    let seconds = ThreadCPUClock.seconds() - start
    let lanes = lanes == 16 ? 16.0 : 8.0
    return Double(iterations) * 12 * lanes * (fused ? 2 : 1) / seconds
  }

  /// 1 and 0 the optimizer cannot see (read through `opaque`).
  nonisolated(unsafe) static var one: Float = 1
  nonisolated(unsafe) static var zero: Float = 0

  @inline(never)
  static func fusedLoop<V: SIMD>(iterations: Int, m: V, a: V) -> V
  where V.Scalar == Float {
    var c0 = a + 1
    var c1 = a + 2
    var c2 = a + 3
    var c3 = a + 4
    var c4 = a + 5
    var c5 = a + 6
    var c6 = a + 7
    var c7 = a + 8
    var c8 = a + 9
    var c9 = a + 10
    var c10 = a + 11
    var c11 = a + 12
    for _ in 0..<iterations {
      c0 = c0.addingProduct(c0, a)
      c1 = c1.addingProduct(c1, a)
      c2 = c2.addingProduct(c2, a)
      c3 = c3.addingProduct(c3, a)
      c4 = c4.addingProduct(c4, a)
      c5 = c5.addingProduct(c5, a)
      c6 = c6.addingProduct(c6, a)
      c7 = c7.addingProduct(c7, a)
      c8 = c8.addingProduct(c8, a)
      c9 = c9.addingProduct(c9, a)
      c10 = c10.addingProduct(c10, a)
      c11 = c11.addingProduct(c11, a)
    }
    return c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + m
  }

  @inline(never)
  static func unfusedLoop<V: SIMD>(iterations: Int, m: V, a: V) -> V
  where V.Scalar == Float {
    var p0 = m + 1
    var p1 = m + 2
    var p2 = m + 3
    var p3 = m + 4
    var p4 = m + 5
    var p5 = m + 6
    var s0 = a + 1
    var s1 = a + 2
    var s2 = a + 3
    var s3 = a + 4
    var s4 = a + 5
    var s5 = a + 6
    for _ in 0..<iterations {
      p0 = p0 * m
      s0 = s0 + a
      p1 = p1 * m
      s1 = s1 + a
      p2 = p2 * m
      s2 = s2 + a
      p3 = p3 * m
      s3 = s3 + a
      p4 = p4 * m
      s4 = s4 + a
      p5 = p5 * m
      s5 = s5 + a
    }
    return p0 + p1 + p2 + p3 + p4 + p5 + s0 + s1 + s2 + s3 + s4 + s5
  }

  /// Makes the loop's result observable so it is not optimized away.
  @inline(never)
  private static func keep(_ value: Float) {
    if value == -.infinity { print(value) }
  }
}
