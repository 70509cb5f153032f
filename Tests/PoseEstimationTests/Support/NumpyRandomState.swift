/// numpy's legacy `RandomState(seed).uniform(low, high, n).astype(float32)`
/// (MT19937, `init_genrand` seeding, 53-bit doubles), so the tests can rebuild
/// golden.py's "random" model inputs without a file.
struct NumpyRandomState {
  private var state = [UInt32](repeating: 0, count: 624)
  private var index = 624

  init(seed: UInt32) {
    state[0] = seed
    for i in 1..<624 {
      state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
    }
  }

  private mutating func twist() {
    for i in 0..<624 {
      let y = (state[i] & 0x8000_0000) | (state[(i + 1) % 624] & 0x7FFF_FFFF)
      state[i] = state[(i + 397) % 624] ^ (y >> 1) ^ ((y & 1) == 0 ? 0 : 0x9908_B0DF)
    }
    index = 0
  }

  mutating func nextUInt32() -> UInt32 {
    if index >= 624 { twist() }
    var y = state[index]
    index += 1
    y ^= y >> 11
    y ^= (y << 7) & 0x9D2C_5680
    y ^= (y << 15) & 0xEFC6_0000
    y ^= y >> 18
    return y
  }

  /// `random_sample()`: a double in [0, 1) from 53 random bits.
  mutating func nextDouble() -> Double {
    let a = Double(nextUInt32() >> 5)
    let b = Double(nextUInt32() >> 6)
    return (a * 67_108_864 + b) / 9_007_199_254_740_992
  }

  /// `uniform(low, high, count).astype(np.float32)`.
  mutating func uniformFloats(low: Double, high: Double, count: Int) -> [Float] {
    (0..<count).map { _ in Float(low + (high - low) * nextDouble()) }
  }
}
